/**
 * Telemetry ingest: rows/s through TelemetryStore.writeSamples into embedded PGlite (temp dir) and into
 * PostgreSQL (a throw-away database on DATABASE_URL's server, default the local test server).
 * Prints one JSON line on stdout; progress on stderr.
 *   npx tsx bench/ingest.bench.ts [--rows 200000] [--batch 5000]
 */
import { parseArgs } from 'node:util';
import type { Sample } from '../model/index.ts';
import { createPgliteTarget, createPostgresTarget, type StoreTarget } from '../db/store-targets.ts';

const { values: args } = parseArgs({
  options: { rows: { type: 'string', default: '200000' }, batch: { type: 'string', default: '5000' } },
});
const ROWS = Number(args.rows);
const BATCH = Number(args.batch);
const POINTS = 200;
const T0 = Date.UTC(2025, 0, 1);

/** Demo-like readings: 200 points at 1 Hz, mostly analogue, some digital and one text point. */
function makeBatches(): Sample[][] {
  const batches: Sample[][] = [];
  for (let start = 0; start < ROWS; start += BATCH) {
    const batch: Sample[] = [];
    for (let i = start; i < Math.min(ROWS, start + BATCH); i++) {
      const p = i % POINTS;
      const ts = T0 + Math.floor(i / POINTS) * 1000;
      const value = p % 20 === 0 ? (i & 1) === 0 : p === 199 ? 'AUTO' : 10 + Math.sin(i / 1000) * 5 + p / 100;
      batch.push({ site: 'zhoushan-demo', point: `A${p}.value`, ts, value, quality: p === 7 ? 'uncertain' : 'good' });
    }
    batches.push(batch);
  }
  return batches;
}

async function measure(target: StoreTarget, batches: Sample[][]): Promise<number> {
  const store = await target.open();
  try {
    await store.writeSamples(batches[0]!.slice(0, 10).map((s) => ({ ...s, site: 'warm-up' })));
    const started = performance.now();
    for (const [i, batch] of batches.entries()) {
      await store.writeSamples(batch);
      if (i % 10 === 9) process.stderr.write(`${target.name}: ${(i + 1) * BATCH} rows\n`);
    }
    const seconds = (performance.now() - started) / 1000;
    const stored = await store.series('zhoushan-demo', 'A1.value', 0, Date.UTC(9999, 0, 1));
    if (stored.length !== Math.ceil(ROWS / POINTS)) throw new Error(`${target.name}: expected ${Math.ceil(ROWS / POINTS)} rows of A1.value, found ${stored.length}`);
    return Math.round(ROWS / seconds);
  } finally {
    await store.close();
    await target.dispose();
  }
}

const batches = makeBatches();
process.stderr.write(`ingest: ${ROWS} samples in batches of ${BATCH}\n`);
const pgliteRowsPerSecond = await measure(await createPgliteTarget(), batches);
const postgresRowsPerSecond = await measure(await createPostgresTarget(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'), batches);
console.log(JSON.stringify({ bench: 'ingest', rows: ROWS, batch: BATCH, pgliteRowsPerSecond, postgresRowsPerSecond }));
