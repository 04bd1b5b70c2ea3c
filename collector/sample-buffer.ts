import { pino, type Logger } from 'pino';
import type { Sample } from '../model/index.ts';
import { openSegmentStore } from './segment-store.ts';
import { CollectorError, type SampleSink } from './source.ts';

/**
 * Where buffered samples go, a batch at a time, in arrival order. Returning a Promise is
 * backpressure: the next batch waits for it; a rejection means "downstream is down", and the
 * same batch is offered again after a back-off.
 */
export type SampleDownstream = (batch: Sample[]) => void | Promise<unknown>;

export interface SampleBufferOptions {
  /** folder of the spill segments (created if missing; segments left by a previous run are delivered first) */
  dir: string;
  downstream: SampleDownstream;
  /** samples held in memory before spilling to disk (default 100 000) */
  maxInMemory?: number;
  /** samples held on disk before the buffer is full and drops new samples (default 10 000 000) */
  maxOnDisk?: number;
  /** samples per batch handed downstream (default 1000) */
  batchSize?: number;
  /** samples per segment file (default 50 000) */
  segmentSize?: number;
  /** retry back-off when downstream rejects, ms (default 200 → 5000) */
  retry?: { initialDelayMs?: number; maxDelayMs?: number };
  logger?: Logger;
  now?: () => number;
}

export interface SampleBufferStats {
  inMemory: number;
  onDisk: number;
  /** inMemory + onDisk */
  depth: number;
  delivered: number;
  /** samples that went through disk */
  spilled: number;
  /** samples refused because the buffer was full (each reported) */
  dropped: number;
  full: boolean;
}

/** A bounded store-and-forward buffer: memory first, then disk, in order; nothing dropped silently. */
export interface SampleBuffer {
  /** the sink sources deliver into */
  readonly sink: SampleSink;
  stats(): SampleBufferStats;
  /** resolves once everything pushed so far has been delivered */
  drained(): Promise<void>;
  /** stops delivering; what is not delivered yet is kept on disk for the next run */
  close(): Promise<void>;
}

/** The sample reporting that the buffer refuses samples (true) or takes them again (false). */
export const BUFFER_FULL_POINT = 'collector.buffer_full';

export function createSampleBuffer(options: SampleBufferOptions): SampleBuffer {
  const maxInMemory = options.maxInMemory ?? 100_000;
  const maxOnDisk = options.maxOnDisk ?? 10_000_000;
  const batchSize = options.batchSize ?? 1000;
  if (!(maxInMemory >= batchSize && batchSize > 0 && maxOnDisk > 0)) {
    throw new CollectorError('COLLECTOR_CONFIG', `sample buffer ${options.dir}: needs maxInMemory ≥ batchSize > 0 and maxOnDisk > 0`);
  }
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ part: 'sample-buffer', dir: options.dir });
  const now = options.now ?? Date.now;
  const initialDelay = options.retry?.initialDelayMs ?? 200;
  const maxDelay = options.retry?.maxDelayMs ?? 5000;
  const disk = openSegmentStore(options.dir, options.segmentSize ?? Math.min(50_000, maxInMemory), (file, line) =>
    logger.warn({ file, line }, `sample buffer ${options.dir}: skipped a damaged line (cut short by a crash?)`),
  );
  if (disk.count > 0) logger.info({ onDisk: disk.count }, `sample buffer ${options.dir}: delivering ${disk.count} samples left by a previous run first`);

  // the in-memory head of the queue: memory[head..] are the oldest samples
  let memory: Sample[] = [];
  let head = 0;
  const counts = { delivered: 0, spilled: 0, dropped: 0 };
  /** sites whose buffer_full = true was reported and not yet cleared */
  const fullFor = new Set<string>();
  let closed = false;
  let pumping = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let wakeRetry: (() => void) | undefined;
  let waiters: (() => void)[] = [];

  const inMemory = () => memory.length - head;
  const depth = () => inMemory() + disk.count;

  function report(site: string, full: boolean) {
    // reports go to the head of nothing: they join the queue like any sample (memory may exceed its bound by these few)
    const sample: Sample = { site, point: BUFFER_FULL_POINT, value: full, quality: 'good', ts: now() };
    if (disk.count > 0) disk.append(sample);
    else memory.push(sample);
  }

  function push(sample: Sample) {
    if (closed) throw new CollectorError('COLLECTOR_STATE', `sample buffer ${options.dir}: push after close`);
    if (disk.count === 0 && inMemory() < maxInMemory) {
      memory.push(sample);
    } else if (disk.count < maxOnDisk) {
      disk.append(sample);
      counts.spilled++;
    } else {
      counts.dropped++;
      if (!fullFor.has(sample.site)) {
        fullFor.add(sample.site);
        logger.warn({ site: sample.site, inMemory: inMemory(), onDisk: disk.count }, `sample buffer ${options.dir}: full, dropping new samples until downstream catches up`);
        memory.push({ site: sample.site, point: BUFFER_FULL_POINT, value: true, quality: 'good', ts: now() });
      }
    }
    schedule();
  }

  function refill() {
    if (inMemory() > 0) return;
    memory = disk.takeOldest();
    head = 0;
    if (fullFor.size > 0 && disk.count < maxOnDisk) {
      for (const site of fullFor) {
        logger.info({ site }, `sample buffer ${options.dir}: taking samples again`);
        report(site, false);
      }
      fullFor.clear();
    }
  }

  function schedule() {
    if (pumping || closed) return;
    pumping = true;
    setImmediate(pump);
  }

  async function pump() {
    let failures = 0;
    try {
      while (!closed) {
        refill();
        if (inMemory() === 0) break;
        const batch = memory.slice(head, head + batchSize);
        try {
          const result = options.downstream(batch);
          if (result && typeof (result as Promise<unknown>).then === 'function') await result;
          failures = 0;
        } catch (error) {
          failures++;
          const delay = Math.min(maxDelay, initialDelay * 2 ** (failures - 1));
          if (failures === 1) logger.warn({ err: error, depth: depth() }, `sample buffer ${options.dir}: downstream refused a batch, holding samples`);
          await new Promise<void>((resolve) => {
            wakeRetry = resolve;
            retryTimer = setTimeout(resolve, delay);
          });
          continue;
        }
        head += batch.length;
        counts.delivered += batch.length;
        if (head > 65_536 && head * 2 > memory.length) {
          memory = memory.slice(head);
          head = 0;
        }
        if (counts.delivered % (batchSize * 64) < batchSize) await new Promise((r) => setImmediate(r)); // let pushes in
      }
    } finally {
      pumping = false;
      disk.flush();
      if (depth() === 0) for (const resolve of waiters.splice(0)) resolve();
      else if (!closed) schedule();
    }
  }

  return {
    sink: push,
    stats: () => ({ inMemory: inMemory(), onDisk: disk.count, depth: depth(), ...counts, full: fullFor.size > 0 }),
    drained() {
      if (depth() === 0 && !pumping) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(retryTimer);
      wakeRetry?.();
      while (pumping) await new Promise((r) => setImmediate(r));
      disk.flush();
      disk.prependSegment(memory.slice(head));
      memory = [];
      head = 0;
      waiters = [];
      logger.info({ onDisk: disk.count }, `sample buffer ${options.dir}: closed`);
    },
  };
}
