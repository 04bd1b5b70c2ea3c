import { Observable, type MonoTypeOperatorFunction, type Observable as Source, type SchedulerLike } from 'rxjs';
import type { ClauseResult, Verdict } from '../../model/index.ts';

/**
 * Latching for one clause on one subject (an ISA-18.2 latched alarm; a gas alarm controller that
 * holds its alarm until it is reset by hand): once a failure has been shown, a return to pass is
 * held back until `reset$` emits (the operator acknowledges the clause's alarm), and then shown
 * stamped with the reset time. A reset while the clause still fails, or is unknown, changes
 * nothing: the latch holds until a reset finds the condition returned. Unknown and
 * not-applicable pass at once (missing data is never held back as compliance) and leave the
 * latch set. Only changes of the shown verdict are passed on.
 */
export function latchVerdict(reset$: Source<unknown>, scheduler: SchedulerLike, initial?: Verdict): MonoTypeOperatorFunction<ClauseResult> {
  return (source) =>
    new Observable<ClauseResult>((subscriber) => {
      let shown = initial;
      let latched = initial === 'fail';
      let held: ClauseResult | undefined;
      const show = (result: ClauseResult) => {
        if (result.verdict === shown) return;
        shown = result.verdict;
        subscriber.next(result);
      };
      const resets = reset$.subscribe(() => {
        if (!latched || !held) return;
        const released = { ...held, since: scheduler.now() };
        latched = false;
        held = undefined;
        show(released);
      });
      const upstream = source.subscribe({
        next(result) {
          held = undefined;
          if (result.verdict === 'fail') latched = true;
          if (result.verdict === 'pass' && latched) held = result;
          else show(result);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        upstream.unsubscribe();
        resets.unsubscribe();
      };
    });
}
