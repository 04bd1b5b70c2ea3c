/** CommitmentStore over drizzle: one row per (site, day), inserted once. */
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { CommitmentStore, SafetyCommitment } from '../commitment-store.ts';
import type { Db } from '../db-handle.ts';
import * as schema from '../schema.ts';

type Row = typeof schema.safetyCommitments.$inferSelect;

const fromRow = (row: Row): SafetyCommitment => ({
  site: row.site,
  day: row.day,
  signedBy: row.signedBy,
  signedAt: row.signedAt.getTime(),
  allNormal: row.allNormal,
  statement: row.statement,
  facts: row.facts,
});

export function createDrizzleCommitmentStore(db: Db): CommitmentStore {
  const table = schema.safetyCommitments;
  return {
    async signCommitment(c) {
      const rows = await db
        .insert(table)
        .values({ site: c.site, day: c.day, signedBy: c.signedBy, signedAt: new Date(c.signedAt), allNormal: c.allNormal, statement: c.statement, facts: c.facts })
        .onConflictDoNothing({ target: [table.site, table.day] })
        .returning();
      return rows[0] && fromRow(rows[0]);
    },

    async commitmentsOn(day, sites) {
      if (sites !== undefined && sites.length === 0) return [];
      const where = sites === undefined ? eq(table.day, day) : and(eq(table.day, day), inArray(table.site, [...sites]));
      return (await db.select().from(table).where(where).orderBy(asc(table.site))).map(fromRow);
    },

    async siteCommitments(site, limit) {
      return (await db.select().from(table).where(eq(table.site, site)).orderBy(desc(table.day)).limit(limit)).map(fromRow);
    },
  };
}
