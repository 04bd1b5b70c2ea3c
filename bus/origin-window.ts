/**
 * Taking a batch once: per origin, the position after the last row taken. A batch offered again (the
 * publisher did not hear that it was taken) is dropped whole, or the part of it taken already.
 */
import type { BatchOrigin } from './bus.ts';

export interface OriginWindow {
  /** the rows of `rows` not taken yet (all of them when `origin` is none); marks nothing */
  fresh<T>(rows: T[], origin: BatchOrigin | undefined): { fresh: T[]; duplicates: number };
  /** the batch's rows are taken (after the subscriber handled them) */
  mark(origin: BatchOrigin | undefined): void;
}

/** `keep`: origins remembered at most (an origin is one run of a publisher: the least recently seen are forgotten) */
export function createOriginWindow(keep = 1024): OriginWindow {
  const next = new Map<string, number>();
  return {
    fresh<T>(rows: T[], origin: BatchOrigin | undefined) {
      if (origin === undefined) return { fresh: rows, duplicates: 0 };
      const from = next.get(origin.origin);
      if (from === undefined || origin.start >= from) return { fresh: rows, duplicates: 0 };
      if (origin.end <= from) return { fresh: [], duplicates: rows.length };
      const fresh: T[] = [];
      let i = 0;
      for (const position of positions(origin)) {
        if (i >= rows.length) break;
        if (position >= from) fresh.push(rows[i]!);
        i++;
      }
      return { fresh, duplicates: rows.length - fresh.length };
    },
    mark(origin) {
      if (origin === undefined) return;
      const from = next.get(origin.origin) ?? Number.NEGATIVE_INFINITY;
      next.delete(origin.origin); // re-inserted: the map's order is the origins' last use
      next.set(origin.origin, Math.max(from, origin.end));
      if (next.size > keep) next.delete(next.keys().next().value!);
    },
  };
}

/** the positions of a batch's rows, oldest first: [start, end) without its holes */
export function* positions(origin: BatchOrigin): Generator<number> {
  const holes = new Set(origin.holes ?? []);
  for (let p = origin.start; p < origin.end; p++) if (!holes.has(p)) yield p;
}
