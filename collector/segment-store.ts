import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sample } from '../model/index.ts';

/**
 * The on-disk tail of a sample buffer: append-only NDJSON segment files `<seq>.ndjson`, read
 * back oldest first, each deleted once read. Lines are [site, point, value, quality, ts, reason?];
 * non-finite numbers are kept as {"$n":"NaN"} (JSON has no NaN).
 */
export interface SegmentStore {
  /** samples on disk (including those not yet flushed) */
  readonly count: number;
  append(sample: Sample): void;
  /** writes appended lines to the file now */
  flush(): void;
  /** removes and returns the oldest segment's samples, or [] when empty */
  takeOldest(): Sample[];
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
    takeOldest() {
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
      rmSync(path, { force: true });
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
