/**
 * A durable queue's rows on disk: the segments of its folder, oldest first, each a range of positions
 * [first, first + count). Lines are appended to the open (newest) segment through a pending buffer,
 * written in one call at flush, synced when the queue promises it; a segment is read back whole and
 * decoded, a damaged line standing as `undefined` (reported once). Positions are this process's: at
 * open the oldest line on disk is 0, and a consumer's saved position (segment, line) maps onto them.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { QueueCodec } from './codec.ts';
import {
  appendAll,
  closeQuietly,
  CURSORS_FILE,
  FIRST_SEQ,
  listSegments,
  openForAppend,
  readCursors,
  readLines,
  removeFile,
  segmentName,
  syncFile,
  writeCursors,
  type SavedCursor,
} from './segment-files.ts';

export interface Segment {
  seq: number;
  /** position of its first line */
  first: number;
  count: number;
  /** bytes in the file (pending lines not included) */
  bytes: number;
}

export interface SegmentLogOptions<T> {
  dir: string;
  codec: QueueCodec<T>;
  segmentRows: number;
  segmentBytes: number;
  fsync: boolean;
  onCorrupt?: (damage: { file: string; line: number; error: string }) => void;
  onError?: (error: unknown) => void;
}

export interface SegmentLog<T> {
  readonly segments: readonly Segment[];
  /** the position after the last line (written or pending) */
  readonly end: number;
  /** bytes of the files and of the lines waiting to be written */
  readonly bytes: number;
  /** damaged lines met so far */
  readonly corrupt: number;
  /** the row at `position` (= end, or past it after rows acked unwritten: then a new segment begins there) */
  append(position: number, row: T): void;
  /** writes the pending lines */
  flush(): void;
  /** writes and, if the log syncs, fsyncs */
  sync(): void;
  /** the open segment is done (written, synced if asked): the next line begins a new one */
  rotate(): void;
  /** removes the segments wholly before `position` */
  releaseBefore(position: number): void;
  /** the segment holding `position` and its decoded lines, at least up to `upTo` */
  linesAt(position: number, upTo: number): { segment: Segment; lines: readonly (T | undefined)[] };
  /** a saved position as a position (none: the oldest line) */
  positionOf(cursor: SavedCursor | undefined): number;
  cursorOf(position: number): SavedCursor;
  /** the positions the cursors file held at open */
  savedCursors(): Record<string, SavedCursor>;
  /** replaces the cursors file; none: removes it */
  saveCursors(cursors: Record<string, SavedCursor> | undefined): void;
  close(): void;
}

/** lines are written in chunks of about this many characters: joining and writing larger strings costs more per line */
const PENDING_MAX = 1 << 16;

export function openSegmentLog<T>(options: SegmentLogOptions<T>): SegmentLog<T> {
  const { dir, codec } = options;
  const fileOf = (seq: number): string => join(dir, segmentName(seq));
  mkdirSync(dir, { recursive: true });
  const segments: Segment[] = [];
  let end = 0;
  let bytes = 0;
  let nextSeq = FIRST_SEQ;
  for (const s of listSegments(dir)) {
    segments.push({ seq: s.seq, first: end, count: s.lines, bytes: s.bytes });
    end += s.lines;
    bytes += s.bytes;
    nextSeq = s.seq + 1;
  }
  let open: Segment | undefined;
  let fd: number | undefined;
  let unsynced = false;
  let pending: string[] = [];
  let pendingChars = 0;
  let corrupt = 0;
  const initialCursors = readCursors(dir, (error) =>
    options.onError?.(new Error(`queue ${dir}: ${CURSORS_FILE} unreadable, every consumer starts at the oldest row: ${String(error)}`)),
  );
  /** the cursors file's content as last written ('' when there is none) */
  let cursorsText = existsSync(join(dir, CURSORS_FILE)) ? JSON.stringify(initialCursors) : '';
  /** lines of a segment already checked for damage (each damaged line is counted once) */
  const checked = new Map<number, number>();
  const decoded = new Map<number, (T | undefined)[]>();

  function flush(): void {
    if (pending.length === 0 || open === undefined) return;
    fd ??= openForAppend(fileOf(open.seq));
    const written = appendAll(fd, `${pending.join('\n')}\n`);
    pending = [];
    pendingChars = 0;
    open.bytes += written;
    bytes += written;
    unsynced = true;
  }

  function rotate(): void {
    flush();
    closeQuietly(fd, options.fsync && unsynced);
    fd = undefined;
    unsynced = false;
    open = undefined;
  }

  function segmentAt(position: number): Segment {
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segments[mid]!.first <= position) lo = mid;
      else hi = mid - 1;
    }
    return segments[lo]!;
  }

  const log: SegmentLog<T> = {
    segments,
    get end() {
      return end;
    },
    get bytes() {
      return bytes + pendingChars;
    },
    get corrupt() {
      return corrupt;
    },
    append(position, row) {
      if (open !== undefined && (position !== end || open.count >= options.segmentRows || open.bytes + pendingChars >= options.segmentBytes)) rotate();
      if (open === undefined) {
        open = { seq: nextSeq++, first: position, count: 0, bytes: 0 };
        segments.push(open);
      }
      const line = codec.encode(row);
      pending.push(line);
      pendingChars += line.length + 1;
      open.count++;
      end = position + 1;
      if (pendingChars >= PENDING_MAX) flush();
    },
    flush,
    sync() {
      flush();
      if (options.fsync && unsynced && fd !== undefined) {
        syncFile(fd);
        unsynced = false;
      }
    },
    rotate,
    releaseBefore(position) {
      while (segments.length > 0 && segments[0]!.first + segments[0]!.count <= position) {
        const gone = segments.shift()!;
        if (gone === open) {
          pending = [];
          pendingChars = 0;
          closeQuietly(fd, false);
          fd = undefined;
          open = undefined;
          unsynced = false;
        }
        bytes -= gone.bytes;
        decoded.delete(gone.seq);
        checked.delete(gone.seq);
        removeFile(fileOf(gone.seq));
      }
    },
    linesAt(position, upTo) {
      const s = segmentAt(position);
      const have = decoded.get(s.seq);
      if (have !== undefined && have.length >= upTo - s.first) return { segment: s, lines: have };
      if (s === open) flush();
      const file = fileOf(s.seq);
      const text = readLines(file);
      const lines = new Array<T | undefined>(s.count);
      const seen = checked.get(s.seq) ?? 0;
      for (let i = 0; i < s.count; i++) {
        try {
          if (text[i] === undefined) throw new Error('line missing');
          lines[i] = codec.decode(text[i]!);
        } catch (error) {
          lines[i] = undefined;
          if (i >= seen) {
            corrupt++;
            options.onCorrupt?.({ file, line: i + 1, error: (error as Error).message });
          }
        }
      }
      checked.set(s.seq, Math.max(seen, s.count));
      if (decoded.size >= 2) decoded.delete(decoded.keys().next().value!);
      decoded.set(s.seq, lines);
      return { segment: s, lines };
    },
    positionOf(cursor) {
      if (cursor === undefined) return segments[0]?.first ?? end;
      const same = segments.find((s) => s.seq === cursor.segment);
      if (same) return same.first + Math.min(Math.max(0, cursor.line), same.count);
      return segments.find((s) => s.seq > cursor.segment)?.first ?? end;
    },
    cursorOf(position) {
      const s = segmentAt(position);
      return { segment: s.seq, line: Math.max(0, Math.min(position - s.first, s.count)) };
    },
    savedCursors: () => initialCursors,
    saveCursors(cursors) {
      if (cursors === undefined) {
        if (cursorsText !== '') removeFile(join(dir, CURSORS_FILE));
        cursorsText = '';
        return;
      }
      const text = JSON.stringify(cursors);
      if (text === cursorsText) return;
      writeCursors(dir, cursors, options.fsync);
      cursorsText = text;
    },
    close() {
      rotate();
      decoded.clear();
    },
  };
  return log;
}
