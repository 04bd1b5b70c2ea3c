import { pino, type Logger } from 'pino';
import type { Sample } from '../model/index.ts';
import { openHeadLog, openSegmentStore } from './segment-store.ts';
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
  /**
   * group commit: at least this often, samples not yet taken by downstream are written to disk
   * (spilled lines flushed, the in-memory head appended to head.wal), so that a killed process
   * loses at most this much; default 200 ms
   */
  commitMs?: number;
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

/**
 * A bounded store-and-forward buffer: memory first, then disk, in order; nothing dropped silently.
 * Whatever downstream has not taken is on disk within `commitMs` (group commit), whether it waits
 * in memory or was spilled; a restart after kill -9 delivers it first (at least once: a sample
 * taken just before the kill may come again).
 */
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
  const headLog = openHeadLog(options.dir, (file, line) => logger.warn({ file, line }, `sample buffer ${options.dir}: skipped a damaged line (cut short by a crash?)`));
  // the in-memory head of the queue: memory[head..] are the oldest samples; a killed run's head comes first
  let memory: Sample[] = headLog.read();
  let head = 0;
  /** memory[0..logged) are in head.wal (those before `head` already taken) */
  let logged = memory.length;
  if (disk.count + memory.length > 0) logger.info({ onDisk: disk.count, head: memory.length }, `sample buffer ${options.dir}: delivering ${disk.count + memory.length} samples left by a previous run first`);
  const counts = { delivered: 0, spilled: 0, dropped: 0 };
  /** sites whose buffer_full = true was reported and not yet cleared */
  const fullFor = new Set<string>();
  let closed = false;
  let pumping = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let wakeRetry: (() => void) | undefined;
  let waiters: (() => void)[] = [];

  const inMemory = () => memory.length - head;

  /** the group commit: spilled lines to their segment, the untaken in-memory head to head.wal; the log goes once all of it was taken */
  function commit() {
    disk.flush();
    if (head >= logged && headLog.count > 0) headLog.clear();
    const from = Math.max(logged, head);
    if (from < memory.length) {
      headLog.append(memory.slice(from));
      logged = memory.length;
    }
  }
  const commitTimer = setInterval(() => {
    try {
      commit();
    } catch (error) {
      logger.error({ err: error }, `sample buffer ${options.dir}: group commit failed`);
    }
  }, options.commitMs ?? 200);
  commitTimer.unref();
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
    if (headLog.count > 0) headLog.clear(); // everything in it was taken
    // the segment's file becomes head.wal (a rename): its samples stay on disk until downstream took them
    const taken = disk.takeOldest(headLog.path);
    headLog.adopt(taken.length);
    logged = taken.length;
    memory = taken;
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
          logged = Math.max(0, logged - head);
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

  if (depth() > 0) schedule(); // what a previous run left goes first, without waiting for a new sample

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
      clearInterval(commitTimer);
      clearTimeout(retryTimer);
      wakeRetry?.();
      while (pumping) await new Promise((r) => setImmediate(r));
      disk.flush();
      disk.prependSegment(memory.slice(head));
      headLog.clear(); // (the segment just written holds what it held)
      memory = [];
      head = 0;
      logged = 0;
      waiters = [];
      logger.info({ onDisk: disk.count }, `sample buffer ${options.dir}: closed`);
    },
  };
}
