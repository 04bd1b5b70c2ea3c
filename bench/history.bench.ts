/**
 * History queries on PostgreSQL (a throw-away database on DATABASE_URL's server, default
 * the local test server): time to answer a 30-day chart of one point (1-hour buckets by
 * date_bin over raw rows) and a site's state as of a date.
 *
 * The full size, a year at 1 Hz for 200 points, is 6.3 billion readings: it cannot
 * be generated in a bench run. Scaled honestly instead (generated server-side):
 * - the charted point at 1 Hz for the 30 days the chart covers (2,592,000 rows: exactly what
 *   the full-size chart reads), plus 199 other points at 1/300 Hz over those 30 days, so
 *   the charted series is not alone in the table and its indexes;
 * - a year of verdict changes: 200 (clause, subject) pairs changing every 4 hours (438,000
 *   rows) and a score every 10 minutes (52,560 rows).
 * Prints one JSON line on stdout; progress on stderr.
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { openStore } from '../db/index.ts';
import { createSamplesPartitions } from '../db/samples-partitions.ts';
import { createPostgresTarget } from '../db/store-targets.ts';

const URL_ = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const YEAR_START = Date.UTC(2025, 0, 1);
const DAY = 86_400_000;
const CHART_FROM = YEAR_START + 300 * DAY;
const CHART_TO = CHART_FROM + 30 * DAY;
const log = (m: string): void => void process.stderr.write(`history: ${m}\n`);

const target = await createPostgresTarget(URL_);
try {
  const store = await target.open();
  await store.close();
  const admin = target.admin!;
  const [db] = await admin('SELECT current_database() AS d');
  const url = dbUrl(URL_, String(db!.d));
  const t0 = performance.now();
  log('generating data server-side');
  // the readings go in by SQL, past the store's writer: their time partitions are made as the writer makes them
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await createSamplesPartitions(drizzle(client)).ensure(Array.from({ length: 31 }, (_, d) => CHART_FROM + d * DAY));
  await client.end();
  await admin(`INSERT INTO series (site, point) SELECT 'zhoushan-demo', 'A' || i || '.value' FROM generate_series(0, 199) i`);
  await admin(`INSERT INTO samples (series_id, ts, value_num, quality)
    SELECT (SELECT id FROM series WHERE point = 'A0.value'), to_timestamp(${CHART_FROM / 1000} + s), 10 + sin(s / 600.0) * 5, 'good'
    FROM generate_series(0, ${30 * 86_400 - 1}) s`);
  await admin(`INSERT INTO samples (series_id, ts, value_num, quality)
    SELECT se.id, to_timestamp(${CHART_FROM / 1000} + m * 300), m % 100, 'good'
    FROM series se, generate_series(0, ${30 * 288 - 1}) m WHERE se.point <> 'A0.value'`);
  await admin(`INSERT INTO clause_results (site, clause, subject, verdict, since, evidence, thresholds, standard)
    SELECT 'zhoushan-demo', 'C' || (k % 20), 'S' || (k / 20), CASE WHEN (h + k) % 3 = 0 THEN 'fail' ELSE 'pass' END,
           to_timestamp(${YEAR_START / 1000} + h * 14400 + k), jsonb_build_array(jsonb_build_object('point', 'A' || k || '.value', 'value', h % 50, 'quality', 'good')),
           '{"hh": 17}'::jsonb, CASE WHEN h < 1000 THEN 'demo@1.0.0' ELSE 'demo@1.1.0' END
    FROM generate_series(0, 199) k, generate_series(0, ${365 * 6 - 1}) h`);
  await admin(`INSERT INTO site_scores (site, ts, score, grade, risk, counts, coverage, standard)
    SELECT 'zhoushan-demo', to_timestamp(${YEAR_START / 1000} + i * 600), 60 + i % 40, 'B', 'yellow',
           '{"pass": 150, "fail": 50, "unknown": 0, "not-applicable": 0}'::jsonb, 1, 'demo@1.1.0'
    FROM generate_series(0, ${365 * 144 - 1}) i`);
  await admin('VACUUM ANALYZE');
  const [size] = await admin(`SELECT (SELECT count(*) FROM samples)::int AS samples, (SELECT count(*) FROM clause_results)::int AS results,
    (SELECT count(*) FROM site_scores)::int AS scores, pg_database_size(current_database())::float8 AS bytes`);
  log(`generated in ${Math.round(performance.now() - t0)} ms: ${JSON.stringify(size)}`);

  const reopened = await openStore({ url });
  try {
    const time = async <T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> => {
      await f(); // warm (plans, cache); then best of three
      let best = Infinity;
      let value!: T;
      for (let i = 0; i < 3; i++) {
        const s = performance.now();
        value = await f();
        best = Math.min(best, performance.now() - s);
      }
      return { ms: Math.round(best * 10) / 10, value };
    };
    const chart = await time(() => reopened.chart('zhoushan-demo', 'A0.value', CHART_FROM, CHART_TO));
    if (chart.value.resolution !== '1h' || chart.value.buckets.length !== 30 * 24) throw new Error(`unexpected chart: ${chart.value.resolution}`);
    const asOf = await time(() => reopened.stateAsOf('zhoushan-demo', YEAR_START + 200 * DAY + 12_345_000));
    if (asOf.value.results.length !== 200 || asOf.value.score === undefined) throw new Error(`unexpected state: ${asOf.value.results.length} results`);
    console.log(
      JSON.stringify({
        bench: 'history',
        backend: 'postgres',
        chart30dMs: chart.ms,
        chartBuckets: chart.value.resolution === '1h' ? chart.value.buckets.length : 0,
        chartRowsRead: 30 * 86_400,
        stateAsOfMs: asOf.ms,
        stateResults: asOf.value.results.length,
        data: { samples: size!.samples, clauseResults: size!.results, siteScores: size!.scores, databaseMB: Math.round(Number(size!.bytes) / 1e6) },
        scaledFrom: 'year x 1 Hz x 200 points (6.3e9 samples)',
      }),
    );
  } finally {
    await reopened.close();
  }
} finally {
  await target.dispose();
}

function dbUrl(base: string, name: string): string {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}
