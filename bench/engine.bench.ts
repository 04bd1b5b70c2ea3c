// Samples per second through the engine: the demo depot under the demo standard, every sample
// hitting a clause (tank levels, gas, dike water), now and then crossing a threshold so verdicts,
// alerts and scores change too. Virtual time (no timers fire). Prints one JSON line.
import { VirtualTimeScheduler } from 'rxjs';
import { loadSite, type Sample } from '../model/index.ts';
import { loadStandard } from '../standards/index.ts';
import { createEngine } from '../engine/index.ts';

const SAMPLES = Number(process.env['BENCH_SAMPLES'] ?? 1_000_000);
const root = new URL('..', import.meta.url).pathname;
const site = await loadSite(`${root}sites/zhoushan-demo.yaml`);
const standard = await loadStandard(`${root}standards/oil-depot-above-ground/0.1.0.yaml`);

const read = site.points.filter((p) => ['level', 'gas', 'water_level'].includes(p.name) && p.asset !== 'FWP1');
const healthy = { level: 12, gas: 2, water_level: 0.05 } as Record<string, number>;
const alarming = { level: 25, gas: 40, water_level: 2 } as Record<string, number>;

// a pool of samples, reused: every 997th sample of a point alarms, the next one returns to normal
const POOL = 100_000;
const pool: Sample[] = [];
for (let i = 0; i < POOL; i++) {
  const point = read[i % read.length]!;
  const round = Math.floor(i / read.length);
  const value = round % 997 === 0 ? alarming[point.name]! : healthy[point.name]! + (round % 7) * 0.01;
  pool.push({ site: site.id, point: point.id, value, quality: 'good', ts: 1_700_000_000_000 + i });
}

const engine = createEngine({ sites: [site], standards: [standard], scheduler: new VirtualTimeScheduler() });
let events = 0;
const counted = engine.events$.subscribe(() => events++);

for (let i = 0; i < POOL; i++) engine.ingest(pool[i]!); // warm-up
events = 0;
process.stderr.write(`engine bench: ${SAMPLES} samples over ${read.length} points\n`);
const start = process.hrtime.bigint();
for (let i = 0; i < SAMPLES; i++) engine.ingest(pool[i % POOL]!);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const snapshot = engine.snapshot(site.id)!;
counted.unsubscribe();
engine.dispose();

console.log(
  JSON.stringify({
    bench: 'engine',
    samples: SAMPLES,
    seconds: Math.round(seconds * 1000) / 1000,
    samplesPerSecond: Math.round(SAMPLES / seconds),
    points: read.length,
    clauseSubjects: snapshot.results.length,
    events,
    node: process.version,
  }),
);
