/**
 * The TimescaleDB layer over the plain schema, applied after the migrations when the
 * `timescaledb` extension is installed (or available to install). Idempotent: it runs at
 * every start. Without the extension nothing happens: the tables stay plain, with the BRIN
 * index on time from the migrations, and retention is db/retention.ts run on an interval.
 *
 * - hypertables: samples (ts), clause_results (since), site_scores (ts), alert_transitions (at)
 * - compression after 7 days, segmented by series / site / alert
 * - continuous aggregates samples_1m and samples_1h (avg, min, max, count of value_num),
 *   refreshed by policy; native retention on the aggregates
 * - raw retention: a TimescaleDB job (`ketwin_retention`) running the same hold-aware
 *   statements as runRetention, so data under an open hold is never dropped with its chunk
 */
import { retentionStatements, type RetentionPolicy } from './retention.ts';

export type Query = (sql: string) => Promise<{ rows: Record<string, unknown>[] }>;

export interface TimescaleOptions {
  /** Raw data retention run by the TimescaleDB job; default DEFAULT_RETENTION. */
  retention?: RetentionPolicy;
  /** Days kept of the 1-minute and 1-hour aggregates; default 90 and 3650. */
  aggregateDays?: { '1m': number; '1h': number };
  /** width of a chunk of `samples`, ms, when the hypertable is made; default a day */
  samplesChunkMs?: number;
}

const HYPERTABLES = [
  { table: 'samples', time: 'ts', chunk: '1 day', segmentBy: 'series_id' },
  { table: 'clause_results', time: 'since', chunk: '30 days', segmentBy: 'site' },
  { table: 'site_scores', time: 'ts', chunk: '30 days', segmentBy: 'site' },
  { table: 'alert_transitions', time: 'at', chunk: '30 days', segmentBy: 'alert_id' },
] as const;

const AGGREGATES = [
  { view: 'samples_1m', bucket: '1 minute', startOffset: '2 days', endOffset: '1 minute', schedule: '1 minute' },
  { view: 'samples_1h', bucket: '1 hour', startOffset: '7 days', endOffset: '1 hour', schedule: '30 minutes' },
] as const;

/** True when the extension is (now) installed in the database. */
export async function detectTimescale(query: Query): Promise<boolean> {
  const installed = await query(`SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`);
  if (installed.rows.length > 0) return true;
  const available = await query(`SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'`);
  if (available.rows.length === 0) return false;
  await query('CREATE EXTENSION IF NOT EXISTS timescaledb');
  return true;
}

export async function applyTimescale(query: Query, options: TimescaleOptions = {}): Promise<void> {
  const aggregateDays = options.aggregateDays ?? { '1m': 90, '1h': 3650 };
  for (const h of HYPERTABLES) {
    const chunk = h.table === 'samples' && options.samplesChunkMs !== undefined ? `${Math.round(options.samplesChunkMs)} milliseconds` : h.chunk;
    await query(`SELECT create_hypertable('${h.table}', by_range('${h.time}', INTERVAL '${chunk}'), if_not_exists => TRUE, migrate_data => TRUE)`);
    await query(`ALTER TABLE ${h.table} SET (timescaledb.compress, timescaledb.compress_segmentby = '${h.segmentBy}', timescaledb.compress_orderby = '${h.time}')`);
    await query(`SELECT add_compression_policy('${h.table}', INTERVAL '7 days', if_not_exists => TRUE)`);
  }
  for (const a of AGGREGATES) {
    await query(`CREATE MATERIALIZED VIEW IF NOT EXISTS ${a.view} WITH (timescaledb.continuous) AS
      SELECT series_id, time_bucket(INTERVAL '${a.bucket}', ts) AS bucket,
             avg(value_num) AS avg, min(value_num) AS min, max(value_num) AS max, count(*) AS n
      FROM samples GROUP BY series_id, bucket WITH NO DATA`);
    // real-time: queries see the newest buckets too, not only what the policy materialised
    await query(`ALTER MATERIALIZED VIEW ${a.view} SET (timescaledb.materialized_only = false)`);
    await query(`SELECT add_continuous_aggregate_policy('${a.view}', start_offset => INTERVAL '${a.startOffset}',
      end_offset => INTERVAL '${a.endOffset}', schedule_interval => INTERVAL '${a.schedule}', if_not_exists => TRUE)`);
    const days = a.view === 'samples_1m' ? aggregateDays['1m'] : aggregateDays['1h'];
    await query(`SELECT add_retention_policy('${a.view}', INTERVAL '${days} days', if_not_exists => TRUE)`);
  }
  // Raw retention as a scheduled job that honours holds. The policy travels as the job's config.
  await query(`CREATE OR REPLACE PROCEDURE ketwin_retention(job_id int, config jsonb) LANGUAGE plpgsql AS $$
    DECLARE stmt text;
    BEGIN
      FOR stmt IN SELECT jsonb_array_elements_text(config->'statements') LOOP
        EXECUTE stmt USING now();
      END LOOP;
    END $$`);
  const config = JSON.stringify({ statements: retentionStatements(options.retention).map((s) => s.sql) }).replace(/'/g, "''");
  const existing = await query(`SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = 'ketwin_retention'`);
  if (existing.rows.length === 0) await query(`SELECT add_job('ketwin_retention', INTERVAL '1 hour', config => '${config}'::jsonb)`);
  else await query(`SELECT alter_job(${Number(existing.rows[0]!.job_id)}, config => '${config}'::jsonb)`);
}
