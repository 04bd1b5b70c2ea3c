import { systemClock } from '../model/index.ts';

/** Counts events and tells their rate over the last `windowSeconds` whole seconds. */
export interface RateMeter {
  add(count?: number): void;
  readonly total: number;
  perSecond(): number;
}

export function createRateMeter(now: () => number = systemClock.now, windowSeconds = 5): RateMeter {
  const buckets = new Array<number>(windowSeconds + 1).fill(0);
  let second = Math.floor(now() / 1000);
  const startedAt = now();
  let total = 0;
  const advance = () => {
    const current = Math.floor(now() / 1000);
    for (let s = second + 1; s <= current && s <= second + buckets.length; s++) buckets[s % buckets.length] = 0;
    second = Math.max(second, current);
  };
  return {
    add(count = 1) {
      advance();
      buckets[second % buckets.length]! += count;
      total += count;
    },
    get total() {
      return total;
    },
    perSecond() {
      advance();
      // the whole seconds before the current one
      let sum = 0;
      for (let s = second - windowSeconds; s < second; s++) sum += buckets[((s % buckets.length) + buckets.length) % buckets.length]!;
      const seconds = Math.min(windowSeconds, Math.max(1, Math.floor((now() - startedAt) / 1000)));
      return sum / seconds;
    },
  };
}
