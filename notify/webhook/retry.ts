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

/** 408, 425, 429 and 5xx are worth another try; other 4xx mean the request itself is refused */
export function retryable(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}
