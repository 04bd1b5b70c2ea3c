/**
 * Batched, non-blocking writes to the store. Callers hand rows over and return at once; rows
 * are written in order, in batches, on a timer or as soon as a batch is full. When the
 * database is gone the rows stay buffered and the writer retries with exponential backoff
 * until it is back. Past `maxBuffered` rows in memory, the oldest samples go to disk in
 * batches (`spillDir`, bounded by `maxSpillBytes`) and are written back first, in order,
 * when the database returns. Only past both bounds (or with no spill directory) is the
 * oldest telemetry dropped, counted and logged.
 *
 * A row the database refuses (not an outage: a NUL in a text, a value out of range) never
 * blocks the rows behind it: the batch is written apart to find it, and after `maxRowFailures`
 * refusals it goes to the `dead_letters` table with the error, counted and logged.
 * Audit entries are written to disk (fsync) before `audit()` returns and to the database from
 * there, so they survive an outage and a restart alike.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import type { Alert, ClauseResult, Sample, SiteScore } from '../model/index.ts';
import type { AuditEntry } from './audit.ts';
import { isRowFault, type DeadLetter, type Lane as LaneName } from './dead-letters.ts';
import { createStrikes, isolateRows } from './row-isolation.ts';
import { createSpill, type Spill } from './spill.ts';
import type { AlertStore } from './alert-store.ts';
import type { AuditStore } from './audit-store.ts';
import type { DeadLetterStore } from './dead-letter-store.ts';
import { StoreError } from './store.ts';
import type { TelemetryStore } from './telemetry-store.ts';
import type { VerdictStore } from './verdict-store.ts';

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
  /** Refusals of one row by the database before it goes to the dead letters; default 3. */
  maxRowFailures?: number;
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
  /** rows moved to the dead letters since start, per lane */
  deadLetters: Record<LaneName, number>;
  /** audit entries on disk, not yet in the database */
  auditPending: number;
}

export interface StoreWriter {
  sample(sample: Sample): void;
  samples(samples: readonly Sample[]): void;
  result(result: ClauseResult): void;
  score(score: SiteScore): void;
  alert(alert: Alert): void;
  /** An audit entry: on disk (with a spill directory) before this returns, in the chain once the database takes it. */
  audit(entry: AuditEntry): void;
  stats(): StoreWriterStats;
  /** Writes everything buffered; rejects with DRAIN_TIMEOUT if the database stays away. */
  flush(): Promise<void>;
  /** Flushes and stops; the store itself stays open (its owner closes it). */
  close(): Promise<void>;
}

interface Lane<T> {
  name: LaneName;
  rows: T[];
  inFlight: number;
  write: (rows: T[]) => Promise<void>;
}

export function createStoreWriter(store: TelemetryStore & VerdictStore & AlertStore & AuditStore & DeadLetterStore, options: StoreWriterOptions = {}): StoreWriter {
  const flushMs = options.flushMs ?? 200;
  const maxBatch = options.maxBatch ?? 5000;
  const maxBuffered = options.maxBuffered ?? 500_000;
  const retryMinMs = options.retryMinMs ?? 100;
  const retryMaxMs = options.retryMaxMs ?? 10_000;
  const drainTimeoutMs = options.drainTimeoutMs ?? 30_000;
  const maxRowFailures = options.maxRowFailures ?? 3;
  const log = options.logger ?? pino({ level: 'silent' });
  const spill: Spill | undefined = options.spillDir === undefined ? undefined : createSpill(options.spillDir, options.maxSpillBytes ?? 2 ** 30);
  // audit entries are never dropped: no bound, and each one synced to disk
  const auditSpill: Spill<AuditEntry> | undefined = options.spillDir === undefined
    ? undefined
    : createSpill<AuditEntry>(join(options.spillDir, 'audit'), Number.POSITIVE_INFINITY, { codec: { encode: (e) => JSON.stringify(e), decode: (l) => JSON.parse(l) as AuditEntry }, sync: true });
  const strikes = createStrikes();
  const deadPending: DeadLetter[] = [];
  const deadCounts: Record<LaneName, number> = { samples: 0, results: 0, scores: 0, alerts: 0, audit: 0 };
  let lastSpillLog = 0;

  const samples: Lane<Sample> = { name: 'samples', rows: [], inFlight: 0, write: (r) => store.writeSamples(r) };
  const results: Lane<ClauseResult> = { name: 'results', rows: [], inFlight: 0, write: (r) => store.writeResults(r) };
  const scores: Lane<SiteScore> = { name: 'scores', rows: [], inFlight: 0, write: (r) => store.writeScores(r) };
  const alerts: Lane<Alert> = { name: 'alerts', rows: [], inFlight: 0, write: (r) => store.writeAlerts(r) };
  // without a spill directory audit entries wait in memory like any other row
  const audits: Lane<AuditEntry> = { name: 'audit', rows: [], inFlight: 0, write: (r) => store.appendAudits(r) };
  const lanes = [audits, samples, results, scores, alerts] as Lane<unknown>[];

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
        if (!(await writeDeadLetters())) return;
        if (auditSpill !== undefined && !(await drainDisk('audit', auditSpill, (r) => store.appendAudits(r)))) return;
        for (const lane of lanes) {
          if (lane === samples && spill !== undefined && !(await drainDisk('samples', spill, (r) => store.writeSamples(r)))) return;
          while (lane.rows.length > 0) {
            const batch = lane.rows.splice(0, maxBatch);
            lane.inFlight = batch.length;
            try {
              await lane.write(batch);
            } catch (err) {
              let rest: unknown[] = batch;
              let error: unknown = err;
              let stop: 'outage' | 'strike' | undefined = 'outage';
              if (isRowFault(err)) {
                const found = await isolateRows(lane.name, batch, lane.write, { strikes, maxStrikes: maxRowFailures, now: Date.now });
                wrote(lane.name, found.written);
                deadLettered(found.dead);
                ({ rest, stop } = found);
                error = found.error ?? err;
              }
              lane.inFlight = 0;
              if (stop === undefined) {
                if (!(await writeDeadLetters())) return;
                continue;
              }
              // back at the head: order is kept (in front of the spill if newer rows went there)
              if (!(lane === samples && spill !== undefined && spill.stats().files > 0 && tryUnshiftSpill(spill, rest as Sample[]))) {
                lane.rows.unshift(...rest);
              }
              failed(lane.name, rest.length, error, stop);
              enforceBound(lane);
              return;
            } finally {
              lane.inFlight = 0;
            }
            wrote(lane.name, batch);
          }
        }
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  function wrote(lane: LaneName, rows: readonly unknown[]): void {
    if (rows.length === 0) return;
    written += rows.length;
    if (lane === 'samples') noteWritten(rows as Sample[]);
    if (attempt > 0) log.info({ after: attempt, buffered: buffered() }, 'store writes resumed');
    attempt = 0;
  }

  /** A write failed: an outage waits with back-off; a refused row waits for its next strike. */
  function failed(lane: LaneName, rows: number, err: unknown, stop: 'outage' | 'strike'): void {
    failures++;
    attempt++;
    const delay = backoffMs();
    const message = (err as Error)?.message ?? String(err);
    if (stop === 'strike') log.warn({ err: message, lane, retryInMs: delay }, 'store refused a row; retrying it before it goes to the dead letters');
    else log.warn({ err: message, lane, rows, buffered: buffered(), retryInMs: delay }, 'store write failed; keeping rows and retrying');
    scheduleRetry(delay);
  }

  function deadLettered(letters: readonly DeadLetter[]): void {
    for (const letter of letters) {
      deadCounts[letter.lane]++;
      deadPending.push(letter);
      log.error({ lane: letter.lane, err: letter.error, code: letter.code, attempts: letter.attempts, payload: letter.payload.slice(0, 500) }, 'row refused by the database: moved to the dead letters, the lane goes on');
    }
  }

  /** Stores the dead letters found so far; false (retry scheduled) while the database is away. */
  async function writeDeadLetters(): Promise<boolean> {
    if (deadPending.length === 0) return true;
    const letters = deadPending.splice(0);
    try {
      await store.writeDeadLetters(letters);
      return true;
    } catch (err) {
      if (isRowFault(err)) {
        log.error({ err: (err as Error).message, letters }, 'dead letters refused by the database: kept in this log only');
        return true;
      }
      deadPending.unshift(...letters);
      failed('samples', letters.length, err, 'outage');
      return false;
    }
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

  /** Writes the batches on disk back, oldest first; false when a write failed (retry scheduled). */
  async function drainDisk<T>(lane: LaneName, disk: Spill<T>, write: (rows: T[]) => Promise<void>): Promise<boolean> {
    for (let rows = disk.peek(); rows !== undefined; rows = disk.peek()) {
      try {
        await write(rows);
      } catch (err) {
        if (!isRowFault(err)) {
          failed(lane, rows.length, err, 'outage');
          return false;
        }
        const found = await isolateRows(lane, rows, write, { strikes, maxStrikes: maxRowFailures, now: Date.now });
        wrote(lane, found.written);
        deadLettered(found.dead);
        disk.shift();
        if (found.rest.length > 0) disk.unshift(found.rest);
        if (found.stop !== undefined) {
          failed(lane, found.rest.length, found.error, found.stop);
          return false;
        }
        if (!(await writeDeadLetters())) return false;
        continue;
      }
      disk.shift();
      wrote(lane, rows);
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
      if (buffered() === 0 && (spill?.stats().rows ?? 0) === 0 && (auditSpill?.stats().rows ?? 0) === 0 && deadPending.length === 0) return;
      if (running !== undefined) continue;
      const wait = Math.min(backoffMs(), deadline - Date.now());
      if (wait <= 0) {
        throw new StoreError('DRAIN_TIMEOUT', `store writer could not write ${buffered()} buffered rows within ${drainTimeoutMs} ms`);
      }
      await new Promise((done) => setTimeout(done, wait));
    }
  }

  if ((spill !== undefined && spill.stats().rows > 0) || (auditSpill !== undefined && auditSpill.stats().rows > 0)) {
    log.warn({ ...spill?.stats(), audit: auditSpill?.stats().rows, dir: spill?.dir }, 'store writer found spilled rows of an earlier run; writing them first');
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
    audit(entry) {
      // the time of the action, and an id that lets a retried write be recognised in the chain
      const stamped: AuditEntry = { ...entry, at: entry.at ?? Date.now(), details: { ...entry.details, entryId: randomBytes(8).toString('hex') } };
      if (auditSpill === undefined) return enqueue(audits, [stamped]);
      try {
        auditSpill.push([stamped]); // on disk even after close(): the next start writes it
      } catch (err) {
        log.error({ err: (err as Error).message, dir: auditSpill.dir }, 'audit entry cannot be written to disk; kept in memory');
        return enqueue(audits, [stamped]);
      }
      if (!closed) enqueue(audits, []);
    },
    stats: () => ({
      buffered: buffered(), written, dropped, failures, spilledRows: spill?.stats().rows ?? 0, spilledBytes: spill?.stats().bytes ?? 0, newestWrittenSampleTs,
      deadLetters: { ...deadCounts }, auditPending: (auditSpill?.stats().rows ?? 0) + audits.rows.length + audits.inFlight,
    }),
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
