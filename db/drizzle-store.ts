/** The Store over any drizzle PostgreSQL database: the same SQL serves PGlite and `pg`. */
import { and, asc, desc, eq, gte, inArray, lte, ne, sql } from 'drizzle-orm';
import type { Alert, ClauseResult, Sample, SiteScore } from '../model/index.ts';
import { alertToRow, resultToRow, rowToAlert, rowToResult, rowToScore, rowToValue, samplesToColumns, scoreToRow } from './rows.ts';
import * as schema from './schema.ts';
import { StoreError, type SeriesPoint, type Store } from './store.ts';
import { encodeSamplesBinary } from './copy-binary.ts';
import { createSeriesIds } from './series-ids.ts';
import { createStoreExtras } from './store-extras.ts';
import { createStoreGuards } from './store-guards.ts';

import type { Db } from './db-handle.ts';

export type { Db };

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

export interface DrizzleStoreOptions {
  /** the TimescaleDB layer is in place (db/timescale.ts) */
  timescale?: boolean;
  /** Binary COPY of `samples` rows (db/copy-binary.ts); rejects with code 23505 on a duplicate key. */
  copySamples?: (data: Uint8Array) => Promise<void>;
}

const UNIQUE_VIOLATION = '23505';

export function createDrizzleStore(db: Db, backend: Store['backend'], closeClient: () => Promise<void>, options: DrizzleStoreOptions = {}): Store {
  let closed = false;
  const seriesIds = createSeriesIds(db);
  const open = (): void => {
    if (closed) throw new StoreError('CLOSED', `the ${backend} store is closed`);
  };

  const store = {
    backend,
    timescale: options.timescale ?? false,

    async writeSamples(samples: readonly Sample[]) {
      open();
      if (samples.length === 0) return;
      const c = samplesToColumns(samples);
      const ids = await seriesIds.resolve(c.site, c.point);
      if (options.copySamples !== undefined) {
        // COPY straight into the table; a batch that repeats a stored reading (a retry after a
        // lost reply, a replayed spill file) fails whole and goes through the idempotent path.
        try {
          await options.copySamples(encodeSamplesBinary(ids, c));
          return;
        } catch (err) {
          if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
        }
      }
      // One statement per batch whatever its size: array parameters, no 65535 limit.
      await db.execute(sql`
        INSERT INTO samples (series_id, ts, value_num, value_bool, value_text, quality, reason)
        SELECT u.id, to_timestamp(u.ms / 1000.0), u.num, u.bool, u.text, u.quality, u.reason
        FROM unnest(
          ${sql.param(Array.from(ids))}::int[], ${sql.param(c.ts)}::float8[],
          ${sql.param(c.valueNum)}::float8[], ${sql.param(c.valueBool)}::bool[], ${sql.param(c.valueText)}::text[],
          ${sql.param(c.quality)}::text[], ${sql.param(c.reason)}::text[]
        ) AS u(id, ms, num, bool, text, quality, reason)
        ON CONFLICT DO NOTHING`);
    },

    async writeResults(results: readonly ClauseResult[]) {
      open();
      if (results.length === 0) return;
      const batches = chunks(results.map(resultToRow), ROWS_PER_INSERT);
      await db.transaction(async (tx) => {
        for (const rows of batches) await tx.insert(schema.clauseResults).values(rows).onConflictDoNothing();
      });
    },

    async writeScores(scores: readonly SiteScore[]) {
      open();
      if (scores.length === 0) return;
      const rows = lastPerKey(scores, (s) => `${s.site}\u0000${s.ts}`).map(scoreToRow);
      await db.transaction(async (tx) => {
        for (const batch of chunks(rows, ROWS_PER_INSERT)) {
          await tx.insert(schema.siteScores).values(batch).onConflictDoUpdate({
            target: [schema.siteScores.site, schema.siteScores.ts],
            set: {
              score: sql`excluded.score`, grade: sql`excluded.grade`, risk: sql`excluded.risk`,
              riskReason: sql`excluded.risk_reason`, complianceRisk: sql`excluded.compliance_risk`,
              counts: sql`excluded.counts`, coverage: sql`excluded.coverage`, standard: sql`excluded.standard`,
            },
          });
        }
      });
    },

    async writeAlerts(list: readonly Alert[]) {
      open();
      if (list.length === 0) return;
      await db.transaction(async (tx) => {
        for (const alert of list) {
          const row = alertToRow(alert);
          const { id: _id, raisedAt: _raisedAt, ...changes } = row;
          await tx.insert(schema.alerts).values(row).onConflictDoUpdate({ target: schema.alerts.id, set: changes });
          await tx.insert(schema.alertTransitions).values({
            alertId: alert.id, state: alert.state, at: new Date(alert.changedAt), data: alert,
          }).onConflictDoNothing();
          // for notify/: delivered at least once, recorded exactly once per transition
          await tx.insert(schema.outbox).values({
            topic: 'alert', key: `${alert.id}/${alert.state}/${alert.changedAt}`, payload: alert,
          }).onConflictDoNothing();
        }
      });
    },

    async latestResults(site: string) {
      open();
      const t = schema.clauseResults;
      const rows = await db
        .selectDistinctOn([t.clause, t.subject])
        .from(t)
        .where(eq(t.site, site))
        .orderBy(asc(t.clause), asc(t.subject), desc(t.since), desc(t.id));
      return rows.map(rowToResult);
    },

    async latestScore(site: string) {
      open();
      const t = schema.siteScores;
      const rows = await db.select().from(t).where(eq(t.site, site)).orderBy(desc(t.ts)).limit(1);
      return rows[0] === undefined ? undefined : rowToScore(rows[0]);
    },

    async scoreHistory(site: string, from: number, to: number) {
      open();
      const t = schema.siteScores;
      const rows = await db.select().from(t).where(and(eq(t.site, site), gte(t.ts, new Date(from)), lte(t.ts, new Date(to)))).orderBy(asc(t.ts));
      return rows.map(rowToScore);
    },

    async openAlerts(site: string) {
      open();
      const t = schema.alerts;
      const rows = await db.select().from(t)
        .where(and(eq(t.site, site), ne(t.state, 'cleared')))
        .orderBy(desc(t.raisedAt), asc(t.id));
      if (rows.length === 0) return [];
      // The latest transition holds the whole alert (lifecycle, incident, …), which a restart must restore.
      const tr = schema.alertTransitions;
      const latest = await db
        .selectDistinctOn([tr.alertId], { alertId: tr.alertId, data: tr.data })
        .from(tr)
        .where(inArray(tr.alertId, rows.map((r) => r.id)))
        .orderBy(asc(tr.alertId), desc(tr.at), desc(tr.id));
      const full = new Map(latest.map((l) => [l.alertId, l.data as Alert]));
      return rows.map((row) => full.get(row.id) ?? rowToAlert(row));
    },

    async clauseHistory(site: string, clause: string, subject: string) {
      open();
      const t = schema.clauseResults;
      const rows = await db
        .select()
        .from(t)
        .where(and(eq(t.site, site), eq(t.clause, clause), eq(t.subject, subject)))
        .orderBy(asc(t.since), asc(t.id));
      return rows.map(rowToResult);
    },
    async alertHistory(alertId: string) {
      open();
      const t = schema.alertTransitions;
      const rows = await db.select().from(t).where(eq(t.alertId, alertId)).orderBy(asc(t.at), asc(t.id));
      return rows.map((r) => ({ state: r.state as Alert['state'], at: r.at.getTime(), alert: r.data as Alert }));
    },

    async series(site: string, point: string, from: number, to: number): Promise<SeriesPoint[]> {
      open();
      const id = await seriesIds.find(site, point);
      if (id === undefined) return [];
      const t = schema.samples;
      const rows = await db
        .select({ ts: t.ts, num: t.valueNum, bool: t.valueBool, text: t.valueText, quality: t.quality, reason: t.reason })
        .from(t)
        .where(and(eq(t.seriesId, id), gte(t.ts, new Date(from)), lte(t.ts, new Date(to))))
        .orderBy(asc(t.ts));
      return rows.map((r) => {
        const p: SeriesPoint = { ts: r.ts.getTime(), value: rowToValue(r.num, r.bool, r.text), quality: r.quality as SeriesPoint['quality'] };
        if (r.reason !== null) p.reason = r.reason;
        return p;
      });
    },

    async close() {
      if (closed) return;
      closed = true;
      await closeClient();
    },
  } as Store;
  const extras = { ...createStoreExtras(db, seriesIds, (...args) => store.series(...args), () => store.timescale), ...createStoreGuards(db) };
  for (const [name, fn] of Object.entries(extras) as [keyof typeof extras, (...args: unknown[]) => Promise<unknown>][]) {
    (store as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      open();
      return fn(...args);
    };
  }
  return store;
}
