import type { SeriesPoint } from './ports.ts';

/**
 * At most about `max` points: the range is cut into buckets and each keeps its first, lowest,
 * highest and last reading, so peaks (an overfill, a gas spike) survive thinning.
 */
export function thinSeries(points: SeriesPoint[], max: number): SeriesPoint[] {
  if (points.length <= max) return points;
  const buckets = Math.max(1, Math.floor(max / 4));
  const size = Math.ceil(points.length / buckets);
  const out: SeriesPoint[] = [];
  for (let start = 0; start < points.length; start += size) {
    const slice = points.slice(start, start + size);
    const numeric = slice.filter((p) => typeof p.value === 'number');
    const low = numeric.reduce<SeriesPoint | undefined>((m, p) => (!m || (p.value as number) < (m.value as number) ? p : m), undefined);
    const high = numeric.reduce<SeriesPoint | undefined>((m, p) => (!m || (p.value as number) > (m.value as number) ? p : m), undefined);
    const keep = new Set([slice[0], low, high, slice[slice.length - 1]].filter((p): p is SeriesPoint => p !== undefined));
    out.push(...slice.filter((p) => keep.has(p)));
  }
  return out;
}
