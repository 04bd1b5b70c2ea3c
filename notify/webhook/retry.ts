/** Exponential back-off between delivery attempts, and the budget after which a delivery is dead-lettered. */
export interface RetryPolicy {
  /** attempts before a delivery is dead-lettered, the first one included; default 10 */
  maxAttempts: number;
  /** wait after the first failure, ms; doubled after each further failure; default 1 s */
  baseMs: number;
  /** longest wait, ms; default 10 min */
  maxMs: number;
  /** one request's timeout, ms; default 10 s */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 10, baseMs: 1_000, maxMs: 600_000, timeoutMs: 10_000 };

/**
 * Dead letters retry themselves: `everyMs` after a delivery died (doubled each round, ± `jitter`
 * of it so that subscribers who died together do not come back together) it goes back to the
 * queue with a fresh attempt budget; after `maxRounds` rounds it stays dead, with the reason.
 */
export interface DeadLetterPolicy {
  /** default 15 min */
  everyMs: number;
  /** share of the wait drawn at random either way; default 0.2 */
  jitter: number;
  /** default 4 (15 min, 30 min, 1 h, 2 h) */
  maxRounds: number;
}

export const DEFAULT_DEAD_LETTER_RETRY: DeadLetterPolicy = { everyMs: 15 * 60_000, jitter: 0.2, maxRounds: 4 };

/** wait before automatic round `round` (1, 2, …) of a dead letter; `random` in [0, 1) */
export function deadLetterWaitMs(policy: DeadLetterPolicy, round: number, random: number): number {
  const base = policy.everyMs * 2 ** Math.max(0, round - 1);
  return Math.max(0, Math.round(base * (1 + policy.jitter * (2 * random - 1))));
}

/** wait after `failures` failed attempts (1, 2, …) */
export function backoffMs(policy: RetryPolicy, failures: number): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
}

/**
 * 5xx, timeouts, rate limits and refused credentials (a receiver's secret or clock being fixed)
 * are worth another try; other 4xx (400, 404, 410, 413, 422, …) mean this request will never be
 * taken, so it goes to the dead letters at once.
 */
export function retryable(status: number): boolean {
  return status >= 500 || [401, 403, 408, 409, 425, 429].includes(status);
}
