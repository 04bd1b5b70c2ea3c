export interface RateLimiter {
  /** whether another attempt under this key is allowed now; if not, how long to wait */
  check(key: string): { allowed: true } | { allowed: false; retryAfterMs: number };
  /** counts one attempt (a failed login) */
  hit(key: string): void;
  /** forgets the key (after a successful login) */
  reset(key: string): void;
}

export interface RateLimitOptions {
  limit: number;
  windowMs: number;
  now?: () => number;
  /** at most this many keys are tracked; the oldest go first. Default 10,000 */
  maxKeys?: number;
}

/** Sliding-window attempt counter per key (client address, or user name). */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 10_000;
  const hits = new Map<string, number[]>();
  const recent = (key: string, t: number): number[] => {
    const list = (hits.get(key) ?? []).filter((at) => at > t - options.windowMs);
    if (list.length) hits.set(key, list);
    else hits.delete(key);
    return list;
  };
  return {
    check(key) {
      const t = now();
      const list = recent(key, t);
      if (list.length < options.limit) return { allowed: true };
      return { allowed: false, retryAfterMs: Math.max(1, (list[list.length - options.limit] ?? t) + options.windowMs - t) };
    },
    hit(key) {
      const t = now();
      const list = recent(key, t);
      list.push(t);
      hits.delete(key);
      hits.set(key, list);
      if (hits.size > maxKeys) hits.delete(hits.keys().next().value as string);
    },
    reset: (key) => void hits.delete(key),
  };
}
