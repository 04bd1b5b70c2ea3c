/**
 * Time as ketwin reads it, ms since epoch: the one clock port. Parts take a Clock (or its `now`) from
 * main.ts, so tests and replays run them on virtual time; the engine's RxJS scheduler is a Clock too
 * (virtual in tests and replays). `systemClock` is the one place product code reads the wall clock:
 * lint forbids Date.now and `new Date()` elsewhere (eslint.config.js).
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
