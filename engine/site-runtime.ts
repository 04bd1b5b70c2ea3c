import { Subject, Subscription, type SchedulerLike } from 'rxjs';
import type { Logger } from 'pino';
import type { Alert, ClauseResult, LiveEvent, Point, Sample, Site, SiteScore, SiteSnapshot } from '../model/index.ts';
import { evaluateStatic, renderTemplate, type CompiledClause, type Standard } from '../standards/index.ts';
import { createAlarmBook, type AlarmBook, type AlarmSpec } from './alarms/alarm-book.ts';
import type { AlarmHealthTracker } from './alarms/alarm-health.ts';
import { causeAmong, floodGroups } from './alarms/alarm-health-grouping.ts';
import { alarmKeyOf, clauseAlarmKey, alarmTimings } from './alarms/alarm-keys.ts';
import { delayVerdict } from './operators/delay-verdict.ts';
import { latchVerdict } from './operators/latch-verdict.ts';
import { siteScore } from './operators/site-score.ts';
import { createHazardWatchers } from './hazards/hazards.ts';
import { createStaleWatch, type StaleCell } from './stale-watch.ts';
import { sourceOnlinePoints } from './comms-loss.ts';
import { liveRisk } from './live-risk.ts';
import { siteClock } from './site-clock.ts';
import { createSubjectEvaluator, type PointCell, type SubjectEvaluator, type SubjectRef } from './subject-evaluator.ts';

/** The live twin of one site under one standard. */
export interface SiteRuntime {
  readonly site: Site;
  readonly standard: Standard;
  /** hands a sample of this site to its point; false when the site has no such point */
  ingest(sample: Sample): boolean;
  /** the site's alarms and their lifecycle commands */
  readonly alarms: AlarmBook;
  /** takes back open alerts stored before a restart (no duplicates when their conditions come back) */
  restore(alerts: readonly Alert[]): void;
  snapshot(): SiteSnapshot;
  dispose(): void;
}

interface PointState extends PointCell, StaleCell {
  point: Point;
  evaluators: { evaluator: SubjectEvaluator; raw: Subject<ClauseResult> }[];
  /** site-wide clauses reading this point: marked dirty, evaluated once per scheduler tick */
  coalesced: (() => void)[];
  /** hazard models reading this point (engine/hazards); empty for most points */
  hazards: ((sample: Sample) => void)[];
}

/** A design or evidence clause on one subject: evaluated from the site definition, and again when a record expires. */
interface StaticSlot {
  clause: CompiledClause;
  subject: SubjectRef;
  result: ClauseResult;
  changesAt?: number;
}

const keyOf = (clause: string, subject: string) => `${clause}\u0000${subject}`;
/** the longest delay a timer takes (setTimeout's limit); a later expiry is re-armed when it fires */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function createSiteRuntime(
  site: Site,
  standard: Standard,
  scheduler: SchedulerLike,
  emit: (event: LiveEvent) => void,
  logger: Logger,
  /** the site's alarm-system health, kept by the engine across site updates; none when the standard has no alarms section */
  health?: AlarmHealthTracker,
): SiteRuntime {
  const log = logger.child({ site: site.id, standard: standard.key });
  // the points with a sample, in the order they had their first (each point's latest is its cell's sample)
  const seenOrder: PointState[] = [];
  const pointsById = new Map(site.points.map((p) => [p.id, p]));
  const cel = standard.cel.toCel(site);
  const now = scheduler.now();
  const assetsOfKind = new Map<string, string[]>();
  for (const asset of site.assets) assetsOfKind.set(asset.kind, [...(assetsOfKind.get(asset.kind) ?? []), asset.id]);

  // every clause on every subject it applies to, in standard then site order
  const evaluators: SubjectEvaluator[] = [];
  const statics: StaticSlot[] = [];
  const order: string[] = [];
  // each point's latest sample (the cell the clauses on it read) and what reads it
  const points = new Map<string, PointState>();
  for (const point of [...site.points, ...sourceOnlinePoints(site)]) points.set(point.id, { point, sample: undefined, watched: undefined, evaluators: [], coalesced: [], hazards: [] });
  const context = { siteId: site.id, standard, cel, points: pointsById, cells: points, assetsOfKind, logger: log, now };
  for (const clause of standard.clauses) {
    const subjects: SubjectRef[] =
      clause.appliesTo === 'site' ? [{ id: site.id, name: site.name }] : site.assets.filter((a) => a.kind === clause.appliesTo);
    for (const subject of subjects) {
      order.push(keyOf(clause.id, subject.id));
      if (clause.check === 'live') evaluators.push(createSubjectEvaluator(clause, { id: subject.id, name: subject.name }, context));
      else {
        const verdict = evaluateStatic(clause, { siteId: site.id, standard: standard.key, cel, subject: subject.id, now });
        statics.push({ clause, subject: { id: subject.id, name: subject.name }, ...verdict });
      }
    }
  }
  const current = new Map<string, ClauseResult>();
  for (const e of evaluators) current.set(keyOf(e.clause.id, e.subject.id), e.result);
  for (const s of statics) current.set(keyOf(s.clause.id, s.subject.id), s.result);

  const results = new Subject<ClauseResult>();
  // the score as compliance alone makes it, and as the site shows it: with its live risk (engine/live-risk.ts)
  let compliance: SiteScore | undefined;
  let score: SiteScore | undefined;
  // sources serving a point that a critical clause or a hazard model reads: losing one raises the live risk
  const criticalSources = new Set<string>();
  const subscriptions = new Subscription();
  /** the live risk now, from the latest compliance score and the open alarms; undefined before the first score */
  const riskNow = () => (compliance ? liveRisk(compliance, alarms.open(), standard, criticalSources) : undefined);
  /** brings the shown score up to date with the live risk; emits it when the risk or its reason changed */
  const showScore = (at: number) => {
    const live = riskNow();
    if (!compliance || !live || !score || (score.risk === live.risk && score.riskReason.en === live.reason.en)) return;
    score = { ...compliance, risk: live.risk, riskReason: live.reason, ts: Math.max(at, compliance.ts) };
    emit({ type: 'score', data: score });
  };

  subscriptions.add(
    results.subscribe((data) => {
      current.set(keyOf(data.clause, data.subject), data);
      emit({ type: 'result', data });
    }),
  );
  const names = new Map<string, SubjectRef & { clause: CompiledClause }>();
  for (const e of evaluators) names.set(keyOf(e.clause.id, e.subject.id), { ...e.subject, clause: e.clause });
  for (const s of statics) names.set(keyOf(s.clause.id, s.subject.id), { ...s.subject, clause: s.clause });
  // a latched clause is reset when its alarm is acknowledged (engine/operators/latch-verdict.ts)
  const latchResets = new Map<string, Subject<void>>();
  const latchReset = (e: SubjectEvaluator) => {
    const reset = new Subject<void>();
    latchResets.set(clauseAlarmKey(e.clause.id, e.subject.id), reset);
    return reset;
  };
  const alarms = createAlarmBook({
    site: site.id,
    scheduler,
    ...alarmTimings(standard),
    // during an alarm flood, alarms on the assets of an open incident are shown under it
    causeOf: (subjects) => (health?.flooded() ? causeAmong(subjects, alarms.open()) : undefined),
    emit: (alert) => {
      // the alert carries the site's live risk it makes (CAP, webhooks and the rescue page show it); the score follows
      const live = riskNow();
      if (live) alert.siteRisk = live;
      emit({ type: 'alert', data: alert });
      showScore(alert.changedAt);
      // after the acknowledgement has gone out whole: the release it may cause comes as its own change
      const reset = alert.transition?.action === 'acknowledge' ? latchResets.get(alarmKeyOf(alert)) : undefined;
      if (reset) subscriptions.add(scheduler.schedule(() => reset.next()));
      if (health?.observe(alert)) for (const [id, cause] of floodGroups(alarms.open())) alarms.groupUnder(id, cause);
    },
  });
  subscriptions.add(() => alarms.dispose());
  subscriptions.add(
    results.subscribe((result) => {
      if (result.verdict !== 'fail' && result.verdict !== 'pass') return; // unknown holds the alarm as it is
      const named = names.get(keyOf(result.clause, result.subject));
      if (!named?.clause.alert) return;
      const key = clauseAlarmKey(result.clause, result.subject);
      if (result.verdict === 'pass') return alarms.condition(key, undefined, false, result.since);
      const spec = describeAlert(named, result)!;
      alarms.condition(key, { ...spec, subjects: [result.subject], clause: result.clause, standard: result.standard }, true, result.since);
    }),
  );
  subscriptions.add(
    results
      .pipe(
        siteScore({
          site: site.id,
          rules: { ...standard.grading, holdSeverities: standard.liveRisk.criticalSeverities, standard: standard.key, formatTime: siteClock(site.timeZone) },
          clauses: new Map(standard.clauses.map((c) => [c.id, c])),
          initial: [...current.values()],
          scheduler,
          onInitial: (initial) => (compliance = score = initial),
        }),
      )
      .subscribe((next) => {
        compliance = next;
        const live = riskNow()!;
        score = { ...next, risk: live.risk, riskReason: live.reason };
        emit({ type: 'score', data: score });
      }),
  );

  // design and evidence verdicts are known from the start: record them once the engine runs,
  // and re-evaluate an evidence clause when its record expires (on the scheduler's time)
  subscriptions.add(
    scheduler.schedule(() => {
      for (const slot of statics) if (slot.result.verdict !== 'not-applicable') emit({ type: 'result', data: slot.result });
    }),
  );
  const watchExpiry = (slot: StaticSlot) => {
    if (slot.changesAt === undefined || !Number.isFinite(slot.changesAt)) return;
    subscriptions.add(
      scheduler.schedule(() => {
        const at = scheduler.now();
        const next = evaluateStatic(slot.clause, { siteId: site.id, standard: standard.key, cel, subject: slot.subject.id, now: at });
        slot.changesAt = next.changesAt;
        if (next.result.verdict !== slot.result.verdict) {
          slot.result = next.result;
          results.next(next.result);
        }
        watchExpiry(slot);
      }, Math.min(MAX_TIMER_MS, Math.max(0, slot.changesAt - scheduler.now()))),
    );
  };
  statics.forEach(watchExpiry);

  for (const evaluator of evaluators) {
    if (evaluator.result.verdict === 'not-applicable') continue;
    const raw = new Subject<ClauseResult>();
    const { delayOnMs, delayOffMs } = evaluator.clause;
    const delayed = raw.pipe(delayVerdict(delayOnMs, delayOffMs, scheduler, evaluator.result.verdict));
    subscriptions.add((evaluator.clause.latch ? delayed.pipe(latchVerdict(latchReset(evaluator), scheduler, evaluator.result.verdict)) : delayed).subscribe((r) => results.next(r)));
    if (evaluator.clause.bindings.some((b) => b.kind !== undefined)) {
      // a clause over every asset of a kind (e.g. the GB 18218 R value over every tank) is evaluated
      // once per scheduler tick however many of its points changed in it, not once per sample
      // (without a Subject and an operator chain per sample)
      let pending: Subscription | undefined;
      const run = () => {
        pending = undefined;
        const changed = evaluator.evaluate(scheduler.now());
        if (changed) raw.next(changed);
      };
      const dirty = () => {
        pending ??= scheduler.schedule(run);
      };
      subscriptions.add(() => pending?.unsubscribe());
      for (const id of new Set(evaluator.points)) points.get(id)?.coalesced.push(dirty);
    } else for (const id of evaluator.points) points.get(id)?.evaluators.push({ evaluator, raw });
  }

  const hazardWatchers = createHazardWatchers({
    site,
    standard,
    now: () => scheduler.now(),
    latest: (id) => points.get(id)?.sample,
    condition: (key, spec, active, at) => alarms.condition(key, spec, active, at),
    schedule: (work, delayMs) => {
      const timer: Subscription = scheduler.schedule(() => {
        subscriptions.remove(timer);
        work();
      }, Math.max(0, delayMs));
      subscriptions.add(timer);
      return timer;
    },
    logger: log,
  });
  for (const watcher of hazardWatchers) for (const id of watcher.points) points.get(id)?.hazards.push(watcher.onSample);
  const critical = new Set(standard.liveRisk.criticalSeverities);
  const criticalPoints = [
    ...evaluators.filter((e) => critical.has(e.clause.severity)).flatMap((e) => e.points),
    ...hazardWatchers.flatMap((w) => w.points),
  ];
  for (const id of criticalPoints) {
    const source = pointsById.get(id)?.source; // `<source>.online` is no site point: the comms-loss model reads it, it serves nothing
    if (source) criticalSources.add(source);
  }

  const accept = (state: PointState, sample: Sample) => {
    if (state.sample === undefined) seenOrder.push(state);
    state.sample = sample;
    emit({ type: 'sample', data: sample });
    // hazard models first: an incident forecast comes before the clause alarms of the same reading
    // indexed loops: for-of over these arrays left an iterator per loop per sample to collect
    const { hazards, coalesced, evaluators } = state;
    for (let i = 0; i < hazards.length; i++) hazards[i]!(sample);
    for (let i = 0; i < coalesced.length; i++) coalesced[i]!();
    if (evaluators.length === 0) return;
    const at = scheduler.now();
    for (let i = 0; i < evaluators.length; i++) {
      const { evaluator, raw } = evaluators[i]!;
      const changed = evaluator.evaluate(at);
      if (changed) raw.next(changed);
    }
  };
  const stale = createStaleWatch(scheduler, (sample) => {
    const state = points.get(sample.point);
    if (state) accept(state, sample);
  });
  subscriptions.add(() => stale.dispose());

  log.debug({ live: evaluators.length, static: statics.length, points: points.size }, 'site compiled');

  return {
    site,
    standard,
    alarms,
    restore(stored) {
      for (const alert of stored) if (alert.site === site.id) alarms.restore(alert, alarmKeyOf(alert));
      if (health) for (const alert of alarms.open()) health.restore(alert);
      showScore(scheduler.now());
    },
    ingest(sample) {
      const state = points.get(sample.point);
      if (!state) return false;
      if (Number.isFinite(state.point.staleAfterMs)) stale.seen(sample, state.point.staleAfterMs, state); // `<source>.online` never goes stale
      accept(state, sample);
      return true;
    },
    snapshot: () => ({
      site: site.id,
      score,
      results: order.map((key) => current.get(key)!),
      alerts: alarms.open(),
      values: Object.fromEntries(seenOrder.map((state) => [state.point.id, state.sample!])),
    }),
    dispose() {
      subscriptions.unsubscribe();
      results.complete();
    },
  };
}

/** The alert a failing result raises, from the clause's `alert` with its templates filled. */
function describeAlert(subject: (SubjectRef & { clause: CompiledClause }) | undefined, failing: ClauseResult): Pick<AlarmSpec, 'kind' | 'severity' | 'message' | 'actions'> | undefined {
  const spec = subject?.clause.alert;
  if (!subject || !spec) return undefined;
  const values: Record<string, unknown> = { subject: subject.id, ...failing.thresholds };
  if (subject.clause.appliesTo !== 'site') subject.clause.reads.forEach((name, i) => (values[name] = failing.evidence[i]?.value));
  return {
    kind: spec.kind,
    severity: spec.severity,
    message: renderTemplate(spec.message, values, subject.name),
    actions: spec.actions.map((a) => renderTemplate(a, values, subject.name)),
  };
}
