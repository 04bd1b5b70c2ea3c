import { Observable, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';

/**
 * Emits the latest value at most once per scheduler tick: the first value of a burst schedules
 * one action (delay 0) on `scheduler`, later values of the same burst only replace the pending
 * value, and the action emits whatever is latest when it runs. On a virtual scheduler the tick
 * is the virtual instant, so the result is deterministic; live, a burst is whatever arrives
 * before the event loop turns. Completion emits a pending value first.
 */
export function coalesceFrame<T>(scheduler: SchedulerLike): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      let pending: Subscription | undefined;
      let latest: T;
      const emit = () => {
        pending = undefined;
        subscriber.next(latest);
      };
      const upstream = source.subscribe({
        next(value) {
          latest = value;
          pending ??= scheduler.schedule(emit);
        },
        error: (error: unknown) => subscriber.error(error),
        complete() {
          if (pending) {
            pending.unsubscribe();
            emit();
          }
          subscriber.complete();
        },
      });
      return () => {
        upstream.unsubscribe();
        pending?.unsubscribe();
      };
    });
}
