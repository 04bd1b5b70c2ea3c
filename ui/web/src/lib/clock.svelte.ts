import { systemClock } from '../../../../model/clock.ts';

// the web app reads the wall clock through model's one port (a plain module: no schema code reaches the bundle)
export { systemClock };

/** The wall clock for countdowns, ticking every `periodMs` while started. */
export class TickingClock {
  #now = $state(systemClock.now());
  #timer: ReturnType<typeof setInterval> | undefined;

  get now(): number {
    return this.#now;
  }

  /** starts ticking; returns the stop function (for an $effect's teardown) */
  start(periodMs = 1000): () => void {
    this.stop();
    this.#now = systemClock.now();
    this.#timer = setInterval(() => (this.#now = systemClock.now()), periodMs);
    return () => this.stop();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
