import type { SchedulerLike, Subscription } from 'rxjs';
import type { Sample } from '../model/index.ts';

/** One staleness watch for every point of a site: one timer, not one per point. */
export interface StaleWatch {
  /** records a sample of the point `cell` stands for; a good one re-arms its point's silence limit */
  seen(sample: Sample, staleAfterMs: number, cell: StaleCell): void;
  dispose(): void;
}

/** Where the watch keeps one point's state: held by the caller, one per point, so a sample is recorded without a lookup. */
export interface StaleCell {
  watched?: Watched;
}

export interface Watched {
  sample: Sample;
  lastGoodAt: number;
  ms: number;
}

/**
 * When a point has had no good sample for its `staleAfterMs` (on `scheduler`'s time) after its last
 * good one, calls `onStale` with that last sample marked `bad`, reason `stale`. A site's thousands of
 * points share one timer armed for the earliest deadline and re-armed lazily, so a point that keeps
 * reporting costs no timer at all.
 */
export function createStaleWatch(scheduler: SchedulerLike, onStale: (sample: Sample) => void): StaleWatch {
  // in the order points were first seen, as they are checked (and reported stale)
  const watched: Watched[] = [];
  const watch = (cell: StaleCell, w: Watched) => {
    cell.watched = w;
    watched.push(w);
  };
  let timer: Subscription | undefined;
  let armedFor = Infinity;
  const arm = (at: number) => {
    if (timer && armedFor <= at) return;
    timer?.unsubscribe();
    armedFor = at;
    timer = scheduler.schedule(check, Math.max(0, at - scheduler.now()));
  };
  const check = () => {
    timer = undefined;
    armedFor = Infinity;
    const now = scheduler.now();
    let next = Infinity;
    const stale: Sample[] = [];
    for (const w of watched) {
      if (w.sample.quality !== 'good') continue;
      const deadline = w.lastGoodAt + w.ms;
      if (deadline <= now) {
        w.sample = { ...w.sample, quality: 'bad', reason: 'stale' };
        stale.push(w.sample);
      } else if (deadline < next) next = deadline;
    }
    if (next < Infinity) arm(next);
    for (const sample of stale) onStale(sample);
  };
  return {
    seen(sample, ms, cell) {
      const now = scheduler.now();
      const w = cell.watched;
      if (sample.quality !== 'good') {
        if (w) w.sample = sample;
        else watch(cell, { sample, lastGoodAt: now, ms });
        return;
      }
      if (w) {
        w.sample = sample;
        w.lastGoodAt = now;
        w.ms = ms;
      } else watch(cell, { sample, lastGoodAt: now, ms });
      arm(now + ms);
    },
    dispose() {
      timer?.unsubscribe();
      timer = undefined;
      watched.length = 0;
    },
  };
}
