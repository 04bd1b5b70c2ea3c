// An early work end to end (issue 27): its sump and pumps as a Sparkplug B edge node and its entrance and
// occupancy sensors as JSON devices on the shared Mosquitto, the rainstorm warning from the simulated
// meteorological office's CAP feed over HTTP, the site's sources as createSiteSources makes them, and the
// engine scoring it under early-works-flood — the same code path a depot takes. Then the district's rainstorm
// scenario (issue 27's Done means): W08 flooding with people inside goes red with its reason and a countdown, its
// flood team gets a CAP alert through the store's outbox and the notifier, and W03's barrier fails under yellow.
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSiteSources, type Source } from '../collector/index.ts';
import { startSparkplugTestNode, type SparkplugTestNode } from '../collector/mqtt/sparkplug-test-node.ts';
import { endSession, SHARED_BROKER_URL } from '../collector/mqtt/test-broker.ts';
import { waitFor } from '../collector/test-support.ts';
import { openStore, type Store } from '../db/index.ts';
import { createEngine, type Engine } from '../engine/index.ts';
import { parseSite, type Alert, type Site } from '../model/index.ts';
import { createNotifier, type Notifier } from '../notify/index.ts';
import { capSchemaErrors } from '../notify/testing/cap-schema.ts';
import { startReceiver, type Receiver } from '../notify/testing/receiver.ts';
import { createEarlyWorksDistrict, playRainstorm, startMqttDevices, startWarningFeed, type MqttDevices, type WarningFeed } from '../sim/index.ts';
import { parseStandard, type Standard } from '../standards/index.ts';

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
  const standard = shortDelays();
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

/** the standard with the clauses' delays shortened to a second, so that the tests run in real time */
const shortDelays = (): Standard => parseStandard(readFileSync(`${DIR}1.0.0.yaml`, 'utf8').replace(/delayOn: PT\d+[MS]/g, 'delayOn: PT1S'), `${DIR}1.0.0.yaml`);

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

describe('the rainstorm scenario on the district, through MQTT (JSON and Sparkplug B), the CAP warning feed, the engine, the store and the notifier', () => {
  const district = `${run}d`;
  const cleanup: (() => Promise<unknown>)[] = [];
  let feed: WarningFeed;
  let works: Site[];
  let team: Receiver;
  let store: Store;
  let notifier: Notifier;
  let districtEngine: Engine;
  const alerts: Alert[] = [];

  beforeAll(async () => {
    feed = await startWarningFeed({ areaCode: '410100', areaName: '郑州市', senderName: '郑州市气象台' });
    cleanup.push(() => feed.close());
    team = await startReceiver('team-secret');
    cleanup.push(() => team.close());
    const dir = await mkdtemp(join(tmpdir(), 'ketwin-rainstorm-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    store = await openStore({ dataDir: dir });
    cleanup.push(() => store.close());
    // W03 (a Sparkplug B node, its barrier never put in) and W08 (JSON devices, its pump failing with people inside)
    const all = createEarlyWorksDistrict({ brokerUrl: SHARED_BROKER_URL, feedUrl: feed.url, count: 8, district, teams: () => ({ url: team.url, secretEnv: 'KETWIN_TEST_TEAM' }) });
    works = [all[2]!, all[7]!].map((site) => ({ ...site, sources: site.sources.map((s) => (s.protocol === 'cap' ? { ...s, pollIntervalMs: 200, staleAfterMs: 5000 } : s)) }));
    districtEngine = createEngine({ sites: works, standards: [shortDelays()] });
    cleanup.push(async () => districtEngine.dispose());
    // every alert version into the store, whose outbox the notifier drains (the writer's path in ketwin start)
    districtEngine.events$.subscribe((e) => {
      if (e.type !== 'alert') return;
      alerts.push(e.data as Alert);
      void store.writeAlerts([e.data as Alert]);
    });
    notifier = createNotifier({ store, sites: works, env: { KETWIN_TEST_TEAM: 'team-secret' }, sender: 'ketwin@test', pollMs: 100 });
    await notifier.start();
    cleanup.push(() => notifier.stop());
    for (const site of works) {
      for (const source of createSiteSources(site)) {
        await source.start((sample) => districtEngine.ingest(sample));
        cleanup.push(() => source.stop());
      }
      const mqtt = site.sources.find((s) => s.protocol === 'mqtt') as { clientId: string };
      cleanup.push(() => endSession(SHARED_BROKER_URL, mqtt.clientId));
    }
    await new Promise((r) => setTimeout(r, 300)); // subscribed
  }, 30_000);

  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('W08 flooded with people inside: red with its reason, a countdown to the danger level, a CAP alert to its flood team; W03: barrier not in place under yellow', async () => {
    const devices = new Map<string, MqttDevices>();
    for (const site of works) {
      const d = await startMqttDevices(site);
      devices.set(site.id, d);
      cleanup.push(() => d.stop());
    }
    const [w03, w08] = works as [Site, Site];
    const playback = playRainstorm({ sites: works, devices, feed, minuteMs: 400, repeatMs: 400 });
    cleanup.push(async () => playback.stop());

    const score = (site: Site) => districtEngine.snapshot(site.id)?.score;
    await waitFor(() => score(w08)?.risk === 'red' && score(w08)!.riskReason.en.includes('Water in an underground work'), 'W08 red for the water', 15_000);
    expect(score(w08)!.riskReason).toMatchObject({
      zh: expect.stringContaining('事件未解除：W08 人防工程进水（1级）'),
      en: expect.stringContaining('open incident: Water in an underground work at W08 (severity 1)'),
    });
    const flood = () => alerts.filter((a) => a.site === w08.id && a.incident?.hazard === 'flood');
    // the level and the occupancy come on different topics: the incident may be raised orange a moment before the occupancy turns it red
    const counted = flood().find((a) => a.severity === 1 && a.incident!.countdowns.length > 0)!;
    expect(counted.message.en).toContain('people inside');
    expect(counted.incident!.countdowns[0]).toMatchObject({ kind: 'flood-level', label: { zh: '预计达危险水位', en: 'Forecast danger level' } });
    expect(counted.incident!.countdowns[0]!.deadline).toBeGreaterThan(counted.changedAt);

    // the flood team the district file assigns to W08 is told at once, in CAP, signed for it: the incident's Alert, and
    // the red (Extreme) version of it once the occupancy is in (an Update referencing the Alert when it came orange first)
    const toTeam8 = () => team.received.filter((r) => r.headers['x-ketwin-subscriber'] === 'flood-team-8' && r.body.includes('人防工程进水'));
    await waitFor(() => toTeam8().some((r) => r.body.includes('<severity>Extreme</severity>')), 'the red CAP alert to team 8', 15_000);
    expect(toTeam8()[0]!.body).toContain('<msgType>Alert</msgType>');
    const cap = toTeam8().find((r) => r.body.includes('<severity>Extreme</severity>'))!;
    expect(cap.signature.ok).toBe(true);
    expect(cap.body).toContain('<status>Actual</status>');
    expect(cap.body).toContain('<identifier>410105');
    expect(cap.body).toContain('Forecast danger level');
    expect(await capSchemaErrors(cap.body)).toEqual([]);
    // nobody else's team heard of W08
    expect(team.received.filter((r) => r.body.includes(w08.id)).every((r) => r.headers['x-ketwin-subscriber'] === 'flood-team-8')).toBe(true);

    // W03: the yellow warning with its barrier stowed
    const barrier = () => districtEngine.snapshot(w03.id)?.results.find((r) => r.clause === 'EWF-BARRIER-WARNING' && r.subject === 'W03');
    await waitFor(() => barrier()?.verdict === 'fail', 'W03 barrier not in place', 15_000);
    expect(barrier()!.evidence).toEqual(expect.arrayContaining([expect.objectContaining({ point: 'W03.barrier_closed', value: false })]));
    expect(alerts.some((a) => a.site === w03.id && a.incident?.hazard === 'flood')).toBe(false);
    await playback.done;
  }, 40_000);
});
