import { pino, type Logger } from 'pino';
import type { Sample, Site } from '../model/index.ts';
import type { QueueConsumer } from '../queue/index.ts';
import { createSampleBuffer, type SampleBufferOptions, type SampleBufferStats, type SampleDownstream } from './sample-buffer.ts';
import { createSiteSources } from './site-sources.ts';
import type { Source, SourceStats } from './source.ts';
import { createLinkHeartbeat, type LinkHeartbeat } from './link-heartbeat.ts';
import { createStaleWatchdog, type StaleWatchdog } from './stale-watchdog.ts';

export interface SiteCollectionOptions {
  sites: Site[];
  /**
   * Where every sample goes, a batch at a time, in arrival order (in main: the engine and the db
   * writer). A Promise is backpressure; a rejection means "down": the batch is offered again.
   */
  consume: SampleDownstream;
  /** the buffer's spill folder (e.g. <dataDir>/buffer); what a previous run left there is consumed first */
  bufferDir: string;
  /**
   * the buffer's bounds and batch size (defaults: 100,000 in memory, 10,000,000 on disk, 1000 a batch), and
   * its other consumers (in main: the database writer, acking after its commit)
   */
  buffer?: Pick<SampleBufferOptions, 'maxInMemory' | 'maxOnDisk' | 'batchSize' | 'segmentSize' | 'retry' | 'consumers'>;
  /** home of the OPC-UA PKI folders (default ./data) */
  dataDir?: string;
  env?: Record<string, string | undefined>;
  logger?: Logger;
}

export interface SiteCollectionStats {
  sources: (SourceStats & { site: string })[];
  buffer: SampleBufferStats;
  /** samples taken from the sources, watchdogs and heartbeats since start (delivered + depth + dropped) */
  collected: number;
}

/** Every source of every site, through a stale watchdog and a link heartbeat per site, into one bounded spilling buffer. */
export interface SiteCollection {
  readonly sources: readonly { site: string; source: Source }[];
  /** one of `buffer.consumers`: the buffer's samples, read at its own pace and acked after its own commit */
  consumer(name: string): QueueConsumer<Sample>;
  stats(): SiteCollectionStats;
  /** resolves once everything collected so far has been consumed */
  drained(): Promise<void>;
  /** heartbeats first (a collection stopping claims no link), then sources, watchdogs and the buffer: what is not consumed yet stays on disk for the next start */
  stop(): Promise<void>;
}

/**
 * The collector in front of a consumer that may be slow or down: sources never wait for it and
 * nothing is lost or reordered; past the buffer's memory bound samples go to disk, past its disk
 * bound they are counted, logged and reported as `collector.buffer_full`.
 */
export function startSiteCollection(options: SiteCollectionOptions): SiteCollection {
  const logger = options.logger ?? pino({ level: 'silent' });
  const buffer = createSampleBuffer({ dir: options.bufferDir, downstream: options.consume, logger, ...options.buffer });
  let collected = 0;
  const sink = (sample: Sample) => {
    collected++;
    buffer.sink(sample);
  };
  const watchdogs: StaleWatchdog[] = [];
  const heartbeats: LinkHeartbeat[] = [];
  const sources: { site: string; source: Source }[] = [];
  for (const site of options.sites) {
    const heartbeat = createLinkHeartbeat({ site: site.id, sources: site.sources, sink });
    heartbeats.push(heartbeat);
    const watchdog = createStaleWatchdog({ site: site.id, points: site.points, sink: heartbeat.sink });
    watchdogs.push(watchdog);
    for (const source of createSiteSources(site, logger, { dataDir: options.dataDir, env: options.env })) {
      sources.push({ site: site.id, source });
      // a source that cannot connect keeps retrying on its own; start() only fails on misuse
      source.start(watchdog.sink).catch((error: unknown) => logger.error({ err: error, site: site.id, source: source.id }, 'source failed to start'));
    }
  }
  let stopped: Promise<void> | undefined;
  return {
    sources,
    consumer: (name) => buffer.consumer(name),
    stats: () => ({ sources: sources.map(({ site, source }) => ({ site, ...source.stats() })), buffer: buffer.stats(), collected }),
    drained: () => buffer.drained(),
    stop() {
      stopped ??= (async () => {
        for (const heartbeat of heartbeats) heartbeat.stop();
        await Promise.all(sources.map(({ source }) => source.stop()));
        for (const watchdog of watchdogs) watchdog.stop();
        await buffer.close();
      })();
      return stopped;
    },
  };
}
