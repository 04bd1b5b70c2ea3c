/**
 * The files of a durable queue's folder: segments `<seq>.ndjson` (one row a line, appended, never
 * rewritten, oldest first by their 12-digit sequence number) and `cursors.json` (each consumer's
 * position as a segment and a line in it, replaced atomically).
 */
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const SEGMENT = /^(\d{12})\.ndjson$/;
/** the first sequence number of an empty folder (mid-range: a migration may put older segments in front) */
export const FIRST_SEQ = 1_000_000_000;
export const CURSORS_FILE = 'cursors.json';

export const segmentName = (seq: number): string => `${String(seq).padStart(12, '0')}.ndjson`;

export interface SegmentOnDisk {
  seq: number;
  /** lines, counting a last line cut short (no newline) by a crash */
  lines: number;
  bytes: number;
}

/** The segments in `dir`, oldest first, with their lines counted. */
export function listSegments(dir: string): SegmentOnDisk[] {
  return readdirSync(dir)
    .map((name) => SEGMENT.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b)
    .map((seq) => {
      const data = readFileSync(join(dir, segmentName(seq)));
      let lines = 0;
      for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) lines++;
      if (data.length > 0 && data[data.length - 1] !== 10) lines++;
      return { seq, lines, bytes: data.length };
    });
}

/** A segment's lines as written (a last line cut short included; the empty string after the last newline not). */
export function readLines(path: string): string[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Writes all of `text` at the end of the open file; returns its bytes (UTF-8). */
export function appendAll(fd: number, text: string): number {
  const written = writeSync(fd, text); // a string straight to the file: no Buffer in between
  const bytes = Buffer.byteLength(text);
  if (written < bytes) {
    const data = Buffer.from(text); // the rare short write
    for (let done = written; done < data.length;) done += writeSync(fd, data, done, data.length - done);
  }
  return bytes;
}

export function openForAppend(path: string): number {
  return openSync(path, 'a', 0o600);
}

export function closeQuietly(fd: number | undefined, sync: boolean): void {
  if (fd === undefined) return;
  try {
    if (sync) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function syncFile(fd: number): void {
  fsyncSync(fd);
}

export function removeFile(path: string): void {
  rmSync(path, { force: true });
}

/** A consumer's position: the line of a segment it reads next. */
export interface SavedCursor {
  segment: number;
  line: number;
}

/** The positions saved by the last commit; {} when none (or unreadable: then every consumer starts at the oldest row). */
export function readCursors(dir: string, onDamaged: (error: unknown) => void): Record<string, SavedCursor> {
  const path = join(dir, CURSORS_FILE);
  if (!existsSync(path)) return {};
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Record<string, SavedCursor>;
    for (const c of Object.values(parsed)) if (!Number.isInteger(c?.segment) || !Number.isInteger(c?.line)) throw new Error('not a cursor');
    return parsed;
  } catch (error) {
    onDamaged(error);
    return {};
  }
}

/** Replaces the cursors file (temp file + rename: a crash leaves the old or the new one, never half). */
export function writeCursors(dir: string, cursors: Record<string, SavedCursor>, sync: boolean): void {
  const path = join(dir, CURSORS_FILE);
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeFileSync(fd, JSON.stringify(cursors));
    if (sync) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

/**
 * Takes a file of lines (one row each, a format older than the queue) into `dir` as the segment older
 * than every other, by renaming it: an upgrade reads what an older version left, before anything newer.
 */
export function adoptOldestSegment(dir: string, file: string): void {
  const seqs = readdirSync(dir)
    .map((name) => SEGMENT.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]));
  const seq = seqs.length === 0 ? FIRST_SEQ : Math.min(...seqs) - 1;
  renameSync(file, join(dir, segmentName(seq)));
}
