import { Subject, Subscription, type Observable, type SchedulerLike } from 'rxjs';
import type { Alert, ClauseResult, Site } from '../model/index.ts';
import { renderTemplate, type CompiledClause, type Standard } from '../standards/index.ts';
import { createAlarmBook, type AlarmBook, type AlarmSpec } from './alarms/alarm-book.ts';
import type { AlarmHealthTracker } from './alarms/alarm-health.ts';
import { causeAmong, floodGroups } from './alarms/alarm-health-grouping.ts';
import { alarmKeyOf, alarmTimings, clauseAlarmKey } from './alarms/alarm-keys.ts';
import { clauseKey } from './site-clauses.ts';
import type { SubjectRef } from './subject-evaluator.ts';

export interface SiteAlarmsOptions {
  site: Site;
  standard: Standard;
  scheduler: SchedulerLike;
  /** each clause on each subject by clauseKey, what a clause alarm is worded from (site-clauses.ts) */
  named: ReadonlyMap<string, SubjectRef & { clause: CompiledClause }>;
  /** every new version of an alert, before anything it causes here (a latch release, flood grouping) */
  publish: (alert: Alert) => void;
  /** the site's alarm-system health, kept across site updates; none when the standard has no alarms section */
  health?: AlarmHealthTracker;
}

/** The alarms of one site: raised by its clauses' verdicts and by hazard models (through `book.condition`). */
export interface SiteAlarms {
  readonly book: AlarmBook;
  /** a clause verdict that came through its delays: fail raises its clause's alarm, pass returns it, unknown holds it as it is */
  onResult(result: ClauseResult): void;
  /** what releases a latched clause on a subject: its alarm's acknowledgement, once that has gone out */
  latchReset(clause: string, subject: string): Observable<void>;
  /** takes back open alerts stored before a restart, into the book and the health figures */
  restore(alerts: readonly Alert[]): void;
  dispose(): void;
}

/**
 * The site's alarm book (engine/alarms/alarm-book.ts) with what the site adds to it: clause alarms
 * worded from the clause's `alert` templates, latched clauses released by an acknowledgement, and
 * during an alarm flood, new alarms on the assets of an open incident shown under it.
 */
export function createSiteAlarms(options: SiteAlarmsOptions): SiteAlarms {
  const { site, scheduler, health } = options;
  const timers = new Subscription();
  const latchResets = new Map<string, Subject<void>>();
  const book: AlarmBook = createAlarmBook({
    site: site.id,
    scheduler,
    ...alarmTimings(options.standard),
    causeOf: (subjects) => (health?.flooded() ? causeAmong(subjects, book.open()) : undefined),
    emit: (alert) => {
      options.publish(alert);
      // after the acknowledgement has gone out whole: the release it may cause comes as its own change
      const reset = alert.transition?.action === 'acknowledge' ? latchResets.get(alarmKeyOf(alert)) : undefined;
      if (reset) timers.add(scheduler.schedule(() => reset.next()));
      if (health?.observe(alert)) for (const [id, cause] of floodGroups(book.open())) book.groupUnder(id, cause);
    },
  });

  return {
    book,
    onResult(result) {
      if (result.verdict !== 'fail' && result.verdict !== 'pass') return;
      const named = options.named.get(clauseKey(result.clause, result.subject));
      if (!named?.clause.alert) return;
      const key = clauseAlarmKey(result.clause, result.subject);
      if (result.verdict === 'pass') return book.condition(key, undefined, false, result.since);
      const spec = describeAlert(named, result);
      book.condition(key, { ...spec, subjects: [result.subject], clause: result.clause, standard: result.standard }, true, result.since);
    },
    latchReset(clause, subject) {
      const reset = new Subject<void>();
      latchResets.set(clauseAlarmKey(clause, subject), reset);
      return reset;
    },
    restore(alerts) {
      for (const alert of alerts) if (alert.site === site.id) book.restore(alert, alarmKeyOf(alert));
      if (health) for (const alert of book.open()) health.restore(alert);
    },
    dispose() {
      timers.unsubscribe();
      book.dispose();
    },
  };
}

/** The alert a failing result raises, from its clause's `alert` with the templates filled. */
function describeAlert(subject: SubjectRef & { clause: CompiledClause }, failing: ClauseResult): Pick<AlarmSpec, 'kind' | 'severity' | 'message' | 'actions'> {
  const spec = subject.clause.alert!;
  const values: Record<string, unknown> = { subject: subject.id, ...failing.thresholds };
  if (subject.clause.appliesTo !== 'site') subject.clause.reads.forEach((name, i) => (values[name] = failing.evidence[i]?.value));
  return {
    kind: spec.kind,
    severity: spec.severity,
    message: renderTemplate(spec.message, values, subject.name),
    actions: spec.actions.map((a) => renderTemplate(a, values, subject.name)),
  };
}
