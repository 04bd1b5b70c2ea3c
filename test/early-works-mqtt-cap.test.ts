// An early work end to end (issue 27): its sump and pumps as a Sparkplug B edge node and its entrance and
// occupancy sensors as JSON devices on the shared Mosquitto, the rainstorm warning from the simulated
// meteorological office's CAP feed over HTTP, the site's sources as createSiteSources makes them, and the
// engine scoring it under early-works-flood — the same code path a depot takes.
import { readFileSync } from 'node:fs';
import { connect, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSiteSources, type Source } from '../collector/index.ts';
import { startSparkplugTestNode, type SparkplugTestNode } from '../collector/mqtt/sparkplug-test-node.ts';
import { endSession, SHARED_BROKER_URL } from '../collector/mqtt/test-broker.ts';
import { waitFor } from '../collector/test-support.ts';
import { createEngine, type Engine } from '../engine/index.ts';
import { parseSite, type Site } from '../model/index.ts';
import { startWarningFeed, type WarningFeed } from '../sim/index.ts';
import { parseStandard } from '../standards/index.ts';

const DIR = new URL('../standards/early-works-flood/', import.meta.url).pathname;
const run = `ew${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

let office: WarningFeed;
let site: Site;
let engine: Engine;
let sources: Source[];
let edge: SparkplugTestNode;
let device: MqttClient;

beforeAll(async () => {
  office = await startWarningFeed({ areaCode: '410100', areaName: '郑州市', senderName: '郑州市气象台' });
  const text = readFileSync(`${DIR}fixtures/early-work-site.yaml`, 'utf8')
    .replace('sparkplugGroup: jinshui', `sparkplugGroup: ${run}`)
    .replaceAll('topic: jinshui/', `topic: ${run}/`)
    .replace('endpoint: "http://127.0.0.1:8090/cap/feed.xml"', `endpoint: "${office.url}", pollIntervalMs: 200, staleAfterMs: 5000`)
    .replace('staleAfterMs: 120000 }', `staleAfterMs: 120000, clientId: ketwin-${run} }`);
  site = parseSite(text, 'early-work-site.yaml');
  // the clauses' delays shortened to a second, so that the test runs in real time
  const standard = parseStandard(readFileSync(`${DIR}1.0.0.yaml`, 'utf8').replace(/delayOn: PT\d+[MS]/g, 'delayOn: PT1S'), `${DIR}1.0.0.yaml`);
  engine = createEngine({ sites: [site], standards: [standard] });
  sources = createSiteSources(site);
  for (const source of sources) await source.start((sample) => engine.ingest(sample));
  device = connect(SHARED_BROKER_URL, { clientId: `${run}-entrance`, clean: true, reconnectPeriod: 0 });
  await new Promise<void>((resolve) => device.once('connect', () => resolve()));
  edge = await startSparkplugTestNode({
    brokerUrl: SHARED_BROKER_URL,
    group: run,
    node: 'W07-edge',
    keepaliveS: 2,
    metrics: [{ name: 'power/mains', type: 'Boolean', value: true }],
    devices: {
      sump: [
        { name: 'water/level', alias: 1, type: 'Float', value: 0.05 },
        { name: 'water/inflow', alias: 2, type: 'Double', value: 0 },
        { name: 'pump/flow', alias: 3, type: 'Double', value: 0 },
        { name: 'pump/available', alias: 4, type: 'Boolean', value: true },
      ],
    },
  });
}, 30_000);

afterAll(async () => {
  await Promise.all((sources ?? []).map((s) => s.stop()));
  engine?.dispose();
  await edge?.stop().catch(() => undefined);
  await device?.endAsync();
  await office?.close();
  await endSession(SHARED_BROKER_URL, `ketwin-${run}`);
});

const verdict = (clause: string) => engine.snapshot(site.id)?.results.find((r) => r.clause === clause && r.subject === 'W07');
const entrance = (barrier: boolean, door: boolean) => device.publishAsync(`${run}/W07/entrance`, JSON.stringify({ barrier, door }), { qos: 1 });
const occupancy = (occupied: boolean) => device.publishAsync(`${run}/W07/occupancy`, JSON.stringify({ occupied }), { qos: 1 });

describe('an early work through MQTT (JSON and Sparkplug B) and the CAP warning feed, scored by the engine', () => {
  it('a dry day without a warning: the live clauses pass', async () => {
    await entrance(false, false);
    await occupancy(false);
    for (const clause of ['EWF-WATER-ALARM', 'EWF-BARRIER-WARNING', 'EWF-PUMPS-READY', 'EWF-EVACUATE'])
      await waitFor(() => verdict(clause)?.verdict === 'pass', `${clause} pass`, 20_000);
    expect(engine.snapshot(site.id)!.values['W07.rainstorm_level']).toMatchObject({ value: 0, quality: 'good' });
  }, 30_000);

  it('a yellow rainstorm warning with the barrier stowed: "barrier not in place" fails; putting it in place passes', async () => {
    office.signal('rainstorm', 'yellow');
    await waitFor(() => verdict('EWF-BARRIER-WARNING')?.verdict === 'fail', 'the barrier verdict under a yellow warning', 10_000);
    expect(verdict('EWF-BARRIER-WARNING')!.evidence).toEqual(
      expect.arrayContaining([expect.objectContaining({ point: 'W07.rainstorm_level', value: 2 }), expect.objectContaining({ point: 'W07.barrier_closed', value: false })]),
    );
    await entrance(true, true);
    await waitFor(() => verdict('EWF-BARRIER-WARNING')?.verdict === 'pass' && verdict('EWF-DOORS-WARNING')?.verdict === 'pass', 'barrier and doors in place', 10_000);
  }, 30_000);

  it('water coming in faster than pumped out with people inside: evacuate, and the hours to the alarm level', async () => {
    await occupancy(true);
    // the pumps' flow first: a result records its figures when its verdict changes, not while it holds
    await edge.data('sump', [
      { name: 'water/level', value: 0.1 },
      { name: 'pump/flow', value: 60 },
      { name: 'water/inflow', value: 90 },
    ]);
    await waitFor(() => verdict('EWF-EVACUATE')?.verdict === 'fail', 'evacuate', 10_000);
    await waitFor(() => verdict('EWF-INFLOW-PUMPS')?.verdict === 'fail', 'pumps behind', 10_000);
    expect(verdict('EWF-INFLOW-PUMPS')!.thresholds['hoursToAlarm']).toBeCloseTo(((0.3 - Math.fround(0.1)) * 120) / 30, 5);
  }, 30_000);

  it('the edge node killed without a clean disconnect: its points go bad (node offline) and its clauses unknown; its rebirth restores them', async () => {
    edge.kill();
    await waitFor(() => engine.snapshot(site.id)!.values['W07.water_level']?.quality === 'bad', 'the will', 10_000);
    expect(engine.snapshot(site.id)!.values['W07.water_level']).toMatchObject({ reason: 'node offline (NDEATH)' });
    await waitFor(() => verdict('EWF-WATER-ALARM')?.verdict === 'unknown', 'unknown without data', 10_000);
    edge = await startSparkplugTestNode({
      brokerUrl: SHARED_BROKER_URL,
      group: run,
      node: 'W07-edge',
      bdSeq: 1,
      metrics: [{ name: 'power/mains', type: 'Boolean', value: true }],
      devices: {
        sump: [
          { name: 'water/level', alias: 1, type: 'Float', value: 0.12 },
          { name: 'water/inflow', alias: 2, type: 'Double', value: 10 },
          { name: 'pump/flow', alias: 3, type: 'Double', value: 60 },
          { name: 'pump/available', alias: 4, type: 'Boolean', value: true },
        ],
      },
    });
    await waitFor(() => verdict('EWF-WATER-ALARM')?.verdict === 'pass', 'back after the birth', 10_000);
  }, 30_000);
});
