import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sample } from '../model/index.ts';

/**
 * The on-disk tail of a sample buffer: append-only NDJSON segment files `<seq>.ndjson`, read
 * back oldest first, each deleted once read. Lines are [site, point, value, quality, ts, reason?];
 * non-finite numbers are kept as {"$n":"NaN"} (JSON has no NaN). Appended lines reach the file
 * at the latest at the buffer's next group commit (flush(), every 200 ms), so a killed process
 * loses at most that much of what it spilled.
 */
export interface SegmentStore {
  /** samples on disk (including those not yet flushed) */
  readonly count: number;
  append(sample: Sample): void;
  /** writes appended lines to the file now */
  flush(): void;
  /** removes and returns the oldest segment's samples, or [] when empty; with `moveTo`, its file is renamed there instead of deleted */
  takeOldest(moveTo?: string): Sample[];
  /** writes samples as a segment older than every other (for a buffer's in-memory head on close) */
  prependSegment(samples: Sample[]): void;
}

const pad = (seq: number) => String(seq).padStart(12, '0');
const FIRST = 1_000_000_000;

export function encodeSample(s: Sample): string {
  const value = typeof s.value === 'number' && !Number.isFinite(s.value) ? { $n: String(s.value) } : s.value;
  return JSON.stringify(s.reason === undefined ? [s.site, s.point, value, s.quality, s.ts] : [s.site, s.point, value, s.quality, s.ts, s.reason]);
}

export function decodeSample(line: string): Sample {
  const [site, point, raw, quality, ts, reason] = JSON.parse(line) as [string, string, unknown, Sample['quality'], number, string | undefined];
  const value = typeof raw === 'object' && raw !== null ? Number((raw as { $n: string }).$n) : (raw as Sample['value']);
  const sample: Sample = { site, point, value, quality, ts };
  if (reason !== undefined) sample.reason = reason;
  return sample;
}

export function openSegmentStore(dir: string, segmentSize: number, onCorrupt: (file: string, line: number) => void): SegmentStore {
  mkdirSync(dir, { recursive: true });
  const segments: { seq: number; count: number }[] = readdirSync(dir)
    .filter((f) => /^\d{12}\.ndjson$/.test(f))
    .map((f) => ({ seq: Number(f.slice(0, 12)), count: countLines(join(dir, f)) }))
    .sort((a, b) => a.seq - b.seq);
  let count = segments.reduce((n, s) => n + s.count, 0);
  let nextSeq = (segments.at(-1)?.seq ?? FIRST - 1) + 1;
  /** the segment being appended to: its lines not yet written */
  let open: { seq: number; count: number } | undefined;
  let pending: string[] = [];
  const file = (seq: number) => join(dir, `${pad(seq)}.ndjson`);

  const flush = () => {
    if (!open || pending.length === 0) return;
    appendFileSync(file(open.seq), `${pending.join('\n')}\n`);
    pending = [];
  };

  return {
    get count() {
      return count;
    },
    append(sample) {
      if (!open || open.count >= segmentSize) {
        flush();
        open = { seq: nextSeq++, count: 0 };
        segments.push(open);
      }
      pending.push(encodeSample(sample));
      open.count++;
      count++;
      if (pending.length >= 1000) flush();
    },
    flush,
    takeOldest(moveTo) {
      const oldest = segments.shift();
      if (!oldest) return [];
      if (oldest === open) {
        flush();
        open = undefined;
      }
      const path = file(oldest.seq);
      const samples: Sample[] = [];
      const lines = readFileSync(path, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (line === '') return;
        try {
          samples.push(decodeSample(line));
        } catch {
          onCorrupt(path, i + 1); // a line cut short by a crash
        }
      });
      if (moveTo === undefined) rmSync(path, { force: true });
      else renameSync(path, moveTo);
      count -= oldest.count;
      return samples;
    },
    prependSegment(samples) {
      if (samples.length === 0) return;
      const seq = (segments[0]?.seq ?? nextSeq) - 1;
      writeFileSync(file(seq), `${samples.map(encodeSample).join('\n')}\n`);
      segments.unshift({ seq, count: samples.length });
      count += samples.length;
    },
  };
}

function countLines(path: string): number {
  const text = readFileSync(path, 'utf8');
  let n = 0;
  for (const line of text.split('\n')) if (line !== '') n++;
  return n;
}

/**
 * The buffer's in-memory head on disk (`head.wal`): samples held in memory but not yet taken by
 * downstream are appended at each group commit, and the file is removed once downstream took them
 * all. At open its samples are the oldest of the buffer: they are delivered first.
 */
export interface HeadLog {
  /** samples in the file */
  readonly count: number;
  readonly path: string;
  /** the file was replaced by a segment of `count` samples (renamed there) */
  adopt(count: number): void;
  append(samples: readonly Sample[]): void;
  /** the samples a killed process left, oldest first */
  read(): Sample[];
  clear(): void;
}

export function openHeadLog(dir: string, onCorrupt: (file: string, line: number) => void): HeadLog {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'head.wal');
  let count = existsSync(path) ? countLines(path) : 0;
  return {
    get count() {
      return count;
    },
    path,
    adopt(n) {
      count = n;
    },
    append(samples) {
      if (samples.length === 0) return;
      appendFileSync(path, `${samples.map(encodeSample).join('\n')}\n`);
      count += samples.length;
    },
    read() {
      if (!existsSync(path)) return [];
      const out: Sample[] = [];
      readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
        if (line === '') return;
        try {
          out.push(decodeSample(line));
        } catch {
          onCorrupt(path, i + 1);
        }
      });
      return out;
    },
    clear() {
      if (count === 0 && !existsSync(path)) return;
      rmSync(path, { force: true });
      count = 0;
    },
  };
}
