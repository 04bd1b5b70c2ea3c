import { Observable, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { ClauseResult } from '../../model/index.ts';

/**
 * Delay-on / delay-off for one clause on one subject: a pass → fail change is passed on only
 * when the failure has lasted `delayOnMs`, a fail → pass change only when the recovery has lasted
 * `delayOffMs` (on `scheduler`'s time). Every other change (to or from unknown or not-applicable)
 * passes at once: missing data is never held back as compliance. A delayed result carries the
 * time it was confirmed as `since`.
 */
export function delayVerdict(delayOnMs: number, delayOffMs: number, scheduler: SchedulerLike, initial?: ClauseResult['verdict']): MonoTypeOperatorFunction<ClauseResult> {
  return (source) =>
    new Observable<ClauseResult>((subscriber) => {
      let shown = initial;
      let pending: Subscription | undefined;
      const show = (result: ClauseResult) => {
        shown = result.verdict;
        subscriber.next(result);
      };
      const upstream = source.subscribe({
        next(result) {
          pending?.unsubscribe();
          pending = undefined;
          const delay = shown === 'pass' && result.verdict === 'fail' ? delayOnMs : shown === 'fail' && result.verdict === 'pass' ? delayOffMs : 0;
          if (result.verdict === shown) return;
          if (delay <= 0) return show(result);
          pending = scheduler.schedule(() => {
            pending = undefined;
            show({ ...result, since: scheduler.now() });
          }, delay);
        },
        error: (error: unknown) => subscriber.error(error),
        complete() {
          pending?.unsubscribe();
          subscriber.complete();
        },
      });
      return () => {
        upstream.unsubscribe();
        pending?.unsubscribe();
      };
    });
}
