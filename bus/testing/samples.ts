import type { Sample } from '../../model/index.ts';

/** `count` samples of `site` numbered from `from` (value and ts the number; four points in turn) */
export function numberedSamples(site: string, from: number, count: number): Sample[] {
  return Array.from({ length: count }, (_, i) => ({ site, point: `P${(from + i) % 4}.v`, value: from + i, quality: 'good' as const, ts: 1_700_000_000_000 + from + i }));
}
