/** SignInLimitStore over drizzle: one row per key, counted under a row lock. */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db-handle.ts';
import * as schema from '../schema.ts';
import type { SignInLimitStore } from '../sign-in-limit-store.ts';
import { countAttempt, type SignInCount } from '../sign-in-limits.ts';

export function createDrizzleSignInLimitStore(db: Db): SignInLimitStore {
  const limits = schema.signInLimits;
  return {
    async signInAttempt(key, policy, now) {
      // the row is locked from read to write: concurrent attempts on one key are counted one after another
      return db.transaction(async (tx) => {
        await tx
          .insert(limits)
          .values({ key, attempts: 0, windowStart: new Date(now), lockouts: 0 })
          .onConflictDoNothing();
        const [row] = await tx.select().from(limits).where(eq(limits.key, key)).for('update');
        const current: SignInCount | undefined = row && {
          attempts: row.attempts,
          windowStart: row.windowStart.getTime(),
          lockouts: row.lockouts,
          blockedUntil: row.blockedUntil?.getTime() ?? null,
        };
        const { next, decision } = countAttempt(current, now, policy);
        await tx
          .update(limits)
          .set({
            attempts: next.attempts,
            windowStart: new Date(next.windowStart),
            lockouts: next.lockouts,
            blockedUntil: next.blockedUntil === null ? null : new Date(next.blockedUntil),
          })
          .where(eq(limits.key, key));
        return decision;
      });
    },

    async signInReset(key) {
      await db.delete(limits).where(eq(limits.key, key));
    },

    async signInRefund(key) {
      await db
        .update(limits)
        .set({ attempts: sql`greatest(${limits.attempts} - 1, 0)` })
        .where(eq(limits.key, key));
    },

    async signInUnlock(key) {
      const gone = await db.delete(limits).where(eq(limits.key, key)).returning({ key: limits.key });
      return gone.length > 0;
    },
  };
}
