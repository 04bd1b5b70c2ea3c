/** VerdictStore over drizzle: verdict changes appended, scores upserted, the state at any instant. */
import { and, asc, desc, eq, gte, lte, sql } from 'drizzle-orm';
import type { ClauseResult, SiteScore } from '../../model/index.ts';
import type { Db } from '../db-handle.ts';
import { resultToRow, rowToResult, rowToScore, scoreToRow } from '../rows.ts';
import * as schema from '../schema.ts';
import type { VerdictStore } from '../verdict-store.ts';
import { sqlRows } from './sql-rows.ts';

/** Rows per INSERT of results and scores; keeps well under PostgreSQL's 65535 parameters. */
const ROWS_PER_INSERT = 4000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Within one INSERT … ON CONFLICT DO UPDATE a key may appear only once: keep the last. */
function lastPerKey<T>(items: readonly T[], key: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    byKey.delete(k);
    byKey.set(k, item);
  }
  return [...byKey.values()];
}

export function createDrizzleVerdictStore(db: Db): VerdictStore {
  return {
    async writeResults(results: readonly ClauseResult[]) {
      if (results.length === 0) return;
      const batches = chunks(results.map(resultToRow), ROWS_PER_INSERT);
      await db.transaction(async (tx) => {
        for (const rows of batches) await tx.insert(schema.clauseResults).values(rows).onConflictDoNothing();
      });
    },

    async writeScores(scores: readonly SiteScore[]) {
      if (scores.length === 0) return;
      const rows = lastPerKey(scores, (s) => `${s.site}\u0000${s.ts}`).map(scoreToRow);
      await db.transaction(async (tx) => {
        for (const batch of chunks(rows, ROWS_PER_INSERT)) {
          await tx
            .insert(schema.siteScores)
            .values(batch)
            .onConflictDoUpdate({
              target: [schema.siteScores.site, schema.siteScores.ts],
              set: {
                score: sql`excluded.score`,
                grade: sql`excluded.grade`,
                risk: sql`excluded.risk`,
                riskReason: sql`excluded.risk_reason`,
                complianceRisk: sql`excluded.compliance_risk`,
                counts: sql`excluded.counts`,
                coverage: sql`excluded.coverage`,
                standard: sql`excluded.standard`,
              },
            });
        }
      });
    },

    async latestResults(site: string) {
      const t = schema.clauseResults;
      const rows = await db.selectDistinctOn([t.clause, t.subject]).from(t).where(eq(t.site, site)).orderBy(asc(t.clause), asc(t.subject), desc(t.since), desc(t.id));
      return rows.map(rowToResult);
    },

    async clauseHistory(site: string, clause: string, subject: string) {
      const t = schema.clauseResults;
      const rows = await db
        .select()
        .from(t)
        .where(and(eq(t.site, site), eq(t.clause, clause), eq(t.subject, subject)))
        .orderBy(asc(t.since), asc(t.id));
      return rows.map(rowToResult);
    },

    async latestScore(site: string) {
      const t = schema.siteScores;
      const rows = await db.select().from(t).where(eq(t.site, site)).orderBy(desc(t.ts)).limit(1);
      return rows[0] === undefined ? undefined : rowToScore(rows[0]);
    },

    async scoreHistory(site: string, from: number, to: number) {
      const t = schema.siteScores;
      const rows = await db
        .select()
        .from(t)
        .where(and(eq(t.site, site), gte(t.ts, new Date(from)), lte(t.ts, new Date(to))))
        .orderBy(asc(t.ts));
      return rows.map(rowToScore);
    },

    async stateAsOf(site, at) {
      // A skip scan over the primary key (site, clause, subject, since, verdict): one probe per
      // (clause, subject) instead of reading every change of the site.
      const found = await sqlRows<typeof schema.clauseResults.$inferSelect & { since: Date | string }>(
        db,
        sql`
        WITH RECURSIVE k AS (
          (SELECT clause, subject FROM clause_results WHERE site = ${site} ORDER BY clause, subject LIMIT 1)
          UNION ALL
          SELECT n.clause, n.subject FROM k CROSS JOIN LATERAL (
            SELECT clause, subject FROM clause_results
            WHERE site = ${site} AND (clause, subject) > (k.clause, k.subject) ORDER BY clause, subject LIMIT 1) n
        )
        SELECT r.id, r.site, r.clause, r.subject, r.verdict, r.since, r.evidence, r.thresholds, r.standard
        FROM k CROSS JOIN LATERAL (
          SELECT * FROM clause_results c
          WHERE c.site = ${site} AND c.clause = k.clause AND c.subject = k.subject AND c.since <= ${new Date(at)}
          ORDER BY c.since DESC, c.id DESC LIMIT 1) r
        ORDER BY r.clause, r.subject`,
      );
      const results = found.map((r) => rowToResult({ ...r, since: new Date(r.since) }));
      const s = schema.siteScores;
      const score = (
        await db
          .select()
          .from(s)
          .where(and(eq(s.site, site), lte(s.ts, new Date(at))))
          .orderBy(desc(s.ts))
          .limit(1)
      )[0];
      const standards = [...new Set(results.map((r) => r.standard))].sort();
      return { site, at, results, score: score === undefined ? undefined : rowToScore(score), standards };
    },
  };
}
