import { asyncScheduler, filter, map, type Observable, type SchedulerLike } from 'rxjs';
import { pino, type Logger } from 'pino';
import type { AlarmHealth, Alert, ClauseInfo, ClauseResult, EvidenceRecord, LiveEvent, Sample, Site, SiteScore, SiteSnapshot, TransferDeclaration } from '../model/index.ts';
import { clauseInfo, type Standard } from '../standards/index.ts';
import { EngineError } from './engine-errors.ts';
import { createSiteRuntime, type SiteRuntime } from './site-runtime.ts';
import { createSiteHealths } from './alarms/alarm-health.ts';
import { EventChannel } from './event-channel.ts';

export interface EngineOptions {
  sites: Site[];
  standards: Standard[];
  /** the engine's only clock; pass a TestScheduler or VirtualTimeScheduler to run on virtual time */
  scheduler?: SchedulerLike;
  logger?: Logger;
}

export interface Engine {
  /** hands one sample to the twin; samples of unknown sites or points are dropped */
  ingest(sample: Sample): void;
  /** verdict changes, each with its evidence, thresholds and standard */
  readonly results$: Observable<ClauseResult>;
  /** site scores, when they change */
  readonly scores$: Observable<SiteScore>;
  /** alert state changes: raised (active) and cleared */
  readonly alerts$: Observable<Alert>;
  /** everything above and every sample (with what a silent feed leaves showing, engine/link-watch.ts), in the order it happened */
  readonly events$: Observable<LiveEvent>;
  snapshot(siteId: string): SiteSnapshot | undefined;
  /**
   * Replaces a site's definition (same id): design and evidence clauses are evaluated again from
   * the new data, live clauses start over from the latest readings. Emits the new verdicts and score.
   */
  updateSite(site: Site): void;
  /** Starts the twin of a site this engine does not run yet (`ketwin central`: a worker took the site's lease). Throws ENGINE_DUPLICATE_SITE. */
  addSite(site: Site): void;
  /** Stops the twin of a site (`ketwin central`: the site's lease went to another worker); false when it ran no such site. */
  removeSite(siteId: string): boolean;
  /**
   * Adds an evidence record to a running site (an inspection recorded through the UI) and judges the
   * evidence clauses of its kind again at once — in place: the live twin (its readings, its hazard
   * models' memory of a storm or a doubted gauge, its alarms) is not rebuilt. Throws ENGINE_UNKNOWN_SITE.
   */
  addEvidence(siteId: string, entry: EvidenceRecord): void;
  clauses(siteId: string): ClauseInfo[];
  /**
   * Takes back the open alerts db stored before a restart (store.openAlerts per site), before the
   * first sample: same ids and lifecycle, escalation and shelving timers re-armed, and no duplicate
   * when their conditions come back. Alerts of sites this engine does not run are ignored.
   */
  restoreAlerts(alerts: readonly Alert[]): void;
  /** operator acknowledges an alarm; a comment is required. Throws EngineError (ENGINE_UNKNOWN_ALERT, ENGINE_ALERT_STATE, ENGINE_BAD_COMMAND). */
  acknowledge(alertId: string, by: string, comment: string): Alert;
  /** shelves an alarm until `untilMs` (at most the standard's maxShelve); it unshelves itself then. Throws ENGINE_NOT_SHELVABLE for what the standard never lets be shelved (severity 1, incidents) */
  shelve(alertId: string, by: string, untilMs: number, reason: string): Alert;
  unshelve(alertId: string, by: string, comment?: string): Alert;
  /** suppresses by design every alarm on an asset (out of service), now and until unsuppressed; returns the alarms it touched. Never-shelve alarms stay in view (ENGINE_NOT_SHELVABLE while one is open on the asset) */
  suppress(siteId: string, assetId: string, by: string, reason: string): Alert[];
  unsuppress(siteId: string, assetId: string, by: string): Alert[];
  /** a person closes an incident whose condition has cleared ("awaiting close"), with a comment */
  close(alertId: string, by: string, comment: string): Alert;
  /**
   * a manager declares a transfer on a tank (direction, expected rate, until): the stuck-gauge check
   * treats it like an open valve and a flow. Replaces the tank's earlier declaration; one whose end has
   * passed ends the transfer. Throws ENGINE_UNKNOWN_SITE, ENGINE_UNKNOWN_ASSET (no such tank with a level gauge).
   */
  declareTransfer(siteId: string, declaration: TransferDeclaration): TransferDeclaration;
  /** the transfers declared on a site that stand now */
  transfers(siteId: string): TransferDeclaration[];
  /** a rescue team reports its progress on an incident: acknowledged, en-route, on-scene */
  respond(alertId: string, by: string, status: string): Alert;
  /** an open alert by id */
  alert(alertId: string): Alert | undefined;
  /** the site's alarm-system health now (EEMUA 191 / ISA-18.2); also emitted as `health` events when it changes. Undefined for an unknown site or a standard without an alarms section */
  health(siteId: string): AlarmHealth | undefined;
  dispose(): void;
}

/** Builds the live twin of every site, compiling each clause once per subject. */
export function createEngine(options: EngineOptions): Engine {
  const scheduler = options.scheduler ?? asyncScheduler;
  const logger = options.logger ?? pino({ level: 'silent' });
  const events = new EventChannel<LiveEvent>();
  const emit = (event: LiveEvent) => events.next(event);
  const healths = createSiteHealths(scheduler, (data) => emit({ type: 'health', data }));
  const createRuntime = (site: Site) => {
    const standard = standardFor(site, options.standards, logger);
    return createSiteRuntime(site, standard, scheduler, emit, logger, healths.of(site.id, standard));
  };

  const runtimes = new Map<string, SiteRuntime>();
  try {
    for (const site of options.sites) {
      if (runtimes.has(site.id)) throw new EngineError('ENGINE_DUPLICATE_SITE', `site ${site.id} is given twice`);
      runtimes.set(site.id, createRuntime(site));
    }
  } catch (error) {
    for (const runtime of runtimes.values()) runtime.dispose();
    healths.dispose();
    throw error;
  }

  const of = <T extends LiveEvent['type']>(type: T) =>
    events.observable.pipe(
      filter((e): e is Extract<LiveEvent, { type: T }> => e.type === type),
      map((e) => e.data as Extract<LiveEvent, { type: T }>['data']),
    );

  const runtimeOfAlert = (alertId: string) => {
    const runtime = runtimes.get(alertId.split(':')[0] ?? '');
    if (!runtime?.alarms.get(alertId)) throw new EngineError('ENGINE_UNKNOWN_ALERT', `no open alert ${alertId}`);
    return runtime;
  };
  const runtimeOfAsset = (siteId: string, assetId: string) => {
    const runtime = runtimes.get(siteId);
    if (!runtime) throw new EngineError('ENGINE_UNKNOWN_SITE', `site ${siteId} is not in this engine`);
    if (!runtime.site.assets.some((a) => a.id === assetId)) throw new EngineError('ENGINE_UNKNOWN_ASSET', `site ${siteId} has no asset ${assetId}`);
    return runtime;
  };

  return {
    restoreAlerts(alerts) {
      for (const runtime of runtimes.values()) runtime.restore(alerts);
    },
    acknowledge: (alertId, by, comment) => runtimeOfAlert(alertId).alarms.acknowledge(alertId, by, comment),
    shelve: (alertId, by, untilMs, reason) => runtimeOfAlert(alertId).alarms.shelve(alertId, by, untilMs, reason),
    unshelve: (alertId, by, comment) => runtimeOfAlert(alertId).alarms.unshelve(alertId, by, comment),
    suppress: (siteId, assetId, by, reason) => runtimeOfAsset(siteId, assetId).alarms.suppress(assetId, by, reason),
    unsuppress: (siteId, assetId, by) => runtimeOfAsset(siteId, assetId).alarms.unsuppress(assetId, by),
    respond: (alertId, by, status) => runtimeOfAlert(alertId).alarms.respond(alertId, by, status),
    close: (alertId, by, comment) => runtimeOfAlert(alertId).alarms.close(alertId, by, comment),
    declareTransfer(siteId, declaration) {
      const runtime = runtimes.get(siteId);
      if (!runtime) throw new EngineError('ENGINE_UNKNOWN_SITE', `site ${siteId} is not in this engine`);
      return runtime.declareTransfer(declaration);
    },
    transfers: (siteId) => runtimes.get(siteId)?.transfers() ?? [],
    alert: (alertId) => runtimes.get(alertId.split(':')[0] ?? '')?.alarms.get(alertId),
    health: (siteId) => (runtimes.has(siteId) ? healths.figures(siteId) : undefined),
    ingest(sample) {
      const runtime = runtimes.get(sample.site);
      if (!runtime || !runtime.ingest(sample)) logger.debug({ site: sample.site, point: sample.point }, 'sample for no known point dropped');
    },
    results$: of('result'),
    scores$: of('score'),
    alerts$: of('alert'),
    events$: events.observable,
    snapshot: (siteId) => runtimes.get(siteId)?.snapshot(),
    updateSite(site) {
      const old = runtimes.get(site.id);
      if (!old) throw new EngineError('ENGINE_UNKNOWN_SITE', `site ${site.id} is not in this engine; it holds ${[...runtimes.keys()].join(', ')}`);
      const runtime = createRuntime(site);
      const readings = Object.values(old.snapshot().values);
      const open = old.alarms.open();
      old.dispose();
      runtimes.set(site.id, runtime);
      runtime.restore(open); // alarm state survives a new site definition
      for (const declaration of old.transfers()) runtime.declareTransfer(declaration); // so do declared transfers
      for (const sample of readings) runtime.ingest(sample);
      const score = runtime.snapshot().score;
      if (score) emit({ type: 'score', data: { ...score, ts: scheduler.now() } });
      logger.info({ site: site.id, readings: readings.length }, 'site definition replaced');
    },
    addSite(site) {
      if (runtimes.has(site.id)) throw new EngineError('ENGINE_DUPLICATE_SITE', `site ${site.id} runs in this engine already`);
      runtimes.set(site.id, createRuntime(site));
    },
    removeSite(siteId) {
      const runtime = runtimes.get(siteId);
      if (!runtime) return false;
      runtimes.delete(siteId);
      runtime.dispose();
      return true;
    },
    addEvidence(siteId, entry) {
      const runtime = runtimes.get(siteId);
      if (!runtime) throw new EngineError('ENGINE_UNKNOWN_SITE', `site ${siteId} is not in this engine; it holds ${[...runtimes.keys()].join(', ')}`);
      runtime.addEvidence(entry);
    },
    clauses: (siteId) => {
      const runtime = runtimes.get(siteId);
      return runtime ? clauseInfo(runtime.standard) : [];
    },
    dispose() {
      for (const runtime of runtimes.values()) runtime.dispose();
      runtimes.clear();
      healths.dispose();
      events.complete();
    },
  };
}

/** The newest loaded version of the first standard the site names. */
function standardFor(site: Site, standards: Standard[], logger: Logger): Standard {
  for (const id of site.standards) {
    const versions = standards.filter((s) => s.id === id);
    if (versions.length === 0) continue;
    const chosen = versions.reduce((a, b) => (compareVersions(b.version, a.version) > 0 ? b : a));
    const others = site.standards.filter((other) => other !== id);
    if (others.length > 0) logger.warn({ site: site.id, scoredBy: chosen.key, ignored: others }, 'one standard per site for now');
    return chosen;
  }
  throw new EngineError(
    'ENGINE_NO_STANDARD',
    `site ${site.id} is scored against ${site.standards.join(', ')} but none of them is loaded (loaded: ${standards.map((s) => s.key).join(', ') || 'none'})`,
  );
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
