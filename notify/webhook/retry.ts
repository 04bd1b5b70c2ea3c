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
