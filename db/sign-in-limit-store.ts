import type { SignInDecision, SignInPolicy } from './sign-in-limits.ts';

/** Sign-in attempts counted per key (a user, a client address) across restarts and processes (db/sign-in-limits.ts). */
export interface SignInLimitStore {
  /** Counts a sign-in attempt on `key` before the password is checked; atomic per key. */
  signInAttempt(key: string, policy: SignInPolicy, now: number): Promise<SignInDecision>;
  signInReset(key: string): Promise<void>;
  /** Takes back one attempt (a successful sign-in from a shared client address). */
  signInRefund(key: string): Promise<void>;
  /** Lifts a lockout; false when the key had no count. */
  signInUnlock(key: string): Promise<boolean>;
}
