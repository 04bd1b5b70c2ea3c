/**
 * A sample as one line: [site, point, value, quality, ts, reason?]. JSON has no NaN or Infinity:
 * such values travel as {"$n":"NaN"}. The collector buffer's segments have used this form since
 * before the queue, so a folder an older version left is read as it is.
 */
import type { Sample } from '../model/index.ts';
import type { QueueCodec } from './codec.ts';

const QUALITIES = new Set(['good', 'uncertain', 'bad']);

export const sampleCodec: QueueCodec<Sample> = {
  encode(s) {
    const value = typeof s.value === 'number' && !Number.isFinite(s.value) ? { $n: String(s.value) } : s.value;
    return JSON.stringify(s.reason === undefined ? [s.site, s.point, value, s.quality, s.ts] : [s.site, s.point, value, s.quality, s.ts, s.reason]);
  },
  decode(line) {
    const row: unknown = JSON.parse(line);
    if (!Array.isArray(row) || row.length < 5 || typeof row[0] !== 'string' || typeof row[1] !== 'string' || !QUALITIES.has(row[3]) || typeof row[4] !== 'number') {
      throw new Error('not a sample');
    }
    const [site, point, raw, quality, ts, reason] = row as [string, string, unknown, Sample['quality'], number, unknown];
    const value = typeof raw === 'object' && raw !== null ? Number((raw as { $n: string }).$n) : (raw as Sample['value']);
    const sample: Sample = { site, point, value, quality, ts };
    if (typeof reason === 'string') sample.reason = reason;
    return sample;
  },
};
