/**
 * The writer's overflow on disk: batches of rows (samples; audit entries) in numbered JSON-lines files, read back
 * oldest first. Bounded by bytes: past the bound the oldest file goes, and is counted.
 * Files left by a previous process are picked up, so a crash during an outage loses nothing
 * that reached the disk. Synchronous I/O: a file is one batch (~0.5 MB for 5000 rows), and
 * spilling happens only while the database is away.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Sample } from '../model/index.ts';

export interface Spill<T = Sample> {
  readonly dir: string;
  /** Writes rows (oldest first) as the newest file; returns rows dropped to stay under the bound. */
  push(rows: readonly T[]): number;
  /** Puts rows back in front of every file (a batch that failed while newer rows were spilled). */
  unshift(rows: readonly T[]): void;
  /** The oldest file's rows, or undefined when the spill is empty. */
  peek(): T[] | undefined;
  /** Removes the oldest file (after its rows were written). */
  shift(): void;
  stats(): { files: number; rows: number; bytes: number };
}

const NAME = /^spill-(\d{12})-(\d+)\.jsonl$/;

/** How rows become lines and back. */
export interface SpillCodec<T> {
  encode(row: T): string;
  decode(line: string): T;
}

/** JSON has no NaN or Infinity: such values travel as text with a marker. */
export const SAMPLE_CODEC: SpillCodec<Sample> = {
  encode: (r) => JSON.stringify(typeof r.value === 'number' && !Number.isFinite(r.value) ? { ...r, value: String(r.value), nonFinite: true } : r),
  decode(line) {
    const row = JSON.parse(line) as Sample & { nonFinite?: boolean };
    if (row.nonFinite !== true) return row;
    const { nonFinite: _, ...sample } = row;
    return { ...sample, value: Number(sample.value) };
  },
};

export interface SpillOptions<T> {
  codec?: SpillCodec<T>;
  /** fsync each file before push returns (for rows that must survive a power cut: audit entries) */
  sync?: boolean;
}

export function createSpill(dir: string, maxBytes: number): Spill<Sample>;
export function createSpill<T>(dir: string, maxBytes: number, options: SpillOptions<T> & { codec: SpillCodec<T> }): Spill<T>;
export function createSpill<T>(dir: string, maxBytes: number, options: SpillOptions<T> = {}): Spill<T> {
  const codec = (options.codec ?? SAMPLE_CODEC) as SpillCodec<T>;
  mkdirSync(dir, { recursive: true });
  const files: { name: string; rows: number; bytes: number }[] = [];
  for (const name of readdirSync(dir).filter((n) => NAME.test(n)).sort()) {
    files.push({ name, rows: Number(NAME.exec(name)![2]), bytes: statSync(join(dir, name)).size });
  }
  // Numbers start mid-range so that a batch put back in front still sorts first.
  const seqOf = (name: string): number => Number(NAME.exec(name)![1]);
  let next = files.length === 0 ? 500_000_000_000 : seqOf(files.at(-1)!.name) + 1;
  const bytes = (): number => files.reduce((n, f) => n + f.bytes, 0);
  const encode = (rows: readonly T[]): string => rows.map((r) => codec.encode(r)).join('\n') + '\n';
  const write = (path: string, text: string): void => {
    if (!options.sync) return writeFileSync(path, text);
    const fd = openSync(path, 'w');
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  };
  const fileName = (seq: number, rows: number): string => `spill-${String(seq).padStart(12, '0')}-${rows}.jsonl`;

  return {
    dir,
    push(rows) {
      if (rows.length === 0) return 0;
      const text = encode(rows);
      const name = fileName(next++, rows.length);
      write(join(dir, name), text);
      files.push({ name, rows: rows.length, bytes: Buffer.byteLength(text) });
      let dropped = 0;
      while (files.length > 1 && bytes() > maxBytes) {
        const oldest = files.shift()!;
        unlinkSync(join(dir, oldest.name));
        dropped += oldest.rows;
      }
      return dropped;
    },
    unshift(rows) {
      if (rows.length === 0) return;
      const first = files[0] === undefined ? next++ : seqOf(files[0].name) - 1;
      const text = encode(rows);
      const name = fileName(first, rows.length);
      write(join(dir, name), text);
      files.unshift({ name, rows: rows.length, bytes: Buffer.byteLength(text) });
    },
    peek() {
      const oldest = files[0];
      if (oldest === undefined) return undefined;
      const text = readFileSync(join(dir, oldest.name), 'utf8');
      return text.split('\n').filter((l) => l !== '').map((l) => codec.decode(l));
    },
    shift() {
      const oldest = files.shift();
      if (oldest !== undefined) unlinkSync(join(dir, oldest.name));
    },
    stats: () => ({ files: files.length, rows: files.reduce((n, f) => n + f.rows, 0), bytes: bytes() }),
  };
}
