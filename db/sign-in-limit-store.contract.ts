/** SignInLimitStore's contract, run by db/store.contract.ts against every backend. */
import { expect, it } from 'vitest';
import type { SignInLimitStore } from './sign-in-limit-store.ts';
import { T0 } from './store-contract-rows.ts';

const POLICY = { limit: 5, windowMs: 15 * 60_000, lockMs: 60_000, maxLockMs: 3_600_000 };

export function signInLimitStoreContract(store: () => SignInLimitStore): void {
  it('counts concurrent sign-in attempts on one key one after another: exactly the limit pass', async () => {
    const decisions = await Promise.all(Array.from({ length: 40 }, () => store().signInAttempt('user:li.wei', POLICY, T0)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
    expect(decisions.find((d) => !d.allowed)).toEqual({ allowed: false, retryAfterMs: 60_000 });
    // locked for the back-off, then counted afresh; the next lockout lasts twice as long
    expect(await store().signInAttempt('user:li.wei', POLICY, T0 + 59_000)).toEqual({ allowed: false, retryAfterMs: 1_000 });
    for (let i = 0; i < 5; i++) expect((await store().signInAttempt('user:li.wei', POLICY, T0 + 61_000)).allowed).toBe(true);
    expect(await store().signInAttempt('user:li.wei', POLICY, T0 + 61_000)).toEqual({ allowed: false, retryAfterMs: 120_000 });
    expect(await store().signInUnlock('user:li.wei')).toBe(true);
    expect(await store().signInAttempt('user:li.wei', POLICY, T0 + 62_000)).toEqual({ allowed: true });
    expect(await store().signInUnlock('user:nobody')).toBe(false);
  });
}
