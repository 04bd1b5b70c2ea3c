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
 *
 * Every lane is a queue of queue/ (db/writer-lanes.ts). `takeSamples` reads another queue's
 * samples (main: the collector buffer's) and acks each batch only once the database committed it,
 * so that a kill while a batch is on its way loses nothing: the queue delivers it again, and the
 * samples table's key keeps one copy.
 */
import { randomBytes } from 'node:crypto';
import { pino, type Logger } from 'pino';
import { systemClock, type Alert, type ClauseResult, type Sample, type SiteScore } from '../model/index.ts';
import type { QueueConsumer, QueueStats } from '../queue/index.ts';
import type { AuditEntry } from './audit.ts';
import { isRowFault, type DeadLetter, type Lane as LaneName } from './dead-letters.ts';
import { createStrikes, isolateRows } from './row-isolation.ts';
import type { AlertStore } from './alert-store.ts';
import type { AuditStore } from './audit-store.ts';
import type { DeadLetterStore } from './dead-letter-store.ts';
import { StoreError } from './store.ts';
import type { TelemetryStore } from './telemetry-store.ts';
import type { VerdictStore } from './verdict-store.ts';
import { openWriterLanes, type Lane } from './writer-lanes.ts';

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
  /**
   * Also writes the samples of `from` (a consumer of another queue, e.g. the collector buffer's), after
   * the writer's own, acking each batch once the database committed it.
   */
  takeSamples(from: QueueConsumer<Sample>): void;
  /** the queues of the spilled samples and of the audit entries (rows, bytes, segment files, dropped, damaged lines) */
  queueStats(): { samples: QueueStats; audit: QueueStats };
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
  const lanes = openWriterLanes({
    spillDir: options.spillDir,
    maxSpillBytes: options.maxSpillBytes ?? 2 ** 30,
    maxBatch,
    log,
    write: {
      samples: (r) => store.writeSamples(r),
      results: (r) => store.writeResults(r),
      scores: (r) => store.writeScores(r),
      alerts: (r) => store.writeAlerts(r),
      audits: (r) => store.appendAudits(r),
    },
  });
  const { samples, audits } = lanes;
  const strikes = createStrikes();
  const deadPending: DeadLetter[] = [];
  const deadCounts: Record<LaneName, number> = { samples: 0, results: 0, scores: 0, alerts: 0, audit: 0 };
  let lastSpillLog = 0;

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

  /** rows of the writer's own lanes in memory (samples on disk and audit entries on disk not included) */
  const inMemory = (lane: Lane<unknown>): number => (lanes.durable && lane === (audits as Lane<unknown>) ? 0 : lane.queue.stats().inMemory);
  const ownBuffered = (): number => lanes.all.reduce((n, l) => n + inMemory(l), 0);
  /** samples waiting in queues taken from elsewhere */
  const taken = (): { inMemory: number; onDisk: number; rows: number } =>
    samples.sources.slice(1).reduce(
      (n, c) => {
        const b = c.backlog();
        return { inMemory: n.inMemory + b.inMemory, onDisk: n.onDisk + b.onDisk, rows: n.rows + b.rows };
      },
      { inMemory: 0, onDisk: 0, rows: 0 },
    );
  const backoffMs = (): number => Math.min(retryMaxMs, retryMinMs * 2 ** Math.max(0, attempt - 1));

  function drop(count: number): void {
    dropped += count;
    const now = systemClock.now();
    if (now - lastDropLog >= 5000) {
      lastDropLog = now;
      log.warn({ dropped, maxBuffered }, 'store writer buffer full: oldest rows dropped');
    }
  }

  /** Keeps the buffer bounded: the oldest queued telemetry goes first (to disk when it can), then the lane's own oldest. */
  function enforceBound(lane: Lane<unknown>): void {
    let excess = ownBuffered() - maxBuffered;
    if (excess <= 0) return;
    if (lanes.durable) {
      const before = samples.queue.stats().inMemory;
      const lost = samples.queue.spill(Math.min(before, Math.max(excess, maxBatch)));
      if (lost > 0) drop(lost);
      excess -= before - samples.queue.stats().inMemory;
      const now = systemClock.now();
      if (before > 0 && now - lastSpillLog >= 5000) {
        lastSpillLog = now;
        const s = samples.queue.stats();
        log.warn({ files: s.segments, rows: s.onDisk, bytes: s.bytes, dir: options.spillDir, maxBuffered }, 'store writer buffer full: samples spilled to disk');
      }
      if (excess <= 0) return;
    }
    for (const victim of [samples as Lane<unknown>, lane]) {
      const n = Math.min(excess, inMemory(victim));
      if (n > 0 && !(lanes.durable && victim === (samples as Lane<unknown>))) {
        drop(n);
        victim.queue.spill(n); // in memory only: the oldest go
        excess -= n;
      }
      if (excess <= 0) return;
    }
  }

  /** rows are waiting: written on the timer, or at once when a batch is full */
  function wake(waiting: number): void {
    if (retryTimer !== undefined) return; // waiting out a failure: the retry will write them
    if (waiting >= maxBatch && running === undefined) {
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

  function enqueue<T>(lane: Lane<T>, rows: readonly T[]): void {
    if (closed) {
      drop(rows.length);
      return;
    }
    lane.queue.appendMany(rows);
    enforceBound(lane as Lane<unknown>);
    wake(lane.sources[0]!.backlog().rows);
  }

  /** Writes until every lane is empty or a write fails. Never rejects. */
  function cycle(): Promise<void> {
    if (running !== undefined) return running;
    running = (async () => {
      try {
        if (!(await writeDeadLetters())) return;
        for (const lane of lanes.all) {
          for (const source of lane.sources) if (!(await drain(lane, source))) return;
        }
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  /** Writes a source's rows in batches, acking each once stored; false when a write failed (retry scheduled). */
  async function drain(lane: Lane<unknown>, source: QueueConsumer<unknown>): Promise<boolean> {
    for (let batch = source.read(maxBatch); batch.end > batch.start; batch = source.read(maxBatch)) {
      if (batch.rows.length === 0) {
        source.ack(batch); // only damaged lines (reported by the queue)
        continue;
      }
      try {
        await lane.write(batch.rows);
      } catch (err) {
        let rest: readonly unknown[] = batch.rows;
        let error: unknown = err;
        let stop: 'outage' | 'strike' | undefined = 'outage';
        if (isRowFault(err)) {
          const found = await isolateRows(lane.name, batch.rows, lane.write, { strikes, maxStrikes: maxRowFailures, now: systemClock.now });
          wrote(lane.name, found.written);
          deadLettered(found.dead);
          ({ rest, stop } = found);
          error = found.error ?? err;
        }
        // the written and dead-lettered rows leave; the rest is read again, in order, by the next cycle
        source.ack(batch, batch.rows.length - rest.length);
        source.rewind();
        if (stop === undefined) {
          if (!(await writeDeadLetters())) return false;
          continue;
        }
        failed(lane.name, rest.length, error, stop);
        enforceBound(lane);
        return false;
      }
      source.ack(batch);
      wrote(lane.name, batch.rows);
    }
    return true;
  }

  function wrote(lane: LaneName, rows: readonly unknown[]): void {
    if (rows.length === 0) return;
    written += rows.length;
    if (lane === 'samples') noteWritten(rows as Sample[]);
    if (attempt > 0) log.info({ after: attempt, buffered: ownBuffered() }, 'store writes resumed');
    attempt = 0;
  }

  /** A write failed: an outage waits with back-off; a refused row waits for its next strike. */
  function failed(lane: LaneName, rows: number, err: unknown, stop: 'outage' | 'strike'): void {
    failures++;
    attempt++;
    const delay = backoffMs();
    const message = (err as Error)?.message ?? String(err);
    if (stop === 'strike') log.warn({ err: message, lane, retryInMs: delay }, 'store refused a row; retrying it before it goes to the dead letters');
    else log.warn({ err: message, lane, rows, buffered: ownBuffered(), retryInMs: delay }, 'store write failed; keeping rows and retrying');
    scheduleRetry(delay);
  }

  function deadLettered(letters: readonly DeadLetter[]): void {
    for (const letter of letters) {
      deadCounts[letter.lane]++;
      deadPending.push(letter);
      log.error(
        { lane: letter.lane, err: letter.error, code: letter.code, attempts: letter.attempts, payload: letter.payload.slice(0, 500) },
        'row refused by the database: moved to the dead letters, the lane goes on',
      );
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

  const waiting = (): number => lanes.all.reduce((n, l) => n + l.sources.reduce((m, c) => m + c.backlog().rows, 0), 0);

  async function flush(): Promise<void> {
    const deadline = systemClock.now() + drainTimeoutMs;
    for (;;) {
      await cycle();
      if (waiting() === 0 && deadPending.length === 0) return;
      if (running !== undefined) continue;
      const wait = Math.min(backoffMs(), deadline - systemClock.now());
      if (wait <= 0) {
        throw new StoreError('DRAIN_TIMEOUT', `store writer could not write ${waiting()} buffered rows within ${drainTimeoutMs} ms`);
      }
      await new Promise((done) => setTimeout(done, wait));
    }
  }

  if (waiting() > 0) {
    const s = samples.queue.stats();
    log.warn(
      { files: s.segments, rows: s.rows, bytes: s.bytes, audit: audits.queue.stats().rows, dir: options.spillDir },
      'store writer found spilled rows of an earlier run; writing them first',
    );
    timer = setTimeout(() => {
      timer = undefined;
      void cycle();
    }, 0);
    timer.unref();
  }

  return {
    sample: (s) => enqueue(samples, [s]),
    samples: (list) => enqueue(samples, list),
    result: (r) => enqueue(lanes.results, [r]),
    score: (s) => enqueue(lanes.scores, [s]),
    alert: (a) => enqueue(lanes.alerts, [a]),
    audit(entry) {
      // the time of the action, and an id that lets a retried write be recognised in the chain
      const stamped: AuditEntry = { ...entry, at: entry.at ?? systemClock.now(), details: { ...entry.details, entryId: randomBytes(8).toString('hex') } };
      if (!lanes.durable) return enqueue(audits, [stamped]);
      audits.queue.append(stamped); // on disk even after close(): the next start writes it
      try {
        audits.queue.commit();
      } catch (err) {
        log.error({ err: (err as Error).message, dir: options.spillDir }, 'audit entry cannot be written to disk; kept in memory');
      }
      if (!closed) wake(audits.sources[0]!.backlog().rows);
    },
    takeSamples(from) {
      samples.sources.push(from);
      from.watch((unread) => {
        if (!closed) wake(unread);
      }, maxBatch);
      if (from.backlog().rows > 0 && !closed) wake(from.backlog().rows);
    },
    stats() {
      const spilled = samples.queue.stats();
      const other = taken();
      return {
        buffered: ownBuffered() + other.inMemory,
        written,
        dropped,
        failures,
        spilledRows: (lanes.durable ? spilled.onDisk : 0) + other.onDisk,
        spilledBytes: lanes.durable ? spilled.bytes : 0,
        newestWrittenSampleTs,
        deadLetters: { ...deadCounts },
        auditPending: audits.queue.stats().rows,
      };
    },
    queueStats: () => ({ samples: samples.queue.stats(), audit: audits.queue.stats() }),
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
        samples.queue.close(); // what reached the disk is written by the next start
      }
    },
  };
}
