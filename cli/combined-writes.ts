/**
 * The batches of every site a central worker owns, written to the store together: each site's consumer has one
 * batch in flight (its stream is read in order), so with a hundred sites a worker made a hundred small COPYs,
 * each its own transaction and commit, each waiting for one of the pool's few connections. Batches that come
 * while `concurrency` writes are under way wait and go in the next write as one (up to `maxRows`); a batch that
 * comes to an idle writer is written at once, alone. A combined write that fails is tried again batch by batch,
 * so one batch the store refuses fails alone and the other sites go on.
 */
import type { Sample } from '../model/index.ts';

export interface CombinedWrites {
  /** resolves once the batch is committed (alone or with others); rejects with the store's error for it */
  write(batch: readonly Sample[]): Promise<void>;
  stats(): { writes: number; batches: number; rows: number; split: number };
}

interface Waiting {
  batch: readonly Sample[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

export function combineWrites(store: (samples: readonly Sample[]) => Promise<void>, options: { concurrency: number; maxRows: number }): CombinedWrites {
  if (!(options.concurrency >= 1 && options.maxRows >= 1)) throw new Error('combineWrites: concurrency and maxRows must be at least 1');
  const waiting: Waiting[] = [];
  const counts = { writes: 0, batches: 0, rows: 0, split: 0 };
  let running = 0;

  async function writeGroup(group: Waiting[]): Promise<void> {
    const rows = group.length === 1 ? group[0]!.batch : group.flatMap((w) => w.batch);
    counts.writes++;
    counts.batches += group.length;
    counts.rows += rows.length;
    try {
      await store(rows);
      for (const w of group) w.resolve();
      return;
    } catch (error) {
      if (group.length === 1) return group[0]!.reject(error);
    }
    counts.split++;
    for (const w of group) {
      try {
        await store(w.batch);
        w.resolve();
      } catch (error) {
        w.reject(error);
      }
    }
  }

  function next(): void {
    while (running < options.concurrency && waiting.length > 0) {
      const group = [waiting.shift()!];
      let rows = group[0]!.batch.length;
      while (waiting.length > 0 && rows + waiting[0]!.batch.length <= options.maxRows) {
        rows += waiting[0]!.batch.length;
        group.push(waiting.shift()!);
      }
      running++;
      void writeGroup(group).finally(() => {
        running--;
        next();
      });
    }
  }

  return {
    write: (batch) =>
      new Promise<void>((resolve, reject) => {
        waiting.push({ batch, resolve, reject });
        next();
      }),
    stats: () => ({ ...counts }),
  };
}
