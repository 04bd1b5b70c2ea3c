import { Subject, Subscription, type SchedulerLike } from 'rxjs';
import type { Logger } from 'pino';
import {
  ONLINE_RATE_KIND,
  type Alert,
  type ClauseResult,
  type EvidenceRecord,
  type LiveEvent,
  type Sample,
  type Site,
  type SiteSnapshot,
  type TransferDeclaration,
} from '../model/index.ts';
import type { Standard } from '../standards/index.ts';
import { EngineError } from './engine-errors.ts';
import type { AlarmBook } from './alarms/alarm-book.ts';
import type { AlarmHealthTracker } from './alarms/alarm-health.ts';
import { wireClausePipelines } from './clause-pipelines.ts';
import { createHazardWatchers } from './hazards/hazards.ts';
import { createLinkWatch, silencedReadings } from './link-watch.ts';
import { createOnlineRate } from './online-rate.ts';
import { createScorePublication } from './score-publication.ts';
import { createSiteAlarms } from './site-alarms.ts';
import { clauseKey, compileSiteClauses } from './site-clauses.ts';
import { createSitePoints } from './site-points.ts';
import { runStaticClauses } from './static-clauses.ts';

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
  /** a record entered elsewhere (an inspection recorded through the UI) joins the evidence; its clauses are judged again, in place */
  addEvidence(entry: EvidenceRecord): void;
  /** a transfer declared on a tank with a level gauge, told to the hazard models (ENGINE_UNKNOWN_ASSET otherwise) */
  declareTransfer(declaration: TransferDeclaration): TransferDeclaration;
  /** the declared transfers that stand now */
  transfers(): TransferDeclaration[];
  snapshot(): SiteSnapshot;
  dispose(): void;
}

/**
 * Wires the parts of a site's twin and holds their life: the points and their feeds (site-points.ts,
 * link-watch.ts), the clauses compiled on their subjects (site-clauses.ts) with their verdict
 * pipelines (clause-pipelines.ts) and static verdicts (static-clauses.ts), the alarms
 * (site-alarms.ts), the hazard models (hazards/) and the published score (score-publication.ts).
 * Every verdict change goes out as a result, then to the alarms, then into the score, in that order.
 */
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
  const subscriptions = new Subscription();
  const links = createLinkWatch(site, scheduler, (link) => {
    const at = scheduler.now();
    for (const sample of silencedReadings(link, points.ofSource(link.source), at)) points.accept(points.cells.get(sample.point)!, sample, at);
  });
  subscriptions.add(() => links.dispose());
  const points = createSitePoints(site, links.links, (data) => emit({ type: 'sample', data }));

  const cel = standard.cel.toCel(site);
  const assetsOfKind = new Map<string, string[]>();
  for (const asset of site.assets) assetsOfKind.set(asset.kind, [...(assetsOfKind.get(asset.kind) ?? []), asset.id]);
  const pointsById = new Map(site.points.map((p) => [p.id, p]));
  const clauses = compileSiteClauses(site, standard, { siteId: site.id, standard, cel, points: pointsById, cells: points.cells, assetsOfKind, logger: log, now: scheduler.now() });

  const results = new Subject<ClauseResult>();
  // sources serving a point that a critical clause or a hazard model reads (filled below, once the hazard models exist)
  const criticalSources = new Set<string>();
  const alarms = createSiteAlarms({
    site,
    standard,
    scheduler,
    named: clauses.named,
    ...(health ? { health } : {}),
    publish: (alert) => {
      // the alert carries the site's live risk it makes (CAP, webhooks and the rescue page show it); the score follows
      const live = score.riskNow();
      if (live) alert.siteRisk = live;
      emit({ type: 'alert', data: alert });
      score.show(alert.changedAt);
    },
  });
  subscriptions.add(
    results.subscribe((data) => {
      clauses.current.set(clauseKey(data.clause, data.subject), data);
      emit({ type: 'result', data });
    }),
  );
  subscriptions.add(() => alarms.dispose());
  subscriptions.add(results.subscribe((result) => alarms.onResult(result)));
  const score = createScorePublication({
    site,
    standard,
    scheduler,
    results,
    initial: [...clauses.current.values()],
    openAlerts: () => alarms.book.open(),
    criticalSources,
    emit: (data) => emit({ type: 'score', data }),
  });
  subscriptions.add(() => score.dispose());

  const statics = runStaticClauses(clauses.statics, {
    siteId: site.id,
    standard: standard.key,
    cel,
    scheduler,
    record: (data) => emit({ type: 'result', data }),
    change: (result) => results.next(result),
  });
  subscriptions.add(statics.timers);
  subscriptions.add(wireClausePipelines(clauses.evaluators, { scheduler, cells: points.cells, latchReset: alarms.latchReset, results: (r) => results.next(r) }));

  /** a record the twin measured joins the site's evidence at once, then goes out to be stored (main.ts) */
  const addEvidence = (entry: EvidenceRecord) => {
    cel.records.push(...standard.cel.toCel({ ...site, evidence: [entry] }).records);
    statics.rejudge(entry.kind);
  };
  const recordMeasured = (entry: EvidenceRecord) => {
    addEvidence(entry);
    emit({ type: 'evidence', data: { site: site.id, record: entry } });
  };

  const hazardWatchers = createHazardWatchers({
    site,
    standard,
    now: () => scheduler.now(),
    latest: (id) => points.cells.get(id)?.sample,
    condition: (key, spec, active, at) => alarms.book.condition(key, spec, active, at),
    record: (entry) => recordMeasured(entry),
    suspect: (id, reason) => {
      const state = points.cells.get(id);
      if (state) points.suspect(state, reason, scheduler.now());
    },
    schedule: (work, delayMs) => {
      const timer: Subscription = scheduler.schedule(
        () => {
          subscriptions.remove(timer);
          work();
        },
        Math.max(0, delayMs),
      );
      subscriptions.add(timer);
      return timer;
    },
    logger: log,
  });
  for (const watcher of hazardWatchers) for (const id of watcher.points) points.cells.get(id)?.hazards.push(watcher.onSample);
  /** the transfers declared on the site's tanks, by tank (the newest declaration of each) */
  const declared = new Map<string, TransferDeclaration>();
  const critical = new Set(standard.liveRisk.criticalSeverities);
  const criticalPoints = [...clauses.evaluators.filter((e) => critical.has(e.clause.severity)).flatMap((e) => e.points), ...hazardWatchers.flatMap((w) => w.points)];
  // the day's online rate of the safety points, where the standard judges it
  if (standard.clauses.some((c) => c.evidence?.kind === ONLINE_RATE_KIND)) {
    const safety = [...new Set(criticalPoints)].filter((id) => points.cells.has(id));
    const onlineRate = createOnlineRate(site, safety, scheduler, recordMeasured);
    for (const id of safety) points.cells.get(id)!.hazards.push(onlineRate.readerOf(id));
    subscriptions.add(() => onlineRate.dispose());
  }
  for (const id of criticalPoints) {
    const source = pointsById.get(id)?.source; // `<source>.online` is no site point: the comms-loss model reads it, it serves nothing
    if (source) criticalSources.add(source);
  }

  log.debug({ live: clauses.evaluators.length, static: clauses.statics.length, points: points.cells.size }, 'site compiled');

  return {
    site,
    standard,
    alarms: alarms.book,
    restore(stored) {
      alarms.restore(stored);
      score.show(scheduler.now());
    },
    addEvidence,
    declareTransfer(declaration) {
      const tank = site.assets.find((a) => a.id === declaration.tank);
      if (tank?.kind !== 'tank' || !site.points.some((p) => p.asset === tank.id && p.name === 'level'))
        throw new EngineError('ENGINE_UNKNOWN_ASSET', `site ${site.id} has no tank ${declaration.tank} with a level gauge`);
      declared.set(declaration.tank, declaration);
      for (const watcher of hazardWatchers) watcher.onTransfer?.(declaration);
      return declaration;
    },
    transfers: () => [...declared.values()].filter((d) => d.until > scheduler.now()),
    ingest(sample) {
      const state = points.cells.get(sample.point);
      if (!state) return false;
      const at = scheduler.now();
      links.heard(state.link, at);
      points.accept(state, sample, at);
      return true;
    },
    snapshot: () => ({
      site: site.id,
      score: score.current(),
      results: clauses.order.map((key) => clauses.current.get(key)!),
      alerts: [...alarms.book.open()],
      values: points.values(),
    }),
    dispose() {
      subscriptions.unsubscribe();
      results.complete();
    },
  };
}
