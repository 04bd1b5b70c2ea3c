/**
 * The store's history, audit, outbox, evidence, hold and retention functions, over any
 * drizzle PostgreSQL database (PGlite, PostgreSQL, TimescaleDB).
 */
import { and, asc, desc, eq, gt, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { auditHash, GENESIS, type AuditEntry, type AuditRecord } from './audit.ts';
import { evidenceHash, evidenceRow, toEvidence } from './evidence.ts';
import type { Db } from './db-handle.ts';
import { retentionStatements, type RetentionTable } from './retention.ts';
import { rowToResult, rowToScore } from './rows.ts';
import * as schema from './schema.ts';
import type { SeriesIds } from './series-ids.ts';
import type { ChartBucket, EvidenceRecord, Hold, OutboxMessage, Store } from './store.ts';

type Extras = Omit<Store, 'backend' | 'timescale' | 'writeSamples' | 'writeResults' | 'writeScores' | 'writeAlerts' | 'latestResults' | 'clauseHistory' | 'latestScore' | 'scoreHistory' | 'openAlerts' | 'alertHistory' | 'series' | 'close'
  | 'writeDeadLetters' | 'deadLetters' | 'signInAttempt' | 'signInReset' | 'signInRefund' | 'signInUnlock'>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

function affected(result: unknown): number {
  const r = result as { rowCount?: number | null; affectedRows?: number };
  return Number(r.rowCount ?? r.affectedRows ?? 0);
}

function toRecord(r: typeof schema.auditLog.$inferSelect): AuditRecord {
  return {
    seq: r.seq, at: r.at.getTime(), actor: r.actor, action: r.action, subject: r.subject, site: r.site,
    details: r.details as Record<string, unknown>, prevHash: r.prevHash, hash: r.hash,
  };
}

/** Inserts the entry as the row after `prevHash` (the caller holds the audit lock). */
async function appendAfter(tx: Db, entry: AuditEntry, prevHash: string): Promise<AuditRecord> {
  const a = schema.auditLog;
  const content = {
    at: Math.round(entry.at ?? Date.now()), actor: entry.actor, action: entry.action, subject: entry.subject,
    site: entry.site ?? null, details: entry.details ?? {}, prevHash,
  };
  const hash = auditHash(content);
  const [row] = await tx.insert(a).values({ ...content, at: new Date(content.at), hash }).returning();
  return toRecord(row!);
}

/** The record as its next version, unless the latest version has the same content; retried when another writer took the number. */
async function appendEvidence(db: Db, record: EvidenceRecord): Promise<EvidenceRecord> {
  const e = schema.evidenceRecords;
  const hash = evidenceHash(record);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        const [latest] = await tx.select().from(e)
          .where(and(eq(e.site, record.site), eq(e.kind, record.kind), eq(e.subject, record.subject), eq(e.doneAt, new Date(record.doneAt))))
          .orderBy(desc(e.version)).limit(1);
        if (latest !== undefined && latest.hash === hash) return toEvidence(latest);
        const version = (latest?.version ?? 0) + 1;
        const [row] = await tx.insert(e).values(evidenceRow(record, version, hash)).returning();
        return toEvidence(row!);
      });
    } catch (error) {
      const code = (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
      if (code !== '23505' || attempt >= 5) throw error;
    }
  }
}

export function createStoreExtras(db: Db, seriesIds: SeriesIds, series: Store['series'], timescale: () => boolean): Extras {
  return {
    async chart(site, point, from, to, options = {}) {
      const span = to - from;
      if (span <= (options.rawMaxMs ?? 6 * HOUR)) return { resolution: 'raw', points: await series(site, point, from, to) };
      const resolution = span <= (options.minuteMaxMs ?? 7 * DAY) ? '1m' : '1h';
      const id = await seriesIds.find(site, point);
      if (id === undefined) return { resolution, buckets: [] };
      const width = resolution === '1m' ? sql.raw(`INTERVAL '1 minute'`) : sql.raw(`INTERVAL '1 hour'`);
      const f = new Date(from);
      const t = new Date(to);
      // Whole buckets whose start lies in [from, to]. TimescaleDB: the continuous aggregate
      // (real-time, so the newest buckets are included); elsewhere date_bin over raw rows.
      const query = timescale()
        ? sql`SELECT bucket AS ts, avg::float8 AS avg, min::float8 AS min, max::float8 AS max, n::int AS n
              FROM ${sql.raw(resolution === '1m' ? 'samples_1m' : 'samples_1h')}
              WHERE series_id = ${id} AND bucket >= date_bin(${width}, ${f}::timestamptz, TIMESTAMPTZ '2000-01-01') AND bucket <= ${t}
              ORDER BY bucket`
        : sql`SELECT date_bin(${width}, ts, TIMESTAMPTZ '2000-01-01') AS ts, avg(value_num) AS avg, min(value_num) AS min,
                     max(value_num) AS max, count(*)::int AS n
              FROM samples WHERE series_id = ${id} AND ts >= date_bin(${width}, ${f}::timestamptz, TIMESTAMPTZ '2000-01-01')
                AND ts < date_bin(${width}, ${t}::timestamptz, TIMESTAMPTZ '2000-01-01') + ${width}
              GROUP BY 1 ORDER BY 1`;
      const got = await rows<{ ts: Date | string; avg: number | null; min: number | null; max: number | null; n: number }>(db, query);
      const buckets: ChartBucket[] = got.map((r) => ({ ts: new Date(r.ts).getTime(), avg: r.avg, min: r.min, max: r.max, n: Number(r.n) }));
      return { resolution, buckets };
    },

    async stateAsOf(site, at) {
      // A skip scan over the primary key (site, clause, subject, since, verdict): one probe per
      // (clause, subject) instead of reading every change of the site.
      const found = await rows<typeof schema.clauseResults.$inferSelect & { since: Date | string }>(db, sql`
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
        ORDER BY r.clause, r.subject`);
      const results = found.map((r) => rowToResult({ ...r, since: new Date(r.since) }));
      const s = schema.siteScores;
      const score = (await db.select().from(s).where(and(eq(s.site, site), lte(s.ts, new Date(at)))).orderBy(desc(s.ts)).limit(1))[0];
      const standards = [...new Set(results.map((r) => r.standard))].sort();
      return { site, at, results, score: score === undefined ? undefined : rowToScore(score), standards };
    },

    async appendAudit(entry) {
      return db.transaction(async (tx) => {
        // One writer at a time, in every process: the chain never forks.
        await tx.execute(sql`LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE`);
        const a = schema.auditLog;
        const last = await tx.select({ hash: a.hash }).from(a).orderBy(desc(a.seq)).limit(1);
        return appendAfter(tx as unknown as Db, entry, last[0]?.hash ?? GENESIS);
      });
    },

    async appendAudits(entries) {
      if (entries.length === 0) return;
      await db.transaction(async (tx) => {
        await tx.execute(sql`LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE`);
        const a = schema.auditLog;
        const last = await tx.select({ hash: a.hash }).from(a).orderBy(desc(a.seq)).limit(1);
        const ids = entries.map((e) => e.details?.['entryId']).filter((id): id is string => typeof id === 'string');
        const since = Math.min(...entries.map((e) => e.at ?? Date.now()));
        const present = ids.length === 0 ? new Set<string>() : new Set((await rows<{ id: string }>(tx as unknown as Db, sql`
          SELECT details->>'entryId' AS id FROM audit_log WHERE at >= ${new Date(since)} AND details->>'entryId' IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`)).map((r) => r.id));
        let prev = last[0]?.hash ?? GENESIS;
        for (const entry of entries) {
          const id = entry.details?.['entryId'];
          if (typeof id === 'string' && present.has(id)) continue;
          prev = (await appendAfter(tx as unknown as Db, entry, prev)).hash;
        }
      });
    },

    async auditHead() {
      const a = schema.auditLog;
      const [row] = await db.select().from(a).orderBy(desc(a.seq)).limit(1);
      return row === undefined ? undefined : toRecord(row);
    },

    async auditRecords(afterSeq = 0, limit = 5000) {
      const a = schema.auditLog;
      return (await db.select().from(a).where(gt(a.seq, afterSeq)).orderBy(asc(a.seq)).limit(limit)).map(toRecord);
    },

    async claimOutbox(limit, leaseMs = 30_000) {
      const got = await rows<{ id: number | string; topic: string; key: string; payload: unknown; created_at: Date | string; attempts: number }>(db, sql`
        UPDATE outbox SET claimed_until = now() + ${`${Math.max(0, leaseMs)} milliseconds`}::interval, attempts = attempts + 1
        WHERE id IN (
          SELECT id FROM outbox WHERE delivered_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
          ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        RETURNING id, topic, key, payload, created_at, attempts`);
      return got
        .map((r): OutboxMessage => ({ id: Number(r.id), topic: r.topic, key: r.key, payload: r.payload, createdAt: new Date(r.created_at).getTime(), attempts: Number(r.attempts) }))
        .sort((x, y) => x.id - y.id);
    },

    async markDelivered(ids) {
      if (ids.length === 0) return;
      const o = schema.outbox;
      await db.update(o).set({ deliveredAt: sql`now()`, claimedUntil: null }).where(and(inArray(o.id, [...ids]), isNull(o.deliveredAt)));
    },

    async writeEvidence(records) {
      const stored: EvidenceRecord[] = [];
      for (const record of records) stored.push(await appendEvidence(db, record));
      return stored;
    },

    async evidence(site, filter = {}) {
      const e = schema.evidenceRecords;
      const where = [eq(e.site, site)];
      if (filter.kind !== undefined) where.push(eq(e.kind, filter.kind));
      if (filter.subject !== undefined) where.push(eq(e.subject, filter.subject));
      if (filter.asOf !== undefined) where.push(lte(e.doneAt, new Date(filter.asOf)));
      const latest = await db.selectDistinctOn([e.kind, e.subject, e.doneAt]).from(e).where(and(...where))
        .orderBy(asc(e.kind), asc(e.subject), asc(e.doneAt), desc(e.version));
      return latest.map(toEvidence).sort((x, y) => y.doneAt - x.doneAt || x.kind.localeCompare(y.kind) || x.subject.localeCompare(y.subject));
    },

    async evidenceVersions(site, kind, subject, doneAt) {
      const e = schema.evidenceRecords;
      const got = await db.select().from(e)
        .where(and(eq(e.site, site), eq(e.kind, kind), eq(e.subject, subject), eq(e.doneAt, new Date(doneAt))))
        .orderBy(asc(e.version));
      return got.map(toEvidence);
    },

    async addHold(hold) {
      const [row] = await db.insert(schema.holds).values({ site: hold.site, fromTs: new Date(hold.from), toTs: new Date(hold.to), reason: hold.reason }).returning();
      return { id: row!.id, site: row!.site, from: row!.fromTs.getTime(), to: row!.toTs.getTime(), reason: row!.reason };
    },

    async releaseHold(id) {
      await db.update(schema.holds).set({ releasedAt: sql`now()` }).where(and(eq(schema.holds.id, id), isNull(schema.holds.releasedAt)));
    },

    async holds(site) {
      const h = schema.holds;
      const got = await db.select().from(h).where(and(eq(h.site, site), isNull(h.releasedAt))).orderBy(asc(h.fromTs), asc(h.id));
      return got.map((r): Hold => ({ id: r.id, site: r.site, from: r.fromTs.getTime(), to: r.toTs.getTime(), reason: r.reason }));
    },

    async purge(policy, now) {
      const counts = {} as Record<RetentionTable, number>;
      const at = `'${new Date(now).toISOString()}'::timestamptz`;
      for (const s of retentionStatements(policy)) {
        counts[s.table] = affected(await db.execute(sql.raw(s.sql.replaceAll('$1', at))));
      }
      return counts;
    },
  };
}
