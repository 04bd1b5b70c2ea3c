/**
 * N sites × M points from one simulator process, read by one collector process as main reads a
 * site: createSiteSources (an OPC-UA PLC and a Modbus RTU per site) through a stale watchdog.
 * Each site has M/2 OPC-UA points (1 s publishing) and M/2 Modbus float32 registers (1 s poll);
 * every point moves every 1 s scan. Reported over RUN_MS once every point has arrived:
 * samples/s (in all, OPC-UA, Modbus), that every point of every site arrived during the run and
 * none turned bad, the collector's heap and RSS (and per 10,000 points), its CPU, and the
 * simulator process's CPU and RSS. Prints one JSON line on stdout; progress on stderr.
 */
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { format } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createSiteSources, createStaleWatchdog, onlinePointId, type Source, type StaleWatchdog } from '../collector/index.ts';
import type { Sample } from '../model/index.ts';
import { startSimProcess, type SimProcess } from '../sim/sim-process.ts';
import { createSyntheticSite } from '../sim/synthetic-site.ts';

for (const level of ['log', 'info', 'warn', 'debug'] as const) console[level] = (...args: unknown[]) => void process.stderr.write(`${format(...args)}\n`);

const SITES = Number(process.env.BENCH_SITES ?? 20);
const POINTS_PER_SITE = Number(process.env.BENCH_POINTS_PER_SITE ?? 2_000);
const SCAN_MS = 1000;
const RUN_MS = Number(process.env.BENCH_RUN_MS ?? 10_000);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
};
const mib = (bytes: number) => Number((bytes / 2 ** 20).toFixed(1));
const cpuCores = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage, ms: number) => Number(((b.user - a.user + b.system - a.system) / 1000 / ms).toFixed(2));

async function main() {
  const opcuaPoints = Math.floor(POINTS_PER_SITE / 2);
  const sites = Array.from({ length: SITES }, (_, i) => {
    const site = createSyntheticSite({ id: `site${String(i).padStart(2, '0')}`, opcuaPoints, modbusPoints: POINTS_PER_SITE - opcuaPoints });
    // a depot's pace: published and polled once a second, as the points move
    return { ...site, sources: site.sources.map((s) => (s.protocol === 'opcua' ? { ...s, publishingIntervalMs: SCAN_MS } : { ...s, pollIntervalMs: SCAN_MS })) };
  });
  const t0 = performance.now();
  const sim: SimProcess = await startSimProcess(sites, { tickMs: SCAN_MS, pkiDir: join(tmpdir(), 'ketwin-sim-pki') });
  process.stderr.write(`simulator pid ${sim.pid}: ${SITES} sites × ${POINTS_PER_SITE} points up in ${(performance.now() - t0).toFixed(0)} ms\n`);

  await settle();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  const sources: Source[] = [];
  const watchdogs: StaleWatchdog[] = [];
  // per site: point → samples during the run (good ones), and bad samples
  const good = new Map(sim.sites.map((s) => [s.id, new Map<string, number>()]));
  const firstSeen = new Map(sim.sites.map((s) => [s.id, new Set<string>()]));
  const bad: Sample[] = [];
  const byProtocol = { opcua: 0, modbus: 0, mqtt: 0, cap: 0 };
  const protocolOf = new Map(sim.sites.flatMap((s) => s.points.map((p) => [`${s.id}/${p.id}`, s.sources.find((src) => src.id === p.source)!.protocol])));
  let counting = false;
  try {
    for (const site of sim.sites) {
      const counts = good.get(site.id)!;
      const seen = firstSeen.get(site.id)!;
      const online = new Set(site.sources.map((s) => onlinePointId(s.id)));
      const sink = (sample: Sample) => {
        if (online.has(sample.point)) return;
        if (!counting) return void (sample.quality === 'good' && seen.add(sample.point));
        if (sample.quality !== 'good') return void bad.push(sample);
        counts.set(sample.point, (counts.get(sample.point) ?? 0) + 1);
        byProtocol[protocolOf.get(`${site.id}/${sample.point}`)!]++;
      };
      const watchdog = createStaleWatchdog({ site: site.id, points: site.points, sink });
      watchdogs.push(watchdog);
      for (const source of createSiteSources(site, undefined, { dataDir: join(tmpdir(), 'ketwin-bench-scale', site.id) })) {
        sources.push(source);
        await source.start(watchdog.sink);
      }
    }
    const total = SITES * POINTS_PER_SITE;
    const c0 = performance.now();
    const arrived = () => [...firstSeen.values()].reduce((n, s) => n + s.size, 0);
    while (arrived() < total) {
      if (performance.now() - c0 > 180_000) throw new Error(`only ${arrived()} of ${total} points arrived in 180 s`);
      await new Promise((r) => setTimeout(r, 1000));
      process.stderr.write(`${arrived()} of ${total} points have arrived good\n`);
    }
    const upMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 2 * SCAN_MS));

    const simCpu0 = await sim.cpuUsage();
    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    const m0 = performance.now();
    counting = true;
    await new Promise((r) => setTimeout(r, RUN_MS));
    counting = false;
    const ms = performance.now() - m0;
    const cpu1 = process.cpuUsage();
    const busy = performance.eventLoopUtilization(elu0).utilization;
    const simCpu1 = await sim.cpuUsage();
    const simRss = (await sim.memory()).rss;
    const load = loadavg()[0]!;
    await settle();
    const heapAfter = process.memoryUsage().heapUsed;
    const rssAfter = process.memoryUsage().rss;

    const perSite = sim.sites.map((site) => {
      const counts = good.get(site.id)!;
      return { site: site.id, points: site.points.length, arrived: site.points.filter((p) => (counts.get(p.id) ?? 0) > 0).length };
    });
    const arrivedInRun = perSite.reduce((n, s) => n + s.arrived, 0);
    const samples = byProtocol.opcua + byProtocol.modbus;
    const perSec = (n: number) => Math.round(n / (ms / 1000));
    const missing = perSite.filter((s) => s.arrived < s.points);
    return {
      bench: 'multi-site-scale',
      what: 'sites × points served by one simulator process (child), read by one collector process through createSiteSources and the stale watchdog',
      sites: SITES,
      pointsPerSite: POINTS_PER_SITE,
      points: total,
      opcuaPointsPerSite: opcuaPoints,
      modbusPointsPerSite: POINTS_PER_SITE - opcuaPoints,
      scanMs: SCAN_MS,
      samplesPerSec: perSec(samples),
      opcuaSamplesPerSec: perSec(byProtocol.opcua),
      modbusSamplesPerSec: perSec(byProtocol.modbus),
      /** points with at least one good sample during the run, of all points of all sites */
      pointsArrived: arrivedInRun,
      everyPointArrived: arrivedInRun === total,
      sitesMissingPoints: missing.map((s) => `${s.site}: ${s.points - s.arrived}`),
      badSamples: bad.length,
      badReasons: [...new Set(bad.map((s) => s.reason))].slice(0, 5),
      /** the last Modbus read's round trip, ms, the slowest site's */
      modbusWorstLastLatencyMs: Math.max(
        ...sources
          .map((s) => s.stats())
          .filter((s) => s.protocol === 'modbus')
          .map((s) => s.lastLatencyMs ?? 0),
      ),
      collectorHeapMiB: mib(heapAfter - heapBefore),
      collectorHeapMiBPer10kPoints: mib(((heapAfter - heapBefore) * 10_000) / total),
      collectorRssMiB: mib(rssAfter),
      collectorRssGrowthMiB: mib(rssAfter - rssBefore),
      collectorCpuCores: cpuCores(cpu0, cpu1, ms),
      collectorThreadBusy: Number(busy.toFixed(2)),
      simulatorCpuCores: cpuCores(simCpu0, simCpu1, ms),
      simulatorRssMiB: mib(simRss),
      startupMs: Math.round(upMs),
      runMs: Math.round(ms),
      machineCores: cpus().length,
      loadAverage1m: Number(load.toFixed(2)),
    };
  } finally {
    await Promise.all(sources.map((s) => s.stop()));
    for (const watchdog of watchdogs) watchdog.stop();
    await sim.stop();
  }
}

process.stdout.write(`${JSON.stringify(await main())}\n`);
