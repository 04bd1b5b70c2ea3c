/** The store's dead letters and sign-in counts, over any drizzle PostgreSQL database. */
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { DeadLetter, Lane } from './dead-letters.ts';
import type { Db } from './db-handle.ts';
import * as schema from './schema.ts';
import { countAttempt, type SignInCount } from './sign-in-limits.ts';
import type { Store } from './store.ts';

type Guards = Pick<Store, 'writeDeadLetters' | 'deadLetters' | 'signInAttempt' | 'signInReset' | 'signInRefund' | 'signInUnlock'>;

export function createStoreGuards(db: Db): Guards {
  const limits = schema.signInLimits;
  return {
    async writeDeadLetters(letters) {
      if (letters.length === 0) return;
      await db.insert(schema.deadLetters).values(letters.map((l) => ({
        lane: l.lane, payload: l.payload, error: l.error, code: l.code ?? null, attempts: l.attempts, failedAt: new Date(l.failedAt),
      })));
    },

    async deadLetters(filter = {}) {
      const d = schema.deadLetters;
      const where = [gt(d.id, filter.afterId ?? 0)];
      if (filter.lane !== undefined) where.push(eq(d.lane, filter.lane));
      const got = await db.select().from(d).where(and(...where)).orderBy(asc(d.id)).limit(filter.limit ?? 1000);
      return got.map((r): DeadLetter => {
        const letter: DeadLetter = { id: r.id, lane: r.lane as Lane, payload: r.payload, error: r.error, attempts: r.attempts, failedAt: r.failedAt.getTime() };
        if (r.code !== null) letter.code = r.code;
        return letter;
      });
    },

    async signInAttempt(key, policy, now) {
      // the row is locked from read to write: concurrent attempts on one key are counted one after another
      return db.transaction(async (tx) => {
        await tx.insert(limits).values({ key, attempts: 0, windowStart: new Date(now), lockouts: 0 }).onConflictDoNothing();
        const [row] = await tx.select().from(limits).where(eq(limits.key, key)).for('update');
        const current: SignInCount | undefined = row && {
          attempts: row.attempts, windowStart: row.windowStart.getTime(), lockouts: row.lockouts, blockedUntil: row.blockedUntil?.getTime() ?? null,
        };
        const { next, decision } = countAttempt(current, now, policy);
        await tx.update(limits).set({
          attempts: next.attempts, windowStart: new Date(next.windowStart), lockouts: next.lockouts,
          blockedUntil: next.blockedUntil === null ? null : new Date(next.blockedUntil),
        }).where(eq(limits.key, key));
        return decision;
      });
    },

    async signInReset(key) {
      await db.delete(limits).where(eq(limits.key, key));
    },

    async signInRefund(key) {
      await db.update(limits).set({ attempts: sql`greatest(${limits.attempts} - 1, 0)` }).where(eq(limits.key, key));
    },

    async signInUnlock(key) {
      const gone = await db.delete(limits).where(eq(limits.key, key)).returning({ key: limits.key });
      return gone.length > 0;
    },
  };
}

