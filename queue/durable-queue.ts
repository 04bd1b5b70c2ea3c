/**
 * One durable queue: rows appended in memory (no I/O per row), written to append-only segment files
 * by a group commit (on a timer and on demand, fsync where durability is promised) or when they leave
 * memory past its bound, read back in order by each named consumer at its own pace, and gone from disk
 * once every consumer acked them (after its own commit: a database write, a delivery). Bounded by rows
 * and by bytes: past a bound the oldest rows are dropped and counted. A folder left by a killed process
 * is picked up: each consumer goes on from the position the last commit saved (rows acked after it come
 * again: at least once). A damaged line is skipped and reported; the lines behind it are read as usual.
 */
import type { QueueCodec } from './codec.ts';
import { QueueError } from './errors.ts';
import { openSegmentLog, type SegmentLog } from './segment-log.ts';

export interface DurableQueueOptions<T> {
  /** folder of the segment files (created if missing; what it holds is picked up); none: the queue lives in memory */
  dir?: string;
  /** required with a folder */
  codec?: QueueCodec<T>;
  /** the consumers, each reading every row; a row leaves once all of them acked it. None: rows stay until compact() or a bound */
  consumers?: readonly string[];
  /** rows held decoded in memory; past it the oldest go to disk (without a folder: are dropped and counted). Default unbounded */
  maxInMemory?: number;
  /** rows kept at most (memory and disk): past it the oldest are dropped and counted */
  maxRows?: number;
  /** bytes of segment files at most: past it the oldest segments are dropped and counted (the newest always stays) */
  maxBytes?: number;
  /** a segment file is closed and a new one begun past this many rows (default 50,000) or bytes (default 16 MiB) */
  segmentRows?: number;
  segmentBytes?: number;
  /**
   * 'group-commit' (default): every row not yet acked by all consumers is written at each commit, so a
   * kill loses at most what came since the last one. 'spill': only rows that leave memory are written
   * (a buffer that overflows to disk; what is in memory at close is not kept)
   */
  logging?: 'group-commit' | 'spill';
  /** commits this often (ms); 0 or none: only on commit() and close() */
  commitMs?: number;
  /** fsync each commit (rows that must survive a power cut, not only a killed process) */
  fsync?: boolean;
  onCorrupt?: (damage: { file: string; line: number; error: string }) => void;
  /** rows the bound dropped, just now */
  onDrop?: (rows: number) => void;
  /** an I/O failure the queue rode over (a timed commit, an eviction): rows stay in memory */
  onError?: (error: unknown) => void;
}

/** Rows read by a consumer: positions [start, end), of which `holes` were damaged lines (skipped). */
export interface QueueBatch<T> {
  readonly rows: T[];
  readonly start: number;
  readonly end: number;
  readonly holes?: readonly number[];
}

export interface QueueConsumer<T> {
  readonly name: string;
  /** up to `max` rows after the last read, oldest first (from memory, or read back from disk); [] when none */
  read(max: number): QueueBatch<T>;
  /** the batch's rows (or its first `count`) are done with: they leave once every consumer acked them */
  ack(batch: QueueBatch<T>, count?: number): void;
  /** rows read and not acked are read again */
  rewind(): void;
  /** rows not acked yet (read or not), and where they wait */
  backlog(): { rows: number; inMemory: number; onDisk: number };
  /** called after an append when this consumer's unread rows reach 1 or a multiple of `every` */
  watch(listener: (unread: number) => void, every?: number): void;
}

export interface QueueStats {
  /** rows kept: not yet acked by every consumer */
  rows: number;
  inMemory: number;
  /** rows kept only on disk */
  onDisk: number;
  bytes: number;
  segments: number;
  appended: number;
  /** rows written to disk because they left memory before every consumer acked them */
  spilled: number;
  dropped: number;
  /** damaged lines skipped */
  corrupt: number;
}

export interface DurableQueue<T> {
  append(row: T): void;
  appendMany(rows: readonly T[]): void;
  consumer(name: string): QueueConsumer<T>;
  /** the oldest `rows` in memory go to disk now (without a folder: are dropped); returns rows the bounds dropped */
  spill(rows: number): number;
  /** writes what the logging mode keeps, syncs if asked, saves the consumers' positions */
  commit(): void;
  /** the rows so far are replaced by `rows`, written (and synced) as a segment of their own before the old ones go */
  compact(rows: readonly T[]): void;
  /** every kept row, oldest first (a replay) */
  rows(): Generator<T>;
  stats(): QueueStats;
  /** commits and closes the files; a consumer's ack after close is still saved */
  close(): void;
}

interface ConsumerState {
  name: string;
  acked: number;
  readTo: number;
  listener?: (unread: number) => void;
  every: number;
}

export function openDurableQueue<T>(options: DurableQueueOptions<T>): DurableQueue<T> {
  const { dir, codec } = options;
  const where = dir ?? '(memory)';
  if (dir !== undefined && codec === undefined) throw new QueueError('QUEUE_CONFIG', `queue ${dir}: a folder needs a codec`);
  const maxInMemory = options.maxInMemory ?? Number.POSITIVE_INFINITY;
  const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const segmentRows = options.segmentRows ?? 50_000;
  const segmentBytes = options.segmentBytes ?? 16 * 2 ** 20;
  if (!(maxInMemory >= 0 && maxRows > 0 && maxBytes > 0 && segmentRows > 0 && segmentBytes > 0)) {
    throw new QueueError('QUEUE_CONFIG', `queue ${where}: bounds must be positive (maxInMemory may be 0)`);
  }
  const groupCommit = (options.logging ?? 'group-commit') === 'group-commit';
  const log: SegmentLog<T> | undefined =
    dir === undefined
      ? undefined
      : openSegmentLog({ dir, codec: codec!, segmentRows, segmentBytes, fsync: options.fsync ?? false, onCorrupt: options.onCorrupt, onError: options.onError });

  /** positions: rows [head, tail) are kept; [memFirst, tail) are in memory; those ≥ head below `logged` are on disk */
  let head = 0;
  let tail = log?.end ?? 0;
  let memFirst = tail;
  let logged = tail;
  let mem: T[] = [];
  let memStart = 0;
  let closed = false;
  const counts = { appended: 0, spilled: 0, dropped: 0 };
  const saved = log?.savedCursors() ?? {};
  const consumers: ConsumerState[] = (options.consumers ?? []).map((name) => {
    const at = log?.positionOf(saved[name]) ?? 0;
    return { name, acked: at, readTo: at, every: 1 };
  });
  const watched: ConsumerState[] = [];
  head = consumers.length > 0 ? Math.min(...consumers.map((c) => c.acked)) : (log?.segments[0]?.first ?? 0);
  release();

  function releaseMemory(before: number): void {
    const n = Math.min(before, tail) - memFirst;
    if (n <= 0) return;
    for (let i = memStart; i < memStart + n; i++) mem[i] = undefined as T;
    memStart += n;
    memFirst += n;
    if (memFirst === tail) {
      mem = [];
      memStart = 0;
    } else if (memStart > 65_536 && memStart * 2 > mem.length) {
      mem = mem.slice(memStart);
      memStart = 0;
    }
  }

  /** rows before `head` leave memory; segments wholly before it leave the disk, and with nothing left the cursors go too */
  function release(): void {
    releaseMemory(head);
    if (log === undefined) return;
    log.releaseBefore(head);
    if (head >= tail) log.saveCursors(undefined);
  }

  /** writes the kept rows below `upTo` that are not on disk yet (they are in memory) */
  function logRows(upTo: number): void {
    const from = Math.max(logged, head);
    if (from < upTo) {
      if (log!.end !== from) {
        log!.rotate(); // rows in between were acked before they were written: a new segment, and the old one goes
        release();
      }
      for (let p = from; p < upTo; p++) log!.append(p, mem[memStart + (p - memFirst)]!);
    }
    if (upTo > logged) logged = upTo;
  }

  /** the byte bound: the oldest segments go, counted, the newest stays */
  function boundBytes(): void {
    while (log !== undefined && log.bytes > maxBytes && log.segments.length > 1) {
      const oldest = log.segments[0]!;
      advance(oldest.first + oldest.count, true);
    }
  }

  /** rows before `to` leave: dropped (counted) by a bound, or replaced by a compaction */
  function advance(to: number, counted: boolean): void {
    if (to <= head) return;
    const n = Math.min(to, tail) - head;
    head = Math.min(to, tail);
    for (const c of consumers) {
      if (c.acked < head) c.acked = head;
      if (c.readTo < head) c.readTo = head;
    }
    if (counted) {
      counts.dropped += n;
      options.onDrop?.(n);
    }
    release();
  }

  /** rows before `to` leave memory: to disk, or (without a folder) dropped */
  function evict(to: number): void {
    if (log === undefined) {
      advance(to, true);
      return;
    }
    try {
      logRows(to);
    } catch (error) {
      options.onError?.(error);
      return; // they stay in memory
    }
    counts.spilled += Math.max(0, to - Math.max(memFirst, head));
    releaseMemory(to);
    boundBytes();
  }

  function bound(): void {
    if (tail - memFirst > maxInMemory) evict(tail - maxInMemory);
    if (tail - head > maxRows) advance(tail - maxRows, true);
  }

  function saveCursors(): void {
    if (log === undefined || consumers.length === 0) return;
    if (log.segments.length === 0 || head >= tail) return log.saveCursors(undefined);
    log.saveCursors(Object.fromEntries(consumers.map((c) => [c.name, log.cursorOf(Math.max(c.acked, head))])));
  }

  function read(c: ConsumerState, max: number): QueueBatch<T> {
    const p = Math.max(c.readTo, head);
    if (closed || p >= tail || max <= 0) return { rows: [], start: p, end: p };
    if (p >= memFirst) {
      const end = Math.min(tail, p + max);
      c.readTo = end;
      return { rows: mem.slice(memStart + (p - memFirst), memStart + (end - memFirst)), start: p, end };
    }
    const { segment, lines } = log!.linesAt(p, Math.min(memFirst, p + max));
    const end = Math.min(segment.first + segment.count, memFirst, p + max);
    const rows: T[] = [];
    let holes: number[] | undefined;
    for (let q = p; q < end; q++) {
      const row = lines[q - segment.first];
      if (row === undefined) (holes ??= []).push(q);
      else rows.push(row);
    }
    c.readTo = end;
    return holes === undefined ? { rows, start: p, end } : { rows, start: p, end, holes };
  }

  function ack(c: ConsumerState, batch: QueueBatch<T>, count?: number): void {
    let to = batch.end;
    if (count !== undefined && count < batch.rows.length) {
      to = batch.start + count;
      for (const h of batch.holes ?? []) if (h < to) to++;
    }
    if (to > c.acked) c.acked = to;
    if (c.readTo < c.acked) c.readTo = c.acked;
    let min = Number.POSITIVE_INFINITY;
    for (const x of consumers) if (x.acked < min) min = x.acked;
    if (min > head) {
      head = Math.min(min, tail);
      release();
    }
    if (closed) saveCursors();
  }

  function notify(before: number): void {
    for (const c of watched) {
      const unread = tail - Math.max(c.readTo, head);
      const was = before - Math.max(c.readTo, head);
      if (was <= 0 || Math.floor(unread / c.every) > Math.floor(was / c.every)) c.listener!(unread);
    }
  }

  function commit(): void {
    if (closed || log === undefined) return;
    if (groupCommit) logRows(tail);
    log.sync();
    boundBytes();
    saveCursors();
  }

  const timer =
    log !== undefined && groupCommit && (options.commitMs ?? 0) > 0
      ? setInterval(() => {
          try {
            commit();
          } catch (error) {
            options.onError?.(error);
          }
        }, options.commitMs)
      : undefined;
  timer?.unref();

  const queue: DurableQueue<T> = {
    append(row) {
      if (closed) throw new QueueError('QUEUE_CLOSED', `queue ${where}: append after close`);
      const before = tail;
      mem.push(row);
      tail++;
      counts.appended++;
      bound();
      if (watched.length > 0) notify(before);
    },
    appendMany(rows) {
      if (closed) throw new QueueError('QUEUE_CLOSED', `queue ${where}: append after close`);
      if (rows.length === 0) return;
      const before = tail;
      for (const row of rows) mem.push(row);
      tail += rows.length;
      counts.appended += rows.length;
      bound();
      if (watched.length > 0) notify(before);
    },
    consumer(name) {
      const c = consumers.find((x) => x.name === name);
      if (c === undefined) throw new QueueError('QUEUE_CONSUMER', `queue ${where}: no consumer "${name}" (opened with ${consumers.map((x) => x.name).join(', ') || 'none'})`);
      return {
        name,
        read: (max) => read(c, max),
        ack: (batch, count) => ack(c, batch, count),
        rewind() {
          c.readTo = Math.max(c.acked, head);
        },
        backlog() {
          const from = Math.max(c.acked, head);
          const rows = closed ? 0 : tail - from;
          const onDisk = closed ? 0 : Math.max(0, Math.min(memFirst, tail) - from);
          return { rows, inMemory: rows - onDisk, onDisk };
        },
        watch(listener, every = 1) {
          c.listener = listener;
          c.every = Math.max(1, every);
          if (!watched.includes(c)) watched.push(c);
        },
      };
    },
    spill(rows) {
      const dropped = counts.dropped;
      if (closed || rows <= 0) return 0;
      evict(Math.min(tail, memFirst + rows));
      try {
        log?.flush();
      } catch (error) {
        options.onError?.(error);
      }
      return counts.dropped - dropped;
    },
    commit,
    compact(rows) {
      if (closed) throw new QueueError('QUEUE_CLOSED', `queue ${where}: compact after close`);
      if (log !== undefined && groupCommit) logRows(tail);
      log?.rotate();
      const start = tail;
      for (const row of rows) mem.push(row);
      tail += rows.length;
      if (log !== undefined) {
        logRows(tail);
        log.rotate(); // synced before the old segments go
      }
      advance(start, false);
      bound();
      saveCursors();
    },
    *rows() {
      let p = head;
      while (p < tail && p < memFirst) {
        const { segment, lines } = log!.linesAt(p, memFirst);
        const end = Math.min(segment.first + segment.count, memFirst);
        for (; p < end; p++) {
          const row = lines[p - segment.first];
          if (row !== undefined) yield row;
        }
      }
      for (; p < tail; p++) yield mem[memStart + (p - memFirst)]!;
    },
    stats() {
      const kept = closed ? Math.max(0, Math.min(logged, tail) - head) : tail - head;
      const inMemory = closed ? 0 : tail - Math.max(memFirst, head);
      return { rows: kept, inMemory, onDisk: kept - inMemory, bytes: log?.bytes ?? 0, segments: log?.segments.length ?? 0, ...counts, corrupt: log?.corrupt ?? 0 };
    },
    close() {
      if (closed) return;
      if (timer !== undefined) clearInterval(timer);
      if (log !== undefined && groupCommit) logRows(tail);
      log?.close();
      closed = true;
      saveCursors();
      releaseMemory(tail);
    },
  };
  return queue;
}
