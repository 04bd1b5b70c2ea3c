import { systemClock } from '../model/index.ts';

/**
 * Retention, per table, in days. A series a rule asks to keep longer (series.keep_days, set through
 * RetentionStore.keepSeries: a lightning detector's feed, ≥ 3 years) keeps its readings that long
 * (never shorter than the samples policy). What an open hold covers (site + time range, table
 * `holds`) is never purged, and the last verdict of each (clause, subject) and the last
 * score of each site before the cutoff are kept, so the state as of any later instant is
 * still answered. On plain PostgreSQL and PGlite, main.ts runs `runRetention` on an interval;
 * on TimescaleDB the same statements run as a TimescaleDB job (db/timescale.ts).
 */

export interface RetentionPolicy {
  /** raw readings */
  samples?: number;
  /** verdict changes */
  clauseResults?: number;
  siteScores?: number;
  alertTransitions?: number;
  /** outbox rows already delivered */
  outboxDelivered?: number;
}

/** Raw readings a year; verdicts, scores and alarms ten years; delivered outbox rows 30 days. */
export const DEFAULT_RETENTION: Required<RetentionPolicy> = {
  samples: 365,
  clauseResults: 3650,
  siteScores: 3650,
  alertTransitions: 3650,
  outboxDelivered: 30,
};

export type RetentionTable = keyof RetentionPolicy;

const HELD = (site: string, time: string): string => `EXISTS (SELECT 1 FROM holds h WHERE h.released_at IS NULL AND h.site = ${site} AND ${time} BETWEEN h.from_ts AND h.to_ts)`;

/** One DELETE per table; `$1` is the current instant. */
export function retentionStatements(policy: RetentionPolicy = DEFAULT_RETENTION): { table: RetentionTable; sql: string }[] {
  const p = { ...DEFAULT_RETENTION, ...policy };
  const days = (n: number): string => {
    if (!Number.isFinite(n) || n <= 0) throw new RangeError(`retention days must be a positive number, got ${n}`);
    return `($1::timestamptz - INTERVAL '${Number(n)} days')`;
  };
  return [
    {
      table: 'samples',
      // a series kept longer by a rule (series.keep_days, RetentionStore.keepSeries) keeps its readings that long
      sql: `DELETE FROM samples s WHERE s.ts < ${days(p.samples)}
        AND NOT EXISTS (SELECT 1 FROM series k WHERE k.id = s.series_id AND k.keep_days IS NOT NULL
          AND s.ts >= $1::timestamptz - k.keep_days * INTERVAL '1 day')
        AND NOT EXISTS (SELECT 1 FROM holds h JOIN series se ON se.site = h.site
          WHERE se.id = s.series_id AND h.released_at IS NULL AND s.ts BETWEEN h.from_ts AND h.to_ts)`,
    },
    {
      table: 'clauseResults',
      sql: `DELETE FROM clause_results c WHERE c.since < ${days(p.clauseResults)}
        AND EXISTS (SELECT 1 FROM clause_results n WHERE n.site = c.site AND n.clause = c.clause AND n.subject = c.subject
          AND n.since > c.since AND n.since <= ${days(p.clauseResults)})
        AND NOT ${HELD('c.site', 'c.since')}`,
    },
    {
      table: 'siteScores',
      sql: `DELETE FROM site_scores c WHERE c.ts < ${days(p.siteScores)}
        AND EXISTS (SELECT 1 FROM site_scores n WHERE n.site = c.site AND n.ts > c.ts AND n.ts <= ${days(p.siteScores)})
        AND NOT ${HELD('c.site', 'c.ts')}`,
    },
    {
      table: 'alertTransitions',
      sql: `DELETE FROM alert_transitions t WHERE t.at < ${days(p.alertTransitions)}
        AND NOT ${HELD("t.data->>'site'", 't.at')}`,
    },
    {
      table: 'outboxDelivered',
      sql: `DELETE FROM outbox o WHERE o.delivered_at IS NOT NULL AND o.delivered_at < ${days(p.outboxDelivered)}`,
    },
  ];
}

/** Purges what the policy no longer keeps; returns the rows deleted per table. */
export function runRetention(
  store: { purge(policy: RetentionPolicy, now: number): Promise<Record<RetentionTable, number>> },
  policy: RetentionPolicy = DEFAULT_RETENTION,
  now: number = systemClock.now(),
): Promise<Record<RetentionTable, number>> {
  return store.purge(policy, now);
}
