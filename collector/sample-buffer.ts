import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { systemClock, type Sample } from '../model/index.ts';
import { adoptOldestSegment, openDurableQueue, sampleCodec, type QueueConsumer } from '../queue/index.ts';
import { CollectorError, type SampleSink } from './source.ts';

/**
 * Where buffered samples go, a batch at a time, in arrival order. Returning a Promise is
 * backpressure: the next batch waits for it; a rejection means "downstream is down", and the
 * same batch (the same rows at the same positions) is offered again after a back-off. `at` is
 * where the rows are in the buffer, this run: positions [start, end) without `holes` (damaged
 * lines skipped), so that a downstream that may have taken a batch it was not told about (a
 * broker whose acknowledgement was lost) can tell the batch again.
 */
export type SampleDownstream = (batch: Sample[], at: { start: number; end: number; holes?: readonly number[] }) => void | Promise<unknown>;

export interface SampleBufferOptions {
  /** folder of the buffer's segments (created if missing; what a previous run left is delivered first) */
  dir: string;
  downstream: SampleDownstream;
  /**
   * other consumers of the same samples (in main: the database writer), each reading at its own pace
   * and acking after its own commit; a sample leaves the buffer once the downstream and each of them
   * are done with it, and each goes on where it was after a restart
   */
  consumers?: readonly string[];
  /** samples held in memory; past it the oldest wait on disk (default 100 000) */
  maxInMemory?: number;
  /** samples held on disk besides; past both bounds the oldest are dropped, counted and reported (default 10 000 000) */
  maxOnDisk?: number;
  /** samples per batch handed downstream (default 1000) */
  batchSize?: number;
  /** samples per segment file (default 50 000) */
  segmentSize?: number;
  /** retry back-off when downstream rejects, ms (default 200 → 5000) */
  retry?: { initialDelayMs?: number; maxDelayMs?: number };
  /**
   * group commit: at least this often, samples some consumer has not acked are written to disk, so
   * that a killed process loses at most this much; default 200 ms
   */
  commitMs?: number;
  logger?: Logger;
  now?: () => number;
}

export interface SampleBufferStats {
  inMemory: number;
  onDisk: number;
  /** samples kept (not yet acked by every consumer): inMemory + onDisk */
  depth: number;
  delivered: number;
  /** samples that went through disk because they left memory first */
  spilled: number;
  /** the oldest samples dropped because the buffer was full (reported as collector.buffer_full) */
  dropped: number;
  full: boolean;
  /** the buffer's files: bytes, segment files, damaged lines skipped */
  bytes: number;
  segments: number;
  corrupt: number;
}

/**
 * A bounded store-and-forward buffer on the durable queue: memory first, then disk, in order;
 * nothing dropped silently. Whatever a consumer has not acked is on disk within `commitMs` (group
 * commit), whether it waits in memory or was spilled; a restart after kill -9 delivers it first (at
 * least once: a sample acked just before the kill may come again).
 */
export interface SampleBuffer {
  /** the sink sources deliver into */
  readonly sink: SampleSink;
  /** one of `options.consumers`: reads the samples at its own pace and acks them after its own commit */
  consumer(name: string): QueueConsumer<Sample>;
  stats(): SampleBufferStats;
  /** resolves once everything pushed so far has been delivered downstream */
  drained(): Promise<void>;
  /**
   * writes what is not acked yet to disk now (the group commit, on demand): for a sink that must tell its
   * own sender "kept" only once a kill cannot lose it (a JetStream message acked after this)
   */
  commit(): void;
  /** stops delivering; what is not delivered yet is kept on disk for the next run */
  close(): Promise<void>;
}

/** The sample reporting that the buffer drops its oldest samples (true) or has room again (false). */
export const BUFFER_FULL_POINT = 'collector.buffer_full';
const DOWNSTREAM = 'downstream';

export function createSampleBuffer(options: SampleBufferOptions): SampleBuffer {
  const maxInMemory = options.maxInMemory ?? 100_000;
  const maxOnDisk = options.maxOnDisk ?? 10_000_000;
  const batchSize = options.batchSize ?? 1000;
  if (!(maxInMemory >= batchSize && batchSize > 0 && maxOnDisk > 0)) {
    throw new CollectorError('COLLECTOR_CONFIG', `sample buffer ${options.dir}: needs maxInMemory ≥ batchSize > 0 and maxOnDisk > 0`);
  }
  if ((options.consumers ?? []).includes(DOWNSTREAM)) throw new CollectorError('COLLECTOR_CONFIG', `sample buffer ${options.dir}: "${DOWNSTREAM}" is the buffer's own consumer`);
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ part: 'sample-buffer', dir: options.dir });
  const now = options.now ?? systemClock.now;
  const initialDelay = options.retry?.initialDelayMs ?? 200;
  const maxDelay = options.retry?.maxDelayMs ?? 5000;
  const maxKept = maxInMemory + maxOnDisk;
  let dropping = false;
  upgradeHeadLog(options.dir);
  const queue = openDurableQueue<Sample>({
    dir: options.dir,
    codec: sampleCodec,
    consumers: [DOWNSTREAM, ...(options.consumers ?? [])],
    maxInMemory,
    maxRows: maxKept,
    segmentRows: options.segmentSize ?? Math.min(50_000, maxInMemory),
    commitMs: options.commitMs ?? 200,
    onCorrupt: (damage) => logger.warn(damage, `sample buffer ${options.dir}: skipped a damaged line (cut short by a crash?)`),
    onDrop: () => void (dropping = true),
    onError: (error) => logger.error({ err: error }, `sample buffer ${options.dir}: writing to disk failed; samples stay in memory`),
  });
  const downstream = queue.consumer(DOWNSTREAM);
  const left = downstream.backlog().rows;
  if (left > 0) logger.info({ samples: left }, `sample buffer ${options.dir}: delivering ${left} samples left by a previous run first`);
  let delivered = 0;
  /** sites whose buffer_full = true was reported and not yet cleared */
  const fullFor = new Set<string>();
  let closed = false;
  let pumping = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let wakeRetry: (() => void) | undefined;
  let waiters: (() => void)[] = [];

  const report = (site: string, full: boolean): void => queue.append({ site, point: BUFFER_FULL_POINT, value: full, quality: 'good', ts: now() });

  function push(sample: Sample) {
    if (closed) throw new CollectorError('COLLECTOR_STATE', `sample buffer ${options.dir}: push after close`);
    queue.append(sample);
    if (dropping) {
      dropping = false;
      if (!fullFor.has(sample.site)) {
        fullFor.add(sample.site);
        const { inMemory, onDisk } = queue.stats();
        logger.warn({ site: sample.site, inMemory, onDisk }, `sample buffer ${options.dir}: full, dropping the oldest samples until downstream catches up`);
        report(sample.site, true);
        dropping = false;
      }
    }
    schedule();
  }

  /** room again (a tenth of the bound, so that a buffer at its edge does not report every batch) */
  function reportRoom() {
    if (fullFor.size === 0 || queue.stats().rows > maxKept * 0.9) return;
    for (const site of fullFor) {
      logger.info({ site }, `sample buffer ${options.dir}: room again`);
      report(site, false);
    }
    fullFor.clear();
  }

  function schedule() {
    if (pumping || closed) return;
    pumping = true;
    setImmediate(pump);
  }

  async function pump() {
    let failures = 0;
    /** after a refusal, the same rows again: not more, which would be a batch of other positions */
    let again: number | undefined;
    try {
      while (!closed) {
        const batch = downstream.read(again ?? batchSize);
        if (batch.end === batch.start) break;
        if (batch.rows.length > 0) {
          try {
            const result = options.downstream(batch.rows, batch);
            if (result && typeof (result as Promise<unknown>).then === 'function') await result;
            failures = 0;
            again = undefined;
          } catch (error) {
            downstream.rewind();
            again = batch.rows.length;
            failures++;
            const delay = Math.min(maxDelay, initialDelay * 2 ** (failures - 1));
            if (failures === 1) logger.warn({ err: error, depth: queue.stats().rows }, `sample buffer ${options.dir}: downstream refused a batch, holding samples`);
            await new Promise<void>((resolve) => {
              wakeRetry = resolve;
              retryTimer = setTimeout(resolve, delay);
            });
            continue;
          }
        }
        downstream.ack(batch);
        delivered += batch.rows.length;
        reportRoom();
        if (delivered % (batchSize * 64) < batchSize) await new Promise((r) => setImmediate(r)); // let pushes in
      }
    } finally {
      pumping = false;
      if (downstream.backlog().rows === 0) for (const resolve of waiters.splice(0)) resolve();
      else if (!closed) schedule();
    }
  }

  if (left > 0) schedule(); // what a previous run left goes first, without waiting for a new sample

  return {
    sink: push,
    consumer(name) {
      if (name === DOWNSTREAM) throw new CollectorError('COLLECTOR_CONFIG', `sample buffer ${options.dir}: "${DOWNSTREAM}" is the buffer's own consumer`);
      return queue.consumer(name);
    },
    stats() {
      const s = queue.stats();
      return {
        inMemory: s.inMemory,
        onDisk: s.onDisk,
        depth: s.rows,
        delivered,
        spilled: s.spilled,
        dropped: s.dropped,
        full: fullFor.size > 0,
        bytes: s.bytes,
        segments: s.segments,
        corrupt: s.corrupt,
      };
    },
    commit: () => queue.commit(),
    drained() {
      if (downstream.backlog().rows === 0 && !pumping) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(retryTimer);
      wakeRetry?.();
      while (pumping) await new Promise((r) => setImmediate(r));
      queue.close();
      waiters = [];
      logger.info({ onDisk: queue.stats().onDisk }, `sample buffer ${options.dir}: closed`);
    },
  };
}

/** An older version kept the buffer's in-memory head in head.wal, older than every segment: it becomes the oldest segment. */
function upgradeHeadLog(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const headLog = join(dir, 'head.wal');
  if (existsSync(headLog)) adoptOldestSegment(dir, headLog);
}
