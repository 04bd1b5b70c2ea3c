/** The wall clock for countdowns, ticking every `periodMs` while started. */
export class Clock {
  #now = $state(Date.now());
  #timer: ReturnType<typeof setInterval> | undefined;

  get now(): number {
    return this.#now;
  }

  /** starts ticking; returns the stop function (for an $effect's teardown) */
  start(periodMs = 1000): () => void {
    this.stop();
    this.#now = Date.now();
    this.#timer = setInterval(() => (this.#now = Date.now()), periodMs);
    return () => this.stop();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
