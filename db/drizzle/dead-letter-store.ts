/** DeadLetterStore over drizzle. */
import { and, asc, eq, gt } from 'drizzle-orm';
import type { DeadLetterStore } from '../dead-letter-store.ts';
import type { DeadLetter, Lane } from '../dead-letters.ts';
import type { Db } from '../db-handle.ts';
import * as schema from '../schema.ts';

export function createDrizzleDeadLetterStore(db: Db): DeadLetterStore {
  return {
    async writeDeadLetters(letters) {
      if (letters.length === 0) return;
      await db.insert(schema.deadLetters).values(
        letters.map((l) => ({
          lane: l.lane,
          payload: l.payload,
          error: l.error,
          code: l.code ?? null,
          attempts: l.attempts,
          failedAt: new Date(l.failedAt),
        })),
      );
    },

    async deadLetters(filter = {}) {
      const d = schema.deadLetters;
      const where = [gt(d.id, filter.afterId ?? 0)];
      if (filter.lane !== undefined) where.push(eq(d.lane, filter.lane));
      const got = await db
        .select()
        .from(d)
        .where(and(...where))
        .orderBy(asc(d.id))
        .limit(filter.limit ?? 1000);
      return got.map((r): DeadLetter => {
        const letter: DeadLetter = { id: r.id, lane: r.lane as Lane, payload: r.payload, error: r.error, attempts: r.attempts, failedAt: r.failedAt.getTime() };
        if (r.code !== null) letter.code = r.code;
        return letter;
      });
    },
  };
}
