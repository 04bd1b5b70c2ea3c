import { Observable, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { Sample } from '../../model/index.ts';

/**
 * Passes samples through; when no good sample has arrived for `ms` (on `scheduler`'s time)
 * after the last good one, emits that last sample again marked `bad` with reason `stale`.
 * One timer per stream at most, re-armed lazily, so a fast stream costs no timer churn.
 */
export function staleAfter(ms: number, scheduler: SchedulerLike): MonoTypeOperatorFunction<Sample> {
  return (source) =>
    new Observable<Sample>((subscriber) => {
      let latest: Sample | undefined;
      let lastGoodAt = 0;
      let timer: Subscription | undefined;

      const arm = (delay: number) => {
        timer = scheduler.schedule(check, delay);
      };
      const check = () => {
        timer = undefined;
        if (!latest || latest.quality !== 'good') return;
        const idle = scheduler.now() - lastGoodAt;
        if (idle < ms) return arm(ms - idle);
        latest = { ...latest, quality: 'bad', reason: 'stale' };
        subscriber.next(latest);
      };

      const upstream = source.subscribe({
        next(sample) {
          latest = sample;
          if (sample.quality === 'good') {
            lastGoodAt = scheduler.now();
            if (!timer) arm(ms);
          }
          subscriber.next(sample);
        },
        error(error: unknown) {
          timer?.unsubscribe();
          subscriber.error(error);
        },
        complete() {
          timer?.unsubscribe();
          subscriber.complete();
        },
      });
      return () => {
        upstream.unsubscribe();
        timer?.unsubscribe();
      };
    });
}
