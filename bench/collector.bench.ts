/**
 * Collector figures on loopback, the simulator in a worker thread (its own core and heap):
 * - OPC-UA notifications/s turned into Samples from one server (10,000 points, every one changing
 *   every 100 ms scan), the server reporting each change (samplingIntervalMs 0, as the demo site
 *   asks); and again with the server sampling every item at the publishing interval (the default),
 *   where node-opcua's sampling timers cost the server more (about 40k/s against 50–65k/s here).
 *   Either way the one server thread is the limit: the collector's thread is about a third busy;
 * - Modbus points/s from one device, contiguous float32 registers coalesced (≤ 125 words a read);
 * - the collector's heap per 10,000 OPC-UA points (subscribed and flowing).
 * Prints one JSON line on stdout; progress on stderr.
 */
import { performance } from 'node:perf_hooks';
import { format } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createModbusSource, createOpcuaSource } from '../collector/index.ts';
import type { ModbusSource, OpcuaSource, Site } from '../model/index.ts';
import { createSyntheticSite, startDepotSim } from '../sim/index.ts';

// node-opcua writes its notices with console.log: keep stdout for the one JSON line
for (const level of ['log', 'info', 'warn', 'debug'] as const) console[level] = (...args: unknown[]) => void process.stderr.write(`${format(...args)}\n`);

const OPCUA_POINTS = Number(process.env.BENCH_OPCUA_POINTS ?? 10_000);
const MODBUS_POINTS = 4_000;
const SCAN_MS = 100;
const RUN_MS = 5_000;

/** starts a simulator in a worker thread (registering tsx there too, as the bench runs from TypeScript) */
async function startSimThread(site: Site, tickMs: number): Promise<{ site: Site; stop(): Promise<void> }> {
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `(async () => { const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(import.meta.url)}); })()`;
  const worker = new Worker(code, { eval: true, workerData: { site, tickMs } });
  const { endpoints } = await new Promise<{ endpoints: { opcua: string; modbus: string } }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    site: { ...site, sources: site.sources.map((s) => ({ ...s, endpoint: s.protocol === 'opcua' ? endpoints.opcua : endpoints.modbus })) },
    async stop() {
      const stopped = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage('stop');
      await stopped;
      await worker.terminate();
    },
  };
}

// a full GC before each heap reading, without needing node --expose-gc
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const settle = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
};

async function benchOpcua(samplingIntervalMs: number | undefined) {
  const sim = await startSimThread(createSyntheticSite({ opcuaPoints: OPCUA_POINTS }), SCAN_MS);
  const source: OpcuaSource = { ...(sim.site.sources[0] as OpcuaSource), publishingIntervalMs: SCAN_MS, samplingIntervalMs, maxItemsPerSubscription: 1000 };
  await settle();
  const heapBefore = process.memoryUsage().heapUsed;
  let samples = 0;
  const seen = new Set<string>();
  const opcua = createOpcuaSource({ site: sim.site.id, source, points: sim.site.points });
  const t0 = performance.now();
  await opcua.start((s) => {
    samples++;
    if (seen.size <= OPCUA_POINTS) seen.add(s.point);
  });
  while (seen.size < OPCUA_POINTS + 1) {
    await new Promise((r) => setTimeout(r, 500));
    process.stderr.write(`OPC-UA: ${seen.size} points seen, ${samples} samples\n`);
  }
  const subscribedMs = performance.now() - t0;
  process.stderr.write(`OPC-UA: ${OPCUA_POINTS} points subscribed in ${subscribedMs.toFixed(0)} ms; measuring ${RUN_MS} ms\n`);
  await new Promise((r) => setTimeout(r, 1000));
  samples = 0;
  const m0 = performance.now();
  const elu0 = performance.eventLoopUtilization();
  await new Promise((r) => setTimeout(r, RUN_MS));
  const perSec = samples / ((performance.now() - m0) / 1000);
  const busy = performance.eventLoopUtilization(elu0).utilization; // the collector's thread only (the server runs in a worker)
  await settle();
  const heapAfter = process.memoryUsage().heapUsed;
  const stats = opcua.stats();
  await opcua.stop();
  await sim.stop();
  return {
    opcuaPoints: OPCUA_POINTS,
    opcuaScanMs: SCAN_MS,
    opcuaOfferedPerSec: (OPCUA_POINTS * 1000) / SCAN_MS,
    opcuaNotificationsPerSec: Math.round(perSec),
    /** share of the collector thread busy at that rate; the one server thread, not the collector, is the limit when this is well under 1 */
    opcuaCollectorThreadBusy: Number(busy.toFixed(2)),
    /** notifications/s the collector thread could take if the server kept up (measured rate ÷ busy share) */
    opcuaCollectorCapacityPerSec: Math.round(perSec / Math.max(busy, 0.01)),
    opcuaSubscribeMs: Math.round(subscribedMs),
    opcuaLastLatencyMs: stats.lastLatencyMs === null ? null : Number(stats.lastLatencyMs.toFixed(2)),
    heapMiBPer10kPoints: Number((((heapAfter - heapBefore) / 2 ** 20) * (10_000 / OPCUA_POINTS)).toFixed(1)),
  };
}

async function benchModbus() {
  const sim = await startSimThread(createSyntheticSite({ modbusPoints: MODBUS_POINTS }), 1000);
  const source = { ...(sim.site.sources[0] as ModbusSource), pollIntervalMs: 1 };
  let samples = 0;
  const modbus = createModbusSource({ site: sim.site.id, source, points: sim.site.points });
  await modbus.start(() => void samples++);
  while (samples < MODBUS_POINTS) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 500));
  samples = 0;
  const m0 = performance.now();
  await new Promise((r) => setTimeout(r, RUN_MS));
  const perSec = samples / ((performance.now() - m0) / 1000);
  const stats = modbus.stats();
  await modbus.stop();
  await sim.stop();
  return {
    modbusPoints: MODBUS_POINTS,
    modbusRequestsPerPoll: Math.ceil((MODBUS_POINTS * 2) / 124),
    modbusPointsPerSec: Math.round(perSec),
    modbusLastLatencyMs: stats.lastLatencyMs === null ? null : Number(stats.lastLatencyMs.toFixed(3)),
  };
}

async function main() {
  const opcua = await benchOpcua(0);
  process.stderr.write(`${JSON.stringify(opcua)}\n`);
  const sampled = await benchOpcua(undefined);
  process.stderr.write(`${JSON.stringify(sampled)}\n`);
  const modbus = await benchModbus();
  process.stdout.write(
    `${JSON.stringify({
      bench: 'collector',
      ...opcua,
      opcuaSamplingIntervalMs: 0,
      /** the same with the server sampling each item every publishing interval (samplingIntervalMs unset) */
      opcuaSampledNotificationsPerSec: sampled.opcuaNotificationsPerSec,
      opcuaSampledCollectorThreadBusy: sampled.opcuaCollectorThreadBusy,
      ...modbus,
    })}\n`,
  );
}

if (!isMainThread) {
  // the simulator side
  const { site, tickMs } = workerData as { site: Site; tickMs: number };
  const sim = await startDepotSim(site, { tickMs, seed: 1 });
  parentPort!.postMessage({ endpoints: sim.endpoints });
  parentPort!.once('message', async () => {
    await sim.stop();
    parentPort!.postMessage('stopped');
  });
} else {
  await main();
}
