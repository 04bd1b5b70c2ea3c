// The engine under the standard the demo runs (oil-depot-above-ground 1.1.0, the newest: its per-unit GB 18218 clauses
// and its stuck-gauge, lightning, shut-off valve and online-rate models on; BENCH_STANDARD=1.0.0 for the older one), three figures:
// 1. samples/s through the whole engine on one core: the demo depot, every sample hitting a
//    clause (tank levels, gas, dike water, fire water), now and then crossing a threshold so
//    verdicts, alerts, incidents and scores change too; on virtual time, the clock moving one
//    tick (1 ms) per BENCH_FRAME samples, so site-wide clauses and hazards run once per tick.
// 2. p99 sample→verdict latency at 200,000 samples/s, live on the real clock (asyncScheduler).
// 3. resident memory of 100 synthetic sites × ~2,000 points (the demo replicated), in a child process run through tsx;
//    memoryRssBeforeMiB is that process before the engine is built (node, tsx and the loaded code: part of memoryRssMiB).
// Prints one JSON line.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { asyncScheduler, VirtualTimeScheduler } from 'rxjs';
import { loadSite, type Sample, type Site } from '../model/index.ts';
import { loadStandard, type Standard } from '../standards/index.ts';
import { createEngine } from '../engine/index.ts';
import { QUIET_READINGS, syntheticSite } from './engine-bench-sites.ts';

const root = new URL('..', import.meta.url).pathname;
const site = await loadSite(`${root}sites/zhoushan-demo.yaml`);
const standardVersion = process.env['BENCH_STANDARD'] ?? '1.1.0';
const standard = await loadStandard(`${root}standards/oil-depot-above-ground/${standardVersion}.yaml`);
const T0 = 1_700_000_000_000;

if (process.env['BENCH_ENGINE_PART'] === 'memory') {
  // what the process holds before any engine is built: node, tsx's loader and the compiled code, the demo site and standard
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const figures = memory(site, standard);
  await new Promise((resolve) => setTimeout(resolve, 100)); // coalesced site-wide clauses run
  globalThis.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  console.log(JSON.stringify({ ...figures, rssMiB: Math.round(rss / 2 ** 20), heapMiB: Math.round(heapUsed / 2 ** 20), rssBeforeMiB: Math.round(rssBefore / 2 ** 20) }));
  process.exit(0);
}

const SAMPLES = Number(process.env['BENCH_SAMPLES'] ?? 2_000_000);
const FRAME = Number(process.env['BENCH_FRAME'] ?? 100);
const healthy: Record<string, number> = { level: 12, gas: 2, water_level: 0.05 };
const alarming: Record<string, number> = { level: 20.5, gas: 45, water_level: 2 };
const read = site.points.filter((p) => p.name in healthy);

/** a pool of samples, reused: every 997th round of a point alarms, the next one returns to normal */
function pool(size: number): Sample[] {
  const out: Sample[] = [];
  for (let i = 0; i < size; i++) {
    const point = read[i % read.length]!;
    const round = Math.floor(i / read.length);
    const base = point.asset === 'FWP1' ? 4.8 : healthy[point.name]!;
    const value = round % 997 === 0 && point.asset !== 'FWP1' ? alarming[point.name]! : base + (round % 7) * 0.01;
    out.push({ site: site.id, point: point.id, value, quality: 'good', ts: T0 + i });
  }
  return out;
}

// ── 1. throughput on virtual time ─────────────────────────────────────────────
const samples = pool(100_000);
const clock = new VirtualTimeScheduler();
clock.frame = T0;
const advance = (to: number) => {
  clock.maxFrames = to;
  clock.flush();
  clock.frame = to;
};
const engine = createEngine({ sites: [site], standards: [standard], scheduler: clock });
let events = 0;
let alerts = 0;
const counted = engine.events$.subscribe((e) => {
  events++;
  if (e.type === 'alert') alerts++;
});
let now = T0;
const feed = (count: number) => {
  for (let i = 0; i < count; i++) {
    const s = samples[i % samples.length]!;
    engine.ingest(s.ts === now ? s : { ...s, ts: now });
    if ((i + 1) % FRAME === 0) advance((now += 1));
  }
};
feed(samples.length); // warm-up
events = 0;
alerts = 0;
process.stderr.write(`engine bench: ${SAMPLES} samples over ${read.length} points, ${FRAME} per tick\n`);
// pre-stamped copies so the timed loop allocates nothing of its own
const stamped = samples.map((s) => ({ ...s }));
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
for (let i = 0; i < SAMPLES; i++) {
  const s = stamped[i % stamped.length]!;
  s.ts = now;
  engine.ingest(s);
  if ((i + 1) % FRAME === 0) advance((now += 1));
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
// CPU time of this process over the same loop: on a shared machine it tells the engine's cost apart from waiting for a core
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const snapshot = engine.snapshot(site.id)!;
counted.unsubscribe();
engine.dispose();
if (process.env['BENCH_ENGINE_PART'] === 'throughput') {
  // throughput alone, e.g. to profile it: node --cpu-prof --import tsx bench/engine.bench.ts
  console.log(
    JSON.stringify({
      bench: 'engine',
      samples: SAMPLES,
      seconds,
      samplesPerSecond: Math.round(SAMPLES / seconds),
      samplesPerCpuSecond: Math.round(SAMPLES / cpuSeconds),
      events,
      alertEmissions: alerts,
    }),
  );
  process.exit(0);
}

// ── 2. latency at 200,000 samples/s on the real clock ─────────────────────────
const latency = await measureLatency(200_000, 3);

// ── 3. memory in a fresh process ──────────────────────────────────────────────
process.stderr.write('engine bench: memory of 100 sites × ~2,000 points\n');
const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url)], {
  env: { ...process.env, BENCH_ENGINE_PART: 'memory' },
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
  timeout: 120_000,
});
const mem = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;

console.log(
  JSON.stringify({
    bench: 'engine',
    standard: standard.key,
    samples: SAMPLES,
    seconds: Math.round(seconds * 1000) / 1000,
    samplesPerSecond: Math.round(SAMPLES / seconds),
    samplesPerCpuSecond: Math.round(SAMPLES / cpuSeconds),
    samplesPerTick: FRAME,
    points: read.length,
    clauseSubjects: snapshot.results.length,
    events,
    alertEmissions: alerts,
    latencyRate: latency.rate,
    latencyP50Ms: latency.p50,
    latencyP99Ms: latency.p99,
    latencyMaxMs: latency.max,
    latencyVerdicts: latency.count,
    memorySites: mem['sites'],
    memoryPointsPerSite: mem['pointsPerSite'],
    memoryDemoCopiesPerSite: mem['demoCopies'],
    memoryClauseSubjects: mem['clauseSubjects'],
    memoryRssMiB: mem['rssMiB'],
    memoryHeapMiB: mem['heapMiB'],
    memoryRssBeforeMiB: mem['rssBeforeMiB'],
    cpu: cpus()[0]?.model,
    node: process.version,
  }),
);

/** Feeds `rate` samples/s for `secondsToRun` on the real clock; latency from a sample's ingest to the verdict it changed. */
async function measureLatency(rate: number, secondsToRun: number) {
  const live = createEngine({ sites: [site], standards: [standard], scheduler: asyncScheduler });
  const delayed = new Set(standard.clauses.filter((c) => c.delayOnMs > 0 || c.delayOffMs > 0).map((c) => c.id));
  const ingestedAt = new Map<string, number>();
  const latencies: number[] = [];
  const sub = live.results$.subscribe((r) => {
    if (delayed.has(r.clause)) return; // held back on purpose by the standard's delay-on/off
    let at = 0;
    for (const e of r.evidence) at = Math.max(at, ingestedAt.get(e.point) ?? 0);
    if (at > 0) latencies.push(performance.now() - at);
  });
  const source = pool(rate);
  const began = performance.now();
  let sent = 0;
  const total = rate * secondsToRun;
  process.stderr.write(`engine bench: latency at ${rate} samples/s for ${secondsToRun} s\n`);
  await new Promise<void>((resolve) => {
    const pump = () => {
      const due = Math.min(total, Math.floor(((performance.now() - began) / 1000) * rate));
      while (sent < due) {
        const s = source[sent % source.length]!;
        const t = performance.now();
        ingestedAt.set(s.point, t);
        live.ingest({ ...s, ts: Date.now() });
        sent++;
      }
      if (sent >= total) setTimeout(resolve, 20);
      else setImmediate(pump);
    };
    pump();
  });
  sub.unsubscribe();
  live.dispose();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN) * 1000) / 1000;
  return { rate, count: latencies.length, p50: q(0.5), p99: q(0.99), max: q(1) };
}

function memory(demo: Site, std: Standard) {
  const copies = Number(process.env['BENCH_COPIES'] ?? 10);
  // BENCH_SITES: fewer sites for a heap snapshot of the same twin (the figure is for 100)
  const sites = Array.from({ length: Number(process.env['BENCH_SITES'] ?? 100) }, (_, i) => syntheticSite(demo, `synthetic-${i}`, copies, 2000));
  // live, on the real clock: a virtual scheduler re-sorts its queue on every timer, which 100 sites' link watches, clause delays and static-clause expiries make slow
  const many = createEngine({ sites, standards: [std], scheduler: asyncScheduler });
  let clauseSubjects = 0;
  for (const s of sites) {
    for (const p of s.points) many.ingest({ site: s.id, point: p.id, value: QUIET_READINGS[p.name] ?? (p.unit === 'bool' ? false : 1), quality: 'good', ts: Date.now() });
    clauseSubjects += many.snapshot(s.id)!.results.length;
  }
  return { sites: sites.length, demoCopies: copies, pointsPerSite: sites[0]!.points.length, clauseSubjects };
}
