/**
 * Batched, non-blocking writes to the store. Callers hand rows over and return at once; rows
 * are written in order, in batches, on a timer or as soon as a batch is full. When the
 * database is gone the rows stay buffered and the writer retries with exponential backoff
 * until it is back. Past `maxBuffered` rows in memory, the oldest samples go to disk in
 * batches (`spillDir`, bounded by `maxSpillBytes`) and are written back first, in order,
 * when the database returns. Only past both bounds (or with no spill directory) is the
 * oldest telemetry dropped, counted and logged.
 */
import { pino, type Logger } from 'pino';
import type { Alert, ClauseResult, Sample, SiteScore } from '../model/index.ts';
import { createSpill, type Spill } from './spill.ts';
import { StoreError, type Store } from './store.ts';

export interface StoreWriterOptions {
  /** Longest a row waits before its batch is written; default 200 ms. */
  flushMs?: number;
  /** Rows per write; a full batch of samples is written at once; default 5000. */
  maxBatch?: number;
  /** Rows held at most while the database is away; default 500,000. */
  maxBuffered?: number;
  /** First and longest wait between retries; default 100 ms and 10 s. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Where samples overflow to disk past maxBuffered; no spilling when absent. */
  spillDir?: string;
  /** Bytes on disk at most; default 1 GiB. */
  maxSpillBytes?: number;
  /** How long flush() and close() keep retrying before they give up; default 30 s. */
  drainTimeoutMs?: number;
  logger?: Logger;
}

export interface StoreWriterStats {
  /** rows waiting, including a batch being written */
  buffered: number;
  written: number;
  /** rows given up because the buffer was full (or handed over after close) */
  dropped: number;
  /** failed writes */
  failures: number;
  /** samples waiting on disk (included in neither buffered nor written) */
  spilledRows: number;
  spilledBytes: number;
  /** source timestamp of the newest sample written, ms (0 before the first) */
  newestWrittenSampleTs: number;
}

export interface StoreWriter {
  sample(sample: Sample): void;
  samples(samples: readonly Sample[]): void;
  result(result: ClauseResult): void;
  score(score: SiteScore): void;
  alert(alert: Alert): void;
  stats(): StoreWriterStats;
  /** Writes everything buffered; rejects with DRAIN_TIMEOUT if the database stays away. */
  flush(): Promise<void>;
  /** Flushes and stops; the store itself stays open (its owner closes it). */
  close(): Promise<void>;
}

interface Lane<T> {
  name: 'samples' | 'results' | 'scores' | 'alerts';
  rows: T[];
  inFlight: number;
  write: (rows: T[]) => Promise<void>;
}

export function createStoreWriter(store: Store, options: StoreWriterOptions = {}): StoreWriter {
  const flushMs = options.flushMs ?? 200;
  const maxBatch = options.maxBatch ?? 5000;
  const maxBuffered = options.maxBuffered ?? 500_000;
  const retryMinMs = options.retryMinMs ?? 100;
  const retryMaxMs = options.retryMaxMs ?? 10_000;
  const drainTimeoutMs = options.drainTimeoutMs ?? 30_000;
  const log = options.logger ?? pino({ level: 'silent' });
  const spill: Spill | undefined = options.spillDir === undefined ? undefined : createSpill(options.spillDir, options.maxSpillBytes ?? 2 ** 30);
  let lastSpillLog = 0;

  const samples: Lane<Sample> = { name: 'samples', rows: [], inFlight: 0, write: (r) => store.writeSamples(r) };
  const results: Lane<ClauseResult> = { name: 'results', rows: [], inFlight: 0, write: (r) => store.writeResults(r) };
  const scores: Lane<SiteScore> = { name: 'scores', rows: [], inFlight: 0, write: (r) => store.writeScores(r) };
  const alerts: Lane<Alert> = { name: 'alerts', rows: [], inFlight: 0, write: (r) => store.writeAlerts(r) };
  const lanes = [samples, results, scores, alerts] as Lane<unknown>[];

  let written = 0;
  let newestWrittenSampleTs = 0;
  const noteWritten = (rows: readonly Sample[]) => {
    for (const row of rows) if (row.ts > newestWrittenSampleTs) newestWrittenSampleTs = row.ts;
  };
  let dropped = 0;
  let failures = 0;
  let attempt = 0; // consecutive failures
  let closed = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let lastDropLog = 0;

  const buffered = (): number => lanes.reduce((n, l) => n + l.rows.length + l.inFlight, 0);
  const backoffMs = (): number => Math.min(retryMaxMs, retryMinMs * 2 ** Math.max(0, attempt - 1));

  function drop(count: number): void {
    dropped += count;
    const now = Date.now();
    if (now - lastDropLog >= 5000) {
      lastDropLog = now;
      log.warn({ dropped, maxBuffered }, 'store writer buffer full: oldest rows dropped');
    }
  }

  /** Keeps the buffer bounded: the oldest queued telemetry goes first (to disk when it can), then the lane's own oldest. */
  function enforceBound(lane: Lane<unknown>): void {
    let excess = buffered() - maxBuffered;
    if (excess <= 0) return;
    if (spill !== undefined) {
      while (excess > 0 && samples.rows.length > 0) {
        const rows = samples.rows.splice(0, Math.min(samples.rows.length, Math.max(excess, maxBatch)));
        try {
          const lost = spill.push(rows);
          if (lost > 0) drop(lost);
        } catch (err) {
          samples.rows.unshift(...rows);
          log.error({ err: (err as Error).message, dir: spill.dir }, 'store writer cannot spill to disk');
          break;
        }
        excess -= rows.length;
        const now = Date.now();
        if (now - lastSpillLog >= 5000) {
          lastSpillLog = now;
          log.warn({ ...spill.stats(), dir: spill.dir, maxBuffered }, 'store writer buffer full: samples spilled to disk');
        }
      }
      if (excess <= 0) return;
    }
    for (const victim of [samples as Lane<unknown>, lane]) {
      const n = Math.min(excess, victim.rows.length);
      if (n > 0) {
        victim.rows.splice(0, n);
        drop(n);
        excess -= n;
      }
      if (excess <= 0) return;
    }
  }

  function enqueue<T>(lane: Lane<T>, rows: readonly T[]): void {
    if (closed) {
      drop(rows.length);
      return;
    }
    for (const row of rows) lane.rows.push(row);
    enforceBound(lane as Lane<unknown>);
    if (retryTimer !== undefined) return; // waiting out a failure: the retry will write them
    if (lane.rows.length >= maxBatch && running === undefined) {
      clearTimeout(timer);
      timer = undefined;
      setImmediate(() => void cycle());
    } else if (timer === undefined) {
      timer = setTimeout(() => {
        timer = undefined;
        void cycle();
      }, flushMs);
      timer.unref();
    }
  }

  /** Writes until every lane is empty or a write fails. Never rejects. */
  function cycle(): Promise<void> {
    if (running !== undefined) return running;
    running = (async () => {
      try {
        for (const lane of lanes) {
          if (lane === samples && spill !== undefined && !(await drainSpill(spill))) return;
          while (lane.rows.length > 0) {
            const batch = lane.rows.splice(0, maxBatch);
            lane.inFlight = batch.length;
            try {
              await lane.write(batch);
            } catch (err) {
              lane.inFlight = 0;
              // back at the head: order is kept (in front of the spill if newer rows went there)
              if (!(lane === samples && spill !== undefined && spill.stats().files > 0 && tryUnshiftSpill(spill, batch as Sample[]))) {
                lane.rows.unshift(...batch);
              }
              failures++;
              attempt++;
              const delay = backoffMs();
              log.warn({ err: (err as Error).message, lane: lane.name, rows: batch.length, buffered: buffered(), retryInMs: delay }, 'store write failed; keeping rows and retrying');
              enforceBound(lane);
              scheduleRetry(delay);
              return;
            } finally {
              lane.inFlight = 0;
            }
            written += batch.length;
            if (lane === samples) noteWritten(batch as Sample[]);
            if (attempt > 0) log.info({ after: attempt, buffered: buffered() }, 'store writes resumed');
            attempt = 0;
          }
        }
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  function tryUnshiftSpill(disk: Spill, rows: Sample[]): boolean {
    try {
      disk.unshift(rows);
      return true;
    } catch (err) {
      log.error({ err: (err as Error).message, dir: disk.dir }, 'store writer cannot spill to disk');
      return false;
    }
  }

  /** Writes the spilled batches back, oldest first; false when a write failed (retry scheduled). */
  async function drainSpill(disk: Spill): Promise<boolean> {
    for (let rows = disk.peek(); rows !== undefined; rows = disk.peek()) {
      try {
        await store.writeSamples(rows);
      } catch (err) {
        failures++;
        attempt++;
        const delay = backoffMs();
        log.warn({ err: (err as Error).message, lane: 'spill', rows: rows.length, spilled: disk.stats().rows, retryInMs: delay }, 'store write failed; keeping spilled rows and retrying');
        scheduleRetry(delay);
        return false;
      }
      disk.shift();
      written += rows.length;
      noteWritten(rows);
      if (attempt > 0) log.info({ after: attempt, spilled: disk.stats().rows }, 'store writes resumed');
      attempt = 0;
    }
    return true;
  }

  function scheduleRetry(delay: number): void {
    clearTimeout(timer);
    timer = undefined;
    if (retryTimer !== undefined) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void cycle();
    }, delay);
    retryTimer.unref();
  }

  async function flush(): Promise<void> {
    const deadline = Date.now() + drainTimeoutMs;
    for (;;) {
      await cycle();
      if (buffered() === 0 && (spill?.stats().rows ?? 0) === 0) return;
      if (running !== undefined) continue;
      const wait = Math.min(backoffMs(), deadline - Date.now());
      if (wait <= 0) {
        throw new StoreError('DRAIN_TIMEOUT', `store writer could not write ${buffered()} buffered rows within ${drainTimeoutMs} ms`);
      }
      await new Promise((done) => setTimeout(done, wait));
    }
  }

  if (spill !== undefined && spill.stats().rows > 0) {
    log.warn({ ...spill.stats(), dir: spill.dir }, 'store writer found spilled samples of an earlier run; writing them first');
    timer = setTimeout(() => {
      timer = undefined;
      void cycle();
    }, 0);
    timer.unref();
  }

  return {
    sample: (s) => enqueue(samples, [s]),
    samples: (list) => enqueue(samples, list),
    result: (r) => enqueue(results, [r]),
    score: (s) => enqueue(scores, [s]),
    alert: (a) => enqueue(alerts, [a]),
    stats: () => ({ buffered: buffered(), written, dropped, failures, spilledRows: spill?.stats().rows ?? 0, spilledBytes: spill?.stats().bytes ?? 0, newestWrittenSampleTs }),
    flush,
    async close() {
      closed = true;
      try {
        await flush();
      } finally {
        clearTimeout(timer);
        clearTimeout(retryTimer);
        timer = undefined;
        retryTimer = undefined;
      }
    },
  };
}
