/**
 * `ketwin central`'s engine worker: it owns the sites whose lease it holds (bus/ site leases, a JetStream
 * key-value bucket) and only those. Taking a site, it rebuilds the site's twin from the shared store
 * (open alerts, the transfers that still stand, the newest stored reading of every point, in time
 * order) and then takes the site's samples from its durable consumer where the last owner stopped.
 * A batch is acked only after the store committed its samples, so the consumer's position is what is
 * stored: a worker killed at any point loses nothing to the next owner, and the samples table's key
 * (site, point, ts) keeps one copy of a batch that comes twice.
 */
import type { Logger } from 'pino';
import { systemClock, type ClauseResult, type Sample, type Site } from '../model/index.ts';
import { createJetStreamBus, startJetStreamSiteLeases, type BusSubscription, type JetStreamBusStats, type SiteLeaseStats } from '../bus/index.ts';
import type { Engine } from '../engine/index.ts';
import type { Store } from '../db/index.ts';
import { MAX_DECLARED_MS, standingTransfers, TRANSFER_AUDIT_ACTIONS } from '../ui/server/index.ts';
import { combineWrites } from './combined-writes.ts';
import { startEdgeWatch, type EdgeHealth } from './edge-watch.ts';

export interface CentralWorkerOptions {
  /** the sites it may own (with their evidence), by id */
  sites: () => readonly Site[];
  engine: Engine;
  store: Store;
  nats: { servers: string[]; prefix: string; replicas?: number };
  /** the samples of a site it owns, once stored, before they reach the engine (metrics) */
  taken?: (samples: readonly Sample[]) => void;
  /** records a verdict change (the writer); the rebuild's verdicts that differ from the stored record go here */
  record: (result: ClauseResult) => void;
  /** a lease not renewed for this long runs out (default 8000 ms) */
  leaseTtlMs?: number;
  /** the edges' health beat (KETWIN_EDGE_HEALTH_MS, default 10 s): an edge not heard for three of them is silent */
  edgeHealthMs?: number;
  logger: Logger;
}

export interface CentralWorker {
  owned(): string[];
  /**
   * true when the worker keeps this verdict change back: its site is being rebuilt. At the end of the
   * rebuild, the verdicts the twin reached that differ from the stored record are recorded (`record`), so
   * the record shows no change a single process would not have made (no "unknown" while the readings came
   * back, no repeat of a verdict already stored).
   */
  holds(result: ClauseResult): boolean;
  busReady(): { ok: boolean; detail?: string };
  /** the edges of the sites it owns, as their last health beats say (silent ones flagged) */
  edges(): EdgeHealth[];
  stats(): { samples: number; leases: SiteLeaseStats; bus: JetStreamBusStats };
  stop(): Promise<void>;
}

/** how far back the newest stored reading of a point is looked for */
const REBUILD_WINDOW_MS = 24 * 3600_000;
/** the durable consumer's name on every site's stream */
const DURABLE = 'central';
/** a worker gone is noticed by ack_wait: its in-flight batch comes to the next owner after this */
const ACK_WAIT_MS = 10_000;
/** a store away: a batch waits for it this long (kept, reported working) before it is asked for again */
const STORE_WAIT_MS = 10 * 60_000;
/** the owned sites' batches go to the store together (combined-writes.ts): writes under way at once (the pool has 4 connections), rows in one */
const WRITES_AT_ONCE = 2;
const ROWS_PER_WRITE = 20_000;

export function startCentralWorker(options: CentralWorkerOptions): CentralWorker {
  const { engine, store } = options;
  const logger = options.logger.child({ part: 'central-worker' });
  const bus = createJetStreamBus({
    servers: options.nats.servers,
    prefix: options.nats.prefix,
    name: `ketwin-central ${options
      .sites()
      .map((s) => s.id)
      .join(',')}`,
    ...(options.nats.replicas ? { stream: { replicas: options.nats.replicas } } : {}),
    ackWaitMs: ACK_WAIT_MS,
    maxHandleMs: STORE_WAIT_MS,
    logger,
  });
  const subscriptions = new Map<string, BusSubscription>();
  /** sites being rebuilt: their verdict changes so far, the last per (clause, subject) */
  const rebuilding = new Map<string, Map<string, ClauseResult>>();
  const resultKey = (r: ClauseResult) => `${r.clause}\u0000${r.subject}`;
  let samples = 0;
  let stopping = false;

  const siteOf = (id: string): Site => {
    const site = options.sites().find((s) => s.id === id);
    if (!site) throw new Error(`central: no site ${id}`);
    return site;
  };

  async function rebuild(site: Site): Promise<number> {
    const held = new Map<string, ClauseResult>();
    rebuilding.set(site.id, held);
    try {
      const readings = await rebuildTwin(site);
      const stored = new Map((await store.latestResults(site.id)).map((r) => [resultKey(r), r.verdict]));
      for (const [key, result] of held) if (stored.get(key) !== result.verdict) options.record(result);
      return readings;
    } finally {
      rebuilding.delete(site.id);
    }
  }

  async function rebuildTwin(site: Site): Promise<number> {
    engine.addSite(site);
    engine.restoreAlerts((await store.openAlerts(site.id)).filter((a) => a.exercise !== true)); // an exercise ended with the process that ran it
    const now = systemClock.now();
    for (const { site: id, declaration } of standingTransfers(await store.auditOf(TRANSFER_AUDIT_ACTIONS, now - MAX_DECLARED_MS), now)) {
      if (id !== site.id) continue;
      try {
        engine.declareTransfer(id, declaration);
      } catch (error) {
        logger.warn({ err: error, site: id, tank: declaration.tank }, 'a declared transfer could not be taken back');
      }
    }
    // nothing of the site's stream ever acknowledged: nothing of it was stored, and all of it comes from the stream
    if ((await bus.samplesTaken(site.id, DURABLE)) === 0) return 0;
    // one query for the whole site (a point at a time, a 2,000-point site took so long that a worker taking over
    // 50 sites let its lease rounds wait behind the rebuilds); the store gives them oldest first
    const points = new Set(site.points.map((p) => p.id));
    let readings = 0;
    for (const last of await store.newestReadings(site.id, now - REBUILD_WINDOW_MS, now)) {
      if (last.value === null || !points.has(last.point)) continue; // a point stored under an older model of the site stays out
      engine.ingest({ site: site.id, point: last.point, value: last.value, quality: last.quality, ts: last.ts, ...(last.reason ? { reason: last.reason } : {}) });
      readings++;
    }
    return readings;
  }

  const writes = combineWrites((samples) => store.writeSamples(samples), { concurrency: WRITES_AT_ONCE, maxRows: ROWS_PER_WRITE });
  async function stored(batch: readonly Sample[], site: string): Promise<void> {
    for (let failures = 0; ; failures++) {
      try {
        await writes.write(batch);
        return;
      } catch (error) {
        if (stopping || !subscriptions.has(site)) throw error; // the next owner takes it
        if (failures === 0) logger.warn({ err: error, site }, 'central: the store refused a batch; trying again');
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** failures)));
      }
    }
  }

  const leases = startJetStreamSiteLeases({
    servers: options.nats.servers,
    prefix: options.nats.prefix,
    sites: options.sites().map((s) => s.id),
    ...(options.leaseTtlMs ? { ttlMs: options.leaseTtlMs } : {}),
    ...(options.nats.replicas ? { replicas: options.nats.replicas } : {}),
    logger,
    handlers: {
      async acquired(id) {
        const started = performance.now();
        try {
          const readings = await rebuild(siteOf(id));
          const subscription = await bus.subscribeSamples({
            name: DURABLE,
            sites: [id],
            handle: async (batch) => {
              await stored(batch, id);
              // a combined write resolves the batches of many sites at once: each goes into the engine in a turn
              // of its own, so that the lease renewals' timers run between them on a busy machine (a loop held
              // up past 6 s lets every lease go, and another worker rebuilds the sites)
              await new Promise((resolve) => setImmediate(resolve));
              for (const sample of batch) engine.ingest(sample);
              samples += batch.length;
              options.taken?.(batch);
            },
          });
          subscriptions.set(id, subscription);
          logger.info({ site: id, readings, ms: Math.round(performance.now() - started) }, `central: site ${id} taken over (twin rebuilt from the store)`);
        } catch (error) {
          // whatever failed (the store, the bus just back), the twin goes with the lease: the next try starts clean
          engine.removeSite(id);
          throw error;
        }
      },
      async released(id, why) {
        const subscription = subscriptions.get(id);
        subscriptions.delete(id);
        await subscription?.stop();
        engine.removeSite(id);
        logger.info({ site: id, why }, `central: site ${id} released (${why})`);
      },
    },
  });

  // read once a beat (at most every 5 s): a beat's age then stays under two beats while the edge is heard
  const beatMs = options.edgeHealthMs ?? 10_000;
  const edgeWatch = startEdgeWatch({ bus, sites: () => leases.owned(), everyMs: Math.min(beatMs, 5000), silentAfterMs: 3 * beatMs, logger });

  return {
    owned: () => leases.owned(),
    edges: () => edgeWatch.edges(),
    holds(result) {
      const held = rebuilding.get(result.site);
      if (!held) return false;
      held.set(resultKey(result), result);
      return true;
    },
    busReady: () => {
      const { connected } = bus.stats();
      if (!connected) return { ok: false, detail: `NATS ${options.nats.servers.join(', ')} not reachable` };
      return leases.owned().length > 0 ? { ok: true } : { ok: false, detail: 'no site owned yet' };
    },
    stats: () => ({ samples, leases: leases.stats(), bus: bus.stats() }),
    async stop() {
      stopping = true;
      await edgeWatch.stop();
      await leases.close(); // stops each site's subscription, then gives its lease back
      await bus.close();
    },
  };
}
