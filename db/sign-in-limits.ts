/**
 * Sign-in limits: every attempt is counted on its keys (`user:<name>`, `address:<ip>`) before the
 * password is checked, so concurrent guesses cannot all pass a count read before any of them was
 * written. Past `limit` attempts in `windowMs` the key is locked for `lockMs`, doubled at each
 * further lockout (exponential back-off, at most `maxLockMs`) until a sign-in succeeds or an
 * administrator unlocks it. The rule is one pure function; the store applies it under a row lock
 * (one statement order for every process), the memory version in one synchronous step.
 */

export interface SignInPolicy {
  /** attempts allowed per window */
  limit: number;
  windowMs: number;
  /** the first lockout; each further one lasts twice as long */
  lockMs: number;
  maxLockMs: number;
}

/** What is kept per key. */
export interface SignInCount {
  attempts: number;
  windowStart: number;
  lockouts: number;
  blockedUntil: number | null;
}

export type SignInDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** One attempt on a key: the new count and whether the attempt may go on to the password check. */
export function countAttempt(current: SignInCount | undefined, now: number, policy: SignInPolicy): { next: SignInCount; decision: SignInDecision } {
  const c: SignInCount = current ? { ...current } : { attempts: 0, windowStart: now, lockouts: 0, blockedUntil: null };
  if (c.blockedUntil !== null && c.blockedUntil > now) return { next: c, decision: { allowed: false, retryAfterMs: c.blockedUntil - now } };
  if (c.windowStart + policy.windowMs <= now || c.blockedUntil !== null) {
    c.attempts = 0;
    c.windowStart = now;
    c.blockedUntil = null;
  }
  c.attempts += 1;
  if (c.attempts <= policy.limit) return { next: c, decision: { allowed: true } };
  const lockMs = Math.min(policy.maxLockMs, policy.lockMs * 2 ** c.lockouts);
  c.lockouts += 1;
  c.attempts = 0;
  c.blockedUntil = now + lockMs;
  return { next: c, decision: { allowed: false, retryAfterMs: lockMs } };
}

/** Where counts live: the database (every process sees them, `ketwin user unlock` reaches them) or memory. */
export interface SignInLimiter {
  /** counts one attempt on `key` and says whether it may go on */
  attempt(key: string, policy: SignInPolicy, now: number): Promise<SignInDecision>;
  /** a successful sign-in: the key's count and lockouts are cleared */
  reset(key: string): Promise<void>;
  /** a successful sign-in from a shared key (a client address): its attempt is not held against the others */
  refund(key: string): Promise<void>;
  /** lifts a lockout; false when the key had no count */
  unlock(key: string): Promise<boolean>;
}

/** Counts in memory, for one process (tests, a server without a database). Each attempt is counted synchronously. */
export function createMemorySignInLimiter(maxKeys = 100_000): SignInLimiter {
  const counts = new Map<string, SignInCount>();
  return {
    attempt(key, policy, now) {
      const { next, decision } = countAttempt(counts.get(key), now, policy);
      counts.delete(key);
      counts.set(key, next);
      if (counts.size > maxKeys) counts.delete(counts.keys().next().value as string);
      return Promise.resolve(decision);
    },
    reset: (key) => Promise.resolve(void counts.delete(key)),
    refund(key) {
      const c = counts.get(key);
      if (c && c.attempts > 0) c.attempts -= 1;
      return Promise.resolve();
    },
    unlock: (key) => Promise.resolve(counts.delete(key)),
  };
}

/** The database's counts (SignInLimitStore: signInAttempt …) as a SignInLimiter. */
export function storeSignInLimiter(store: {
  signInAttempt(key: string, policy: SignInPolicy, now: number): Promise<SignInDecision>;
  signInReset(key: string): Promise<void>;
  signInRefund(key: string): Promise<void>;
  signInUnlock(key: string): Promise<boolean>;
}): SignInLimiter {
  return {
    attempt: (key, policy, now) => store.signInAttempt(key, policy, now),
    reset: (key) => store.signInReset(key),
    refund: (key) => store.signInRefund(key),
    unlock: (key) => store.signInUnlock(key),
  };
}

/** The key a user's attempts are counted under (what `ketwin user unlock NAME` lifts). */
export const userLimitKey = (name: string): string => `user:${name.normalize('NFC').toLowerCase()}`;
