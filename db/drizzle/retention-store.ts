/** RetentionStore over drizzle: holds, and the purge statements of db/retention.ts. */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db-handle.ts';
import { DEFAULT_RETENTION, retentionStatements, type RetentionTable } from '../retention.ts';
import type { SamplesPartitions } from '../samples-partitions.ts';
import type { Hold, RetentionStore } from '../retention-store.ts';
import * as schema from '../schema.ts';
import { rowsAffected } from './sql-rows.ts';

const DAY = 86_400_000;

export function createDrizzleRetentionStore(db: Db, partitions: SamplesPartitions): RetentionStore {
  return {
    async addHold(hold) {
      const [row] = await db
        .insert(schema.holds)
        .values({ site: hold.site, fromTs: new Date(hold.from), toTs: new Date(hold.to), reason: hold.reason })
        .returning();
      return { id: row!.id, site: row!.site, from: row!.fromTs.getTime(), to: row!.toTs.getTime(), reason: row!.reason };
    },

    async releaseHold(id) {
      await db
        .update(schema.holds)
        .set({ releasedAt: sql`now()` })
        .where(and(eq(schema.holds.id, id), isNull(schema.holds.releasedAt)));
    },

    async holds(site) {
      const h = schema.holds;
      const got = await db
        .select()
        .from(h)
        .where(and(eq(h.site, site), isNull(h.releasedAt)))
        .orderBy(asc(h.fromTs), asc(h.id));
      return got.map((r): Hold => ({ id: r.id, site: r.site, from: r.fromTs.getTime(), to: r.toTs.getTime(), reason: r.reason }));
    },

    async keepSeries(site, points, days) {
      if (!Number.isInteger(days) || days <= 0) throw new RangeError(`keepSeries: days must be a positive whole number, got ${days}`);
      if (points.length === 0) return;
      await db.execute(sql`
        INSERT INTO series (site, point, keep_days)
        SELECT ${site}, p, ${days} FROM unnest(${sql.param([...points])}::text[]) AS u(p)
        ON CONFLICT (site, point) DO UPDATE SET keep_days = EXCLUDED.keep_days`);
    },

    async purge(policy, now) {
      const counts = {} as Record<RetentionTable, number>;
      const at = `'${new Date(now).toISOString()}'::timestamptz`;
      for (const s of retentionStatements(policy)) {
        counts[s.table] = rowsAffected(await db.execute(sql.raw(s.sql.replaceAll('$1', at))));
      }
      // the time partitions the purge emptied (what a hold or a longer-kept series still has stays)
      await partitions.dropEmptyBefore(now - { ...DEFAULT_RETENTION, ...policy }.samples * DAY);
      return counts;
    },
  };
}
