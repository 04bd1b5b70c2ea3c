/** `ketwin edge`: at a depot, its collectors and disk buffer, publishing to NATS JetStream. */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Site } from '../model/index.ts';
import type { SiteCollectionStats } from '../collector/index.ts';
import { createJetStreamBus, startHealthBeacon, type JetStreamBusOptions, type JetStreamBusStats } from '../bus/index.ts';
import type { DepotSim } from '../sim/index.ts';
import { closeOnSignal } from './close-on-signal.ts';
import { loadSites } from './configuration.ts';
import { DEFAULT_NATS, type KetwinOptions } from './options.ts';
import { startSimulatedDepots } from './simulated-depots.ts';

export interface EdgeOptions {
  /** the depot's sites (usually one), as loaded */
  sites: Site[];
  dataDir: string;
  simulate: KetwinOptions['simulate'];
  logger: Logger;
  /** the JetStream bus it publishes to (servers, prefix, publish timeout, stream limits) */
  bus: Omit<JetStreamBusOptions, 'logger' | 'name'>;
  /** how often its health and backlog go out on <prefix>.<site>.health, ms */
  healthEveryMs: number;
  /**
   * samples the disk buffer keeps while NATS is away (default 100,000,000: at 2,000 samples/s some 14 h,
   * about 6 GB); past it the oldest are dropped, counted and reported (collector.buffer_full)
   */
  bufferSamples?: number;
}

export interface Edge {
  sites: Site[];
  sims: DepotSim[];
  stats(): { collection: SiteCollectionStats; bus: JetStreamBusStats; health: { published: number; skipped: number } };
  /** resolves once everything collected so far was published (acknowledged by JetStream) */
  drained(): Promise<void>;
  /** stops collecting; what is not published yet stays in the disk buffer for the next start */
  close(): Promise<void>;
}

/**
 * `ketwin edge`, at a depot: its collectors into the one durable queue (the collector buffer under
 * <dataDir>/buffer), and the queue's downstream a JetStream publisher: a batch is acked in the queue
 * only after every PubAck, so while NATS is unreachable the samples wait on disk and go out in order,
 * each once, when the link returns. Its health and backlog go out on <prefix>.<site>.health.
 */
export async function startEdge(options: EdgeOptions): Promise<Edge> {
  const { logger } = options;
  const stops: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        logger.error({ err: error }, 'error during shutdown');
      }
    }
  };
  try {
    const sims = await startSimulatedDepots(options.sites, options.simulate, logger, stops);
    const sites = options.simulate ? sims.map((sim) => sim.siteWithEndpoints()) : options.sites;
    const ids = sites.map((s) => s.id);
    const bus = createJetStreamBus({ ...options.bus, name: `ketwin-edge ${ids.join(',')}`, logger });
    stops.push(() => bus.close());
    // this run's rows: a batch offered again after a refusal carries the same id and positions
    const origin = randomUUID();
    const { startSiteCollection } = await import('../collector/index.ts');
    const collection = startSiteCollection({
      sites,
      bufferDir: join(options.dataDir, 'buffer'),
      buffer: { maxOnDisk: options.bufferSamples ?? 100_000_000 },
      dataDir: options.dataDir,
      logger: logger.child({ part: 'collector' }),
      consume: (batch, at) => bus.publishSamples(batch, { origin, ...at }),
    });
    stops.push(() => collection.stop());
    const beacon = startHealthBeacon({
      bus,
      sites: ids,
      type: 'edge-health',
      from: origin,
      everyMs: options.healthEveryMs,
      logger,
      report: (site) => {
        const { buffer, sources, collected } = collection.stats();
        const b = bus.stats();
        return {
          link: b.connected ? 'up' : 'down',
          backlog: { samples: buffer.depth, onDisk: buffer.onDisk, dropped: buffer.dropped, full: buffer.full },
          collected,
          published: b.samples,
          sources: sources.filter((s) => s.site === site).map((s) => ({ id: s.source, online: s.online, samples: s.samples })),
        };
      },
    });
    stops.push(() => beacon.stop());
    return {
      sites,
      sims,
      stats: () => ({ collection: collection.stats(), bus: bus.stats(), health: beacon.stats() }),
      drained: () => collection.drained(),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export async function runEdge(options: KetwinOptions): Promise<void> {
  const nats = options.nats ?? DEFAULT_NATS;
  const edge = await startEdge({
    sites: await loadSites(options.sitesDir),
    dataDir: options.dataDir,
    simulate: options.simulate,
    logger: options.logger,
    bus: { servers: nats.servers, prefix: nats.prefix, ...(nats.replicas ? { stream: { replicas: nats.replicas } } : {}) },
    healthEveryMs: options.edgeHealthMs ?? 10_000,
    bufferSamples: options.edgeBufferSamples,
  });
  const sites = edge.sites.map((s) => s.id);
  options.logger.info({ sites, nats: nats.servers, prefix: nats.prefix }, 'ketwin edge is running');
  console.log(`\n  ketwin edge is running: sites ${sites.join(', ')} → ${nats.servers.join(', ')} (subjects ${nats.prefix}.<site>.samples)\n  (Ctrl-C to stop)\n`);
  closeOnSignal(options, edge, () => {
    const { collection, bus } = edge.stats();
    return { collected: collection.collected, published: bus.samples, leftOnDisk: collection.buffer.onDisk };
  });
}
