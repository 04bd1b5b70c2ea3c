/**
 * Finding the row a database refuses inside a batch: the batch is split in halves, and halves
 * that still fail are split again, so that every good row is written (in order) and only the
 * refused row is left. A refused row is struck; after `maxStrikes` it becomes a dead letter and
 * the lane goes on. An outage met on the way stops the search: the rest waits for the retry.
 */
import { deadLetterOf, isRowFault, type DeadLetter, type Lane } from './dead-letters.ts';

export interface Isolation<T> {
  /** rows not yet written (or dead-lettered), in order: to be put back at the lane's head */
  rest: T[];
  /** why it stopped early: the database went away, or a refused row waits for its next strike */
  stop?: 'outage' | 'strike';
  error?: unknown;
  written: T[];
  dead: DeadLetter[];
}

export interface Strikes {
  /** one more failure of this row; returns the count so far */
  add(lane: Lane, row: unknown): number;
  clear(lane: Lane, row: unknown): void;
}

/** Failures per row, keyed by its content (a row read back from disk is the same row). Bounded. */
export function createStrikes(max = 10_000): Strikes {
  const counts = new Map<string, number>();
  const key = (lane: Lane, row: unknown): string => `${lane}\u0001${JSON.stringify(row)}`;
  return {
    add(lane, row) {
      const k = key(lane, row);
      const n = (counts.get(k) ?? 0) + 1;
      if (counts.size >= max) counts.clear();
      counts.set(k, n);
      return n;
    },
    clear: (lane, row) => void counts.delete(key(lane, row)),
  };
}

/** Writes `rows` that failed together as a whole, apart, until the refused ones are found. */
export async function isolateRows<T>(
  lane: Lane,
  rows: readonly T[],
  write: (rows: T[]) => Promise<void>,
  options: { strikes: Strikes; maxStrikes: number; now: () => number },
): Promise<Isolation<T>> {
  const out: Isolation<T> = { rest: [], written: [], dead: [] };
  const halves = (chunk: readonly T[]): T[][] => {
    const mid = Math.ceil(chunk.length / 2);
    return [chunk.slice(0, mid), chunk.slice(mid)];
  };
  const pending: T[][] = rows.length > 1 ? halves(rows) : [[...rows]];
  while (pending.length > 0) {
    const chunk = pending.shift()!;
    try {
      await write(chunk);
      out.written.push(...chunk);
      continue;
    } catch (error) {
      if (!isRowFault(error)) {
        out.rest = [chunk, ...pending].flat();
        out.stop = 'outage';
        out.error = error;
        return out;
      }
      if (chunk.length > 1) {
        pending.unshift(...halves(chunk));
        continue;
      }
      const row = chunk[0]!;
      const strikes = options.strikes.add(lane, row);
      if (strikes >= options.maxStrikes) {
        options.strikes.clear(lane, row);
        out.dead.push(deadLetterOf(lane, row, error, strikes, options.now()));
        continue;
      }
      out.rest = [chunk, ...pending].flat();
      out.stop = 'strike';
      out.error = error;
      return out;
    }
  }
  return out;
}
