import { Observable, type Subscriber } from 'rxjs';

/**
 * A Subject's delivery, for the engine's one stream that carries every sample: subscribers get each
 * value in the order they subscribed, one who joins or leaves while a value is being delivered
 * counts from the next value on, and a completed channel completes its late subscribers at once.
 * rxjs's Subject allocates a closure and an array iterator per value, which made up a quarter of
 * the engine's allocations per sample; here the subscriber list is copied on (un)subscribe instead.
 */
export class EventChannel<T> {
  #observers: readonly Subscriber<T>[] = [];
  #stopped = false;

  readonly observable = new Observable<T>((subscriber) => {
    if (this.#stopped) {
      subscriber.complete();
      return undefined;
    }
    this.#observers = [...this.#observers, subscriber];
    return () => {
      this.#observers = this.#observers.filter((o) => o !== subscriber);
    };
  });

  next(value: T): void {
    if (this.#stopped) return;
    // indexed loop over the list as it was when delivery began
    const observers = this.#observers;
    for (let i = 0; i < observers.length; i++) observers[i]!.next(value);
  }

  complete(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    const observers = this.#observers;
    this.#observers = [];
    for (const observer of observers) observer.complete();
  }
}
