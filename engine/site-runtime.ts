import { Subject, Subscription, type SchedulerLike } from 'rxjs';
import type { Logger } from 'pino';
import type { Alert, ClauseResult, LiveEvent, Point, Sample, Site, SiteScore, SiteSnapshot } from '../model/index.ts';
import { renderTemplate, type Standard } from '../standards/index.ts';
import { alertLifecycle, type AlertSpec } from './operators/alert-lifecycle.ts';
import { siteScore } from './operators/site-score.ts';
import { staleAfter } from './operators/stale-after.ts';
import { createSubjectEvaluator, type SubjectEvaluator } from './subject-evaluator.ts';

/** The live twin of one site under one standard. */
export interface SiteRuntime {
  readonly site: Site;
  readonly standard: Standard;
  /** hands a sample of this site to its point; false when the site has no such point */
  ingest(sample: Sample): boolean;
  snapshot(): SiteSnapshot;
  dispose(): void;
}

interface PointState {
  point: Point;
  input: Subject<Sample>;
  evaluators: SubjectEvaluator[];
}

export function createSiteRuntime(
  site: Site,
  standard: Standard,
  scheduler: SchedulerLike,
  emit: (event: LiveEvent) => void,
  logger: Logger,
): SiteRuntime {
  const log = logger.child({ site: site.id, standard: standard.key });
  const latest = new Map<string, Sample>();
  const pointsById = new Map(site.points.map((p) => [p.id, p]));
  const cel = standard.cel.toCel(site);
  const now = scheduler.now();

  // every clause on every subject of its kind, in standard then site order
  const evaluators: SubjectEvaluator[] = [];
  for (const clause of standard.clauses)
    for (const asset of site.assets)
      if (asset.kind === clause.appliesTo)
        evaluators.push(createSubjectEvaluator(clause, asset, { siteId: site.id, standard, cel, points: pointsById, logger: log, now }));

  const points = new Map<string, PointState>();
  for (const point of site.points) points.set(point.id, { point, input: new Subject<Sample>(), evaluators: [] });
  for (const evaluator of evaluators)
    if (evaluator.result.verdict !== 'not-applicable')
      for (const id of evaluator.points) points.get(id)?.evaluators.push(evaluator);

  const results = new Subject<ClauseResult>();
  const alerts = new Map<string, Alert>();
  let score: SiteScore | undefined;
  const subscriptions = new Subscription();

  subscriptions.add(results.subscribe((data) => emit({ type: 'result', data })));
  const byKey = new Map(evaluators.map((e) => [`${e.clause.id}\u0000${e.subject.id}`, e]));
  subscriptions.add(
    results.pipe(alertLifecycle((failing) => describeAlert(byKey.get(`${failing.clause}\u0000${failing.subject}`), failing))).subscribe((alert) => {
      if (alert.state === 'cleared') alerts.delete(alert.id);
      else alerts.set(alert.id, alert);
      emit({ type: 'alert', data: alert });
    }),
  );
  subscriptions.add(
    results
      .pipe(
        siteScore({
          site: site.id,
          rules: { ...standard.grading, standard: standard.key },
          clauses: new Map(standard.clauses.map((c) => [c.id, c])),
          initial: evaluators.map((e) => e.result),
          scheduler,
          onInitial: (initial) => (score = initial),
        }),
      )
      .subscribe((next) => {
        score = next;
        emit({ type: 'score', data: next });
      }),
  );

  for (const state of points.values())
    subscriptions.add(
      state.input.pipe(staleAfter(state.point.staleAfterMs, scheduler)).subscribe((sample) => {
        latest.set(sample.point, sample);
        emit({ type: 'sample', data: sample });
        if (state.evaluators.length === 0) return;
        const at = scheduler.now();
        for (const evaluator of state.evaluators) {
          const changed = evaluator.evaluate(latest, at);
          if (changed) results.next(changed);
        }
      }),
    );

  log.debug({ evaluators: evaluators.length, points: points.size }, 'site compiled');

  return {
    site,
    standard,
    ingest(sample) {
      const state = points.get(sample.point);
      if (!state) return false;
      state.input.next(sample);
      return true;
    },
    snapshot: () => ({
      site: site.id,
      score,
      results: evaluators.map((e) => e.result),
      alerts: [...alerts.values()],
      values: Object.fromEntries(latest),
    }),
    dispose() {
      subscriptions.unsubscribe();
      for (const state of points.values()) state.input.complete();
      results.complete();
    },
  };
}

/** The alert a failing result raises, from the clause's `alert` with its templates filled. */
function describeAlert(evaluator: SubjectEvaluator | undefined, failing: ClauseResult): AlertSpec | undefined {
  const spec = evaluator?.clause.alert;
  if (!evaluator || !spec) return undefined;
  const values: Record<string, unknown> = { subject: evaluator.subject.id, ...evaluator.thresholds };
  evaluator.clause.reads.forEach((name, i) => (values[name] = failing.evidence[i]?.value));
  const name = evaluator.subject.name;
  return {
    kind: spec.kind,
    severity: spec.severity,
    message: renderTemplate(spec.message, values, name),
    actions: spec.actions.map((a) => renderTemplate(a, values, name)),
  };
}
