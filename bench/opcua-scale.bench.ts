/**
 * The OPC-UA collector's capacity, past what one simulated server can publish: several depot
 * simulators, each in a child process of its own (their CPU is not ours), every point moving
 * every 100 ms scan, all read by the collector in this one process (one OpcuaSource, session and
 * its subscriptions per server). Measured here, over RUN_MS once every point has arrived:
 * - notifications/s the collector turned into Samples (counted in the sink), in all and per server;
 * - this process's CPU (process.cpuUsage, in cores) and its main thread's busy share;
 * - each server process's CPU, so a short figure can be told apart from a saturated server.
 * Prints one JSON line on stdout; progress on stderr. The machine's load average is in the line:
 * on a shared 2-core box the servers and the collector fight for the same cores.
 */
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { format } from 'node:util';
import { createOpcuaSource, type Source } from '../collector/index.ts';
import type { OpcuaSource } from '../model/index.ts';
import { startSimProcess, type SimProcess } from '../sim/sim-process.ts';
import { createSyntheticSite } from '../sim/synthetic-site.ts';

for (const level of ['log', 'info', 'warn', 'debug'] as const) console[level] = (...args: unknown[]) => void process.stderr.write(`${format(...args)}\n`);

const SERVERS = Number(process.env.BENCH_OPCUA_SERVERS ?? 3);
const POINTS_PER_SERVER = Number(process.env.BENCH_OPCUA_POINTS_PER_SERVER ?? 6_000);
const SCAN_MS = 100;
const RUN_MS = Number(process.env.BENCH_RUN_MS ?? 8_000);
const TARGET_PER_SEC = 50_000;

const cores = (usage: NodeJS.CpuUsage, ms: number) => Number(((usage.user + usage.system) / 1000 / ms).toFixed(2));
const delta = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage): NodeJS.CpuUsage => ({ user: b.user - a.user, system: b.system - a.system });

async function main() {
  const pkiDir = join(tmpdir(), 'ketwin-sim-pki');
  const servers: SimProcess[] = [];
  const sources: Source[] = [];
  try {
    for (let i = 0; i < SERVERS; i++) {
      const site = createSyntheticSite({ id: `plant${i}`, opcuaPoints: POINTS_PER_SERVER });
      servers.push(await startSimProcess([site], { tickMs: SCAN_MS, pkiDir }));
      process.stderr.write(`server ${i} (pid ${servers[i]!.pid}): ${POINTS_PER_SERVER} points at ${servers[i]!.sites[0]!.sources[0]!.endpoint}\n`);
    }
    const sites = servers.map((s) => s.sites[0]!);
    const received = new Map(sites.map((s) => [s.id, 0]));
    const seen = new Map(sites.map((s) => [s.id, new Set<string>()]));
    let counting = false;
    const t0 = performance.now();
    for (const site of sites) {
      const source = { ...(site.sources[0] as OpcuaSource), publishingIntervalMs: SCAN_MS, maxItemsPerSubscription: 1000 };
      const opcua = createOpcuaSource({ site: site.id, source, points: site.points });
      sources.push(opcua);
      const seenHere = seen.get(site.id)!;
      await opcua.start((sample) => {
        if (counting) received.set(sample.site, received.get(sample.site)! + 1);
        else if (seenHere.size <= POINTS_PER_SERVER) seenHere.add(sample.point);
      });
    }
    const everyPoint = () => [...seen.values()].every((s) => s.size >= POINTS_PER_SERVER + 1); // and <source>.online
    while (!everyPoint()) {
      if (performance.now() - t0 > 120_000) throw new Error(`not every point arrived in 120 s: ${[...seen.values()].map((s) => s.size).join(', ')}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const subscribedMs = performance.now() - t0;
    process.stderr.write(`all ${SERVERS * POINTS_PER_SERVER} points subscribed in ${subscribedMs.toFixed(0)} ms; measuring ${RUN_MS} ms\n`);
    await new Promise((r) => setTimeout(r, 1000));

    const serverCpu0 = await Promise.all(servers.map((s) => s.cpuUsage()));
    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    const m0 = performance.now();
    counting = true;
    await new Promise((r) => setTimeout(r, RUN_MS));
    counting = false;
    const ms = performance.now() - m0;
    const cpu = delta(cpu0, process.cpuUsage());
    const busy = performance.eventLoopUtilization(elu0).utilization;
    const serverCpu = (await Promise.all(servers.map((s) => s.cpuUsage()))).map((u, i) => delta(serverCpu0[i]!, u));
    const load = loadavg()[0]!;
    const rss = process.memoryUsage().rss;

    const total = [...received.values()].reduce((a, b) => a + b, 0);
    const perSec = Math.round(total / (ms / 1000));
    return {
      bench: 'opcua-scale',
      what: 'notifications/s turned into Samples by one collector process reading several simulated OPC-UA servers, each server in its own child process',
      servers: SERVERS,
      pointsPerServer: POINTS_PER_SERVER,
      scanMs: SCAN_MS,
      publishingIntervalMs: SCAN_MS,
      offeredPerSec: (SERVERS * POINTS_PER_SERVER * 1000) / SCAN_MS,
      notificationsPerSec: perSec,
      targetPerSec: TARGET_PER_SEC,
      meetsTarget: perSec >= TARGET_PER_SEC,
      perServer: sites.map((site, i) => ({
        site: site.id,
        notificationsPerSec: Math.round(received.get(site.id)! / (ms / 1000)),
        /** the server process's CPU in cores; near 1 means that server, not the collector, set its figure */
        serverCpuCores: cores(serverCpu[i]!, ms),
      })),
      /** this process's CPU (all its threads: JS, GC, libuv) in cores over the run */
      collectorCpuCores: cores(cpu, ms),
      /** share of the collector's main thread that was busy */
      collectorThreadBusy: Number(busy.toFixed(2)),
      /** microseconds of collector CPU per notification */
      collectorCpuMicrosPerNotification: Number(((cpu.user + cpu.system) / Math.max(total, 1)).toFixed(2)),
      /** derived, not measured: notifications/s one core of collector would take at that cost (CPU time, so other load on the box does not inflate it much) */
      collectorPerCoreEstimate: Math.round(total / Math.max((cpu.user + cpu.system) / 1e6, 1e-6)),
      /** the servers' CPU per notification delivered, µs: what limits the measured figure on a small box */
      serverCpuMicrosPerNotification: Number((serverCpu.reduce((sum, u) => sum + u.user + u.system, 0) / Math.max(total, 1)).toFixed(2)),
      collectorRssMiB: Math.round(rss / 2 ** 20),
      subscribeMs: Math.round(subscribedMs),
      runMs: Math.round(ms),
      machineCores: cpus().length,
      loadAverage1m: Number(load.toFixed(2)),
    };
  } finally {
    await Promise.all(sources.map((s) => s.stop()));
    await Promise.all(servers.map((s) => s.stop()));
  }
}

process.stdout.write(`${JSON.stringify(await main())}\n`);
