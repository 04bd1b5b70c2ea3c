/** TelemetryStore over drizzle: binary COPY in, raw readings and time buckets out. */
import { and, asc, desc, eq, gte, lte, sql } from 'drizzle-orm';
import type { Sample } from '../../model/index.ts';
import { encodeSamplesBinary } from '../copy-binary.ts';
import type { Db } from '../db-handle.ts';
import { rowToValue, samplesToColumns, type SampleColumns } from '../rows.ts';
import * as schema from '../schema.ts';
import { sqlState } from '../dead-letters.ts';
import type { SamplesPartitions } from '../samples-partitions.ts';
import type { SeriesIds } from '../series-ids.ts';
import type { ChartBucket, PointReading, SeriesPoint, TelemetryStore } from '../telemetry-store.ts';
import { sqlRows } from './sql-rows.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const UNIQUE_VIOLATION = '23505';
/** a reading whose time no partition of `samples` holds */
const NO_PARTITION_FOR_ROW = '23514';

export interface DrizzleTelemetryOptions {
  /** the TimescaleDB layer is in place: long spans read its continuous aggregates */
  timescale: boolean;
  /** Binary COPY of `samples` rows (db/copy-binary.ts); rejects with code 23505 on a duplicate key. */
  copySamples?: (data: Uint8Array) => Promise<void>;
  /** the time partitions of `samples` (plain PostgreSQL and PGlite) */
  partitions: SamplesPartitions;
}

type ReadingRow = { ts: Date; num: number | null; bool: boolean | null; text: string | null; quality: string; reason: string | null };

function seriesPoint(r: ReadingRow): SeriesPoint {
  const p: SeriesPoint = { ts: r.ts.getTime(), value: rowToValue(r.num, r.bool, r.text), quality: r.quality as SeriesPoint['quality'] };
  if (r.reason !== null) p.reason = r.reason;
  return p;
}

export function createDrizzleTelemetryStore(db: Db, seriesIds: SeriesIds, options: DrizzleTelemetryOptions): TelemetryStore {
  async function series(site: string, point: string, from: number, to: number): Promise<SeriesPoint[]> {
    const id = await seriesIds.find(site, point);
    if (id === undefined) return [];
    const t = schema.samples;
    const rows = await db
      .select({ ts: t.ts, num: t.valueNum, bool: t.valueBool, text: t.valueText, quality: t.quality, reason: t.reason })
      .from(t)
      .where(and(eq(t.seriesId, id), gte(t.ts, new Date(from)), lte(t.ts, new Date(to))))
      .orderBy(asc(t.ts));
    return rows.map(seriesPoint);
  }

  async function newestReadings(site: string, from: number, to: number): Promise<PointReading[]> {
    const s = schema.series;
    const t = schema.samples;
    // one probe of the key (series_id, ts) per point of the site, newest first: a DISTINCT ON over the
    // site's rows would read every reading of the span (a day of a 2,000-point site at 1 Hz: 170 M rows)
    const newest = db
      .select({ ts: t.ts, num: t.valueNum, bool: t.valueBool, text: t.valueText, quality: t.quality, reason: t.reason })
      .from(t)
      .where(and(eq(t.seriesId, s.id), gte(t.ts, new Date(from)), lte(t.ts, new Date(to))))
      .orderBy(desc(t.ts))
      .limit(1)
      .as('newest');
    const rows = await db
      .select({ point: s.point, ts: newest.ts, num: newest.num, bool: newest.bool, text: newest.text, quality: newest.quality, reason: newest.reason })
      .from(s)
      .innerJoinLateral(newest, sql`true`)
      .where(eq(s.site, site))
      .orderBy(asc(newest.ts), asc(s.point));
    return rows.map((r) => ({ point: r.point, ...seriesPoint(r) }));
  }

  async function write(ids: Int32Array, c: SampleColumns): Promise<void> {
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
  }

  return {
    async writeSamples(samples: readonly Sample[]) {
      if (samples.length === 0) return;
      const c = samplesToColumns(samples);
      const ids = await seriesIds.resolve(c.site, c.point);
      await options.partitions.ensure(c.ts);
      try {
        await write(ids, c);
      } catch (err) {
        // a partition this process knew was dropped by another (retention): learn them again, once
        if (sqlState(err) !== NO_PARTITION_FOR_ROW) throw err;
        options.partitions.forget();
        await options.partitions.ensure(c.ts);
        await write(ids, c);
      }
    },

    series,

    newestReadings,

    async chart(site, point, from, to, chartOptions = {}) {
      const span = to - from;
      if (span <= (chartOptions.rawMaxMs ?? 6 * HOUR)) return { resolution: 'raw', points: await series(site, point, from, to) };
      const resolution = span <= (chartOptions.minuteMaxMs ?? 7 * DAY) ? '1m' : '1h';
      const id = await seriesIds.find(site, point);
      if (id === undefined) return { resolution, buckets: [] };
      const width = resolution === '1m' ? sql.raw(`INTERVAL '1 minute'`) : sql.raw(`INTERVAL '1 hour'`);
      const f = new Date(from);
      const t = new Date(to);
      // Whole buckets whose start lies in [from, to]. TimescaleDB: the continuous aggregate
      // (real-time, so the newest buckets are included); elsewhere date_bin over raw rows.
      const query = options.timescale
        ? sql`SELECT bucket AS ts, avg::float8 AS avg, min::float8 AS min, max::float8 AS max, n::int AS n
              FROM ${sql.raw(resolution === '1m' ? 'samples_1m' : 'samples_1h')}
              WHERE series_id = ${id} AND bucket >= date_bin(${width}, ${f}::timestamptz, TIMESTAMPTZ '2000-01-01') AND bucket <= ${t}
              ORDER BY bucket`
        : sql`SELECT date_bin(${width}, ts, TIMESTAMPTZ '2000-01-01') AS ts, avg(value_num) AS avg, min(value_num) AS min,
                     max(value_num) AS max, count(*)::int AS n
              FROM samples WHERE series_id = ${id} AND ts >= date_bin(${width}, ${f}::timestamptz, TIMESTAMPTZ '2000-01-01')
                AND ts < date_bin(${width}, ${t}::timestamptz, TIMESTAMPTZ '2000-01-01') + ${width}
              GROUP BY 1 ORDER BY 1`;
      const got = await sqlRows<{ ts: Date | string; avg: number | null; min: number | null; max: number | null; n: number }>(db, query);
      const buckets: ChartBucket[] = got.map((r) => ({ ts: new Date(r.ts).getTime(), avg: r.avg, min: r.min, max: r.max, n: Number(r.n) }));
      return { resolution, buckets };
    },
  };
}
