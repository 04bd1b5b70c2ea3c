/**
 * Collector figures against the simulated depot on loopback: simulator start-up, time to the
 * first OPC-UA sample, OPC-UA samples/s at a 50 ms scan, Modbus poll round-trip percentiles.
 * Prints one JSON line on stdout; progress on stderr.
 */
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { createModbusSource, createOpcuaSource } from '../collector/index.ts';
import { loadSite, type ModbusSource, type OpcuaSource, type Sample } from '../model/index.ts';
import { startDepotSim } from '../sim/index.ts';

// node-opcua writes its notices with console.log: keep stdout for the one JSON line
for (const level of ['log', 'info', 'warn', 'debug'] as const) console[level] = (...args: unknown[]) => void process.stderr.write(`${format(...args)}\n`);

const RUN_MS = 5_000;
const SCAN_MS = 50;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

const demo = await loadSite(fileURLToPath(new URL('../sites/zhoushan-demo.yaml', import.meta.url)));
let t0 = performance.now();
const sim = await startDepotSim(demo, { tickMs: SCAN_MS, seed: 1 });
const simStartMs = performance.now() - t0;
process.stderr.write(`simulator up in ${simStartMs.toFixed(0)} ms\n`);
const site = sim.siteWithEndpoints();

const opcuaSource = { ...site.sources.find((s): s is OpcuaSource => s.protocol === 'opcua')!, publishingIntervalMs: SCAN_MS };
const modbusSource = { ...site.sources.find((s): s is ModbusSource => s.protocol === 'modbus')!, pollIntervalMs: SCAN_MS };
const opcuaPoints = site.points.filter((p) => p.source === opcuaSource.id);
const modbusPoints = site.points.filter((p) => p.source === modbusSource.id);

let opcuaSamples = 0;
let firstSampleMs = NaN;
let lastModbusBatch = 0;
const modbusGaps: number[] = [];
t0 = performance.now();
const opcua = createOpcuaSource({ site: site.id, source: opcuaSource, points: opcuaPoints });
const modbus = createModbusSource({ site: site.id, source: modbusSource, points: modbusPoints });
await opcua.start((s: Sample) => {
  if (opcuaSamples++ === 0) firstSampleMs = performance.now() - t0;
});
await modbus.start((s: Sample) => {
  if (s.point !== modbusPoints[0]!.id) return;
  const at = performance.now();
  if (lastModbusBatch > 0) modbusGaps.push(at - lastModbusBatch - SCAN_MS); // poll cycle time beyond the interval
  lastModbusBatch = at;
});
while (Number.isNaN(firstSampleMs)) await new Promise((r) => setTimeout(r, 10));
opcuaSamples = 0;
process.stderr.write(`first OPC-UA sample after ${firstSampleMs.toFixed(0)} ms; measuring for ${RUN_MS} ms\n`);
await new Promise((r) => setTimeout(r, RUN_MS));
const measured = opcuaSamples;
await Promise.all([opcua.stop(), modbus.stop()]);
await sim.stop();

const gaps = modbusGaps.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    bench: 'collector',
    simStartMs: Math.round(simStartMs),
    opcuaFirstSampleMs: Math.round(firstSampleMs),
    opcuaPoints: opcuaPoints.length,
    scanMs: SCAN_MS,
    opcuaSamplesPerSec: Math.round(measured / (RUN_MS / 1000)),
    opcuaExpectedPerSec: Math.round((opcuaPoints.length * 1000) / SCAN_MS),
    modbusPolls: gaps.length,
    modbusPollCycleMsP50: Number(percentile(gaps, 50).toFixed(2)),
    modbusPollCycleMsP99: Number(percentile(gaps, 99).toFixed(2)),
  })}\n`,
);
