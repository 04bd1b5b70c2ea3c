import { createServer } from 'node:net';
import { connect, type MqttClient } from 'mqtt';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseSite, type MqttSource, type Site } from '../../model/index.ts';
import type { Source } from '../source.ts';
import { createLogCapture, createRecorder, waitFor, type Recorder } from '../test-support.ts';
import { createStaleWatchdog } from '../stale-watchdog.ts';
import { startTestProxy } from '../test-proxy.ts';
import { createMqttSource } from './mqtt-source.ts';
import { encodeSparkplugPayload } from './sparkplug-payload.ts';
import { startSilentSparkplugNode, startSparkplugTestNode, type SparkplugTestNode } from './sparkplug-test-node.ts';
import { endSession, freePort, SHARED_BROKER_URL } from './test-broker.ts';

/** every run its own topics, group and client ids on the shared broker */
const run = `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const group = `ketwin-test-${run}`;

function testSite(endpoint: string, over: Partial<MqttSource> = {}): Site {
  const source = { id: 'mqtt-works', protocol: 'mqtt', endpoint, sparkplugGroup: group, staleAfterMs: 60000, ...over };
  const text = `
id: mqtt-test
name: { zh: 测试, en: MQTT test }
location: { lat: 34.75, lon: 113.66 }
plan: { width: 100, height: 100 }
standards: [early-works-flood]
sources:
  - ${JSON.stringify(source)}
assets:
  - { id: W01, kind: shelter, name: { zh: 一号工程, en: Work 1 }, position: { x: 10, y: 10 } }
  - { id: W02, kind: shelter, name: { zh: 二号工程, en: Work 2 }, position: { x: 20, y: 10 } }
points:
  - { asset: W01, name: water_level, unit: m, source: mqtt-works, mqtt: { topic: ${run}/W01/sump, path: data.level, timeField: ts, timeUnit: s, unitField: data.unit } }
  - { asset: W01, name: door_closed, unit: bool, source: mqtt-works, mqtt: { topic: ${run}/W01/door, path: closed } }
  - { asset: W01, name: pump_state, unit: state, source: mqtt-works, mqtt: { topic: "${run}/+/pump", path: "$.states[0]", timeField: at } }
  - { asset: W02, name: water_level, unit: m, source: mqtt-works, mqtt: { node: W02-edge, device: sump, metric: water/level } }
  - { asset: W02, name: pump_running, unit: bool, source: mqtt-works, mqtt: { node: W02-edge, device: sump, metric: pump/running } }
  - { asset: W02, name: supply_v, unit: V, source: mqtt-works, mqtt: { node: W02-edge, metric: power/voltage } }
  - { asset: W02, name: occupancy, unit: state, source: mqtt-works, mqtt: { node: W02-edge, device: door, metric: people } }
`;
  return parseSite(text, 'mqtt-test.yaml');
}

const W02_DEVICES = {
  sump: [
    { name: 'water/level', alias: 1, type: 'Float' as const, value: 0.25 },
    { name: 'pump/running', alias: 2, type: 'Boolean' as const, value: false },
  ],
  door: [{ name: 'count', alias: 10, type: 'Int32' as const, value: 0 }],
};

const started: Source[] = [];
const clients: MqttClient[] = [];
const nodes: SparkplugTestNode[] = [];
const sessions: string[] = [];

async function startSource(site: Site, recorder: Recorder = createRecorder(), over: { env?: Record<string, string> } = {}) {
  const source = site.sources[0] as MqttSource;
  const clientId = `ketwin-test-${run}-${sessions.length}`;
  sessions.push(clientId);
  const log = createLogCapture();
  const mqtt = createMqttSource({
    site: site.id,
    source: { ...source, clientId },
    points: site.points,
    logger: log.logger,
    reconnect: { initialDelayMs: 50, maxDelayMs: 400 },
    rebirthIntervalMs: 200,
    env: over.env,
  });
  started.push(mqtt);
  await mqtt.start(recorder.sink);
  return { mqtt, recorder, log };
}

async function publisher(): Promise<MqttClient> {
  const client = connect(SHARED_BROKER_URL, { clientId: `test-device-${run}-${clients.length}`, clean: true, reconnectPeriod: 0 });
  clients.push(client);
  await new Promise<void>((resolve, reject) => (client.once('connect', () => resolve()), client.once('error', reject)));
  return client;
}

const latest = (recorder: Recorder, point: string) => recorder.latest(point);

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
  await Promise.all(nodes.splice(0).map((n) => n.stop().catch(() => undefined)));
  await Promise.all(clients.splice(0).map((c) => c.endAsync()));
});
afterAll(async () => {
  for (const id of sessions) await endSession(SHARED_BROKER_URL, id);
});

describe('MQTT source: JSON devices on the shared Mosquitto', () => {
  it('maps a JSON field per topic, with its time and unit, through exact and wildcard topics', async () => {
    const { recorder, mqtt } = await startSource(testSite(SHARED_BROKER_URL));
    const device = await publisher();
    await new Promise((r) => setTimeout(r, 300)); // the source's subscription is in place
    await device.publishAsync(`${run}/W01/sump`, JSON.stringify({ ts: 1_800_000_000, data: { level: 0.42, unit: 'm' } }), { qos: 1 });
    await device.publishAsync(`${run}/W01/door`, JSON.stringify({ closed: true }), { qos: 1 });
    await device.publishAsync(`${run}/W01/pump`, JSON.stringify({ at: '2026-12-07T08:00:00Z', states: ['running', 'idle'] }), { qos: 1 });
    await waitFor(() => ['W01.water_level', 'W01.door_closed', 'W01.pump_state'].every((p) => latest(recorder, p)?.quality === 'good'), 'the three JSON points good');
    expect(latest(recorder, 'W01.water_level')).toMatchObject({ site: 'mqtt-test', value: 0.42, quality: 'good', ts: 1_800_000_000_000 });
    expect(latest(recorder, 'W01.door_closed')).toMatchObject({ value: true, quality: 'good' });
    expect(latest(recorder, 'W01.pump_state')).toMatchObject({ value: 'running', quality: 'good', ts: Date.parse('2026-12-07T08:00:00Z') });
    expect(latest(recorder, 'mqtt-works.online')).toMatchObject({ value: true, quality: 'good' });
    expect(mqtt.stats()).toMatchObject({ source: 'mqtt-works', protocol: 'mqtt', online: true, reconnects: 0 });
  });

  it('marks a point bad for malformed JSON, a wrong type, a missing field or unit, and keeps reading', async () => {
    const { recorder, mqtt } = await startSource(testSite(SHARED_BROKER_URL));
    const device = await publisher();
    await new Promise((r) => setTimeout(r, 300));
    const sump = `${run}/W01/sump`;
    const door = `${run}/W01/door`;
    const send = async (topic: string, payload: string) => {
      const before = recorder.samples.length;
      await device.publishAsync(topic, payload, { qos: 1 });
      await waitFor(() => recorder.samples.length > before, `a sample after ${payload}`);
      return recorder.samples.at(-1)!;
    };
    expect(await send(sump, JSON.stringify({ ts: 1_800_000_000, data: { level: 0.5, unit: 'm' } }))).toMatchObject({ value: 0.5, quality: 'good' });
    expect(await send(sump, '{"ts": 1800000001, "data": {"level": 0.6,')).toMatchObject({
      point: 'W01.water_level',
      value: 0.5,
      quality: 'bad',
      reason: expect.stringMatching(new RegExp(`^malformed JSON on ${sump}: `)),
    });
    expect(await send(sump, JSON.stringify({ ts: 1_800_000_002, data: { level: '0.7', unit: 'm' } }))).toMatchObject({
      value: 0.5,
      quality: 'bad',
      reason: `text "0.7" where a number was expected (data.level on ${sump})`,
    });
    expect(await send(sump, JSON.stringify({ ts: 1_800_000_003, data: { unit: 'm' } }))).toMatchObject({ quality: 'bad', reason: `no value at data.level on ${sump}` });
    expect(await send(sump, JSON.stringify({ ts: 1_800_000_004, data: { level: 420, unit: 'mm' } }))).toMatchObject({
      quality: 'bad',
      reason: `unit "mm" at data.unit on ${sump} where m was expected`,
    });
    expect(await send(sump, JSON.stringify({ data: { level: 0.8, unit: 'm' } }))).toMatchObject({ quality: 'bad', reason: `no time at ts on ${sump}` });
    expect(await send(door, JSON.stringify({ closed: 1 }))).toMatchObject({
      point: 'W01.door_closed',
      value: false,
      quality: 'bad',
      reason: `number 1 where a boolean was expected (closed on ${door})`,
    });
    // and the source still reads
    expect(await send(sump, JSON.stringify({ ts: 1_800_000_005, data: { level: 0.9, unit: 'm' } }))).toMatchObject({ value: 0.9, quality: 'good', ts: 1_800_000_005_000 });
    expect(mqtt.stats().online).toBe(true);
  });

  it('reports a broker that cannot be reached: every point bad, offline', async () => {
    const port = await freePort();
    const { recorder, mqtt } = await startSource(testSite(`mqtt://127.0.0.1:${port}`));
    await waitFor(() => latest(recorder, 'mqtt-works.online')?.value === false, 'offline');
    expect(latest(recorder, 'mqtt-works.online')?.reason).toBe('not connected (ECONNREFUSED)');
    expect(latest(recorder, 'W02.water_level')).toMatchObject({ quality: 'bad', reason: 'not connected (ECONNREFUSED)' });
    expect(recorder.samples.filter((s) => s.point === 'W01.water_level')).toHaveLength(1); // once per outage, not per attempt
    await new Promise((r) => setTimeout(r, 500)); // attempts go on
    expect(recorder.samples.filter((s) => s.point === 'W01.water_level')).toHaveLength(1);
    expect(mqtt.stats().online).toBe(false);
  });

  it('backs off between attempts: doubling from the first delay to the longest', async () => {
    const attempts: number[] = [];
    const server = createServer((socket) => (attempts.push(Date.now()), socket.destroy())); // accepts, then hangs up: no CONNACK
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, () => resolve()));
    try {
      await startSource(testSite(`mqtt://127.0.0.1:${(server.address() as { port: number }).port}`));
      await new Promise((r) => setTimeout(r, 2000));
      // 50, 100, 200, 400, 400 … ms apart: 6–8 attempts in 2 s, not the 40 of a fixed 50 ms
      expect(attempts.length).toBeGreaterThanOrEqual(5);
      expect(attempts.length).toBeLessThanOrEqual(9);
      const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
      expect(Math.max(...gaps)).toBeGreaterThanOrEqual(350);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('refuses a bad configuration when created, naming the source', () => {
    const site = testSite(SHARED_BROKER_URL);
    const source = site.sources[0] as MqttSource;
    expect(() => createMqttSource({ site: site.id, source: { ...source, username: 'ketwin', passwordEnv: 'KETWIN_TEST_NO_SUCH_VAR' }, points: site.points, env: {} })).toThrow(
      'MQTT source mqtt-works (mqtt://127.0.0.1:1883): environment variable KETWIN_TEST_NO_SUCH_VAR (the password of user ketwin) is not set',
    );
    expect(() => createMqttSource({ site: site.id, source: { ...source, caFile: '/nonexistent/ca.pem' }, points: site.points })).toThrow('caFile needs an mqtts:// endpoint');
    expect(() => createMqttSource({ site: site.id, source: { ...source, sparkplugGroup: undefined }, points: site.points })).toThrow(
      'point W02.water_level is a Sparkplug metric, but the source names no sparkplugGroup',
    );
    const [first] = site.points;
    expect(() => createMqttSource({ site: site.id, source, points: [{ ...first!, mqtt: { topic: 'a', path: 'x..y', timeUnit: 'ms' } }] })).toThrow(
      'MQTT source mqtt-works (mqtt://127.0.0.1:1883): point W01.water_level: "x..y" is not a JSON field',
    );
  });
});

describe('MQTT source: Sparkplug B edge nodes on the shared Mosquitto', () => {
  async function node(over: Partial<Parameters<typeof startSparkplugTestNode>[0]> = {}) {
    const n = await startSparkplugTestNode({
      brokerUrl: SHARED_BROKER_URL,
      group,
      node: 'W02-edge',
      metrics: [{ name: 'power/voltage', alias: 100, type: 'Double', value: 229.5 }],
      devices: W02_DEVICES,
      ...over,
    });
    nodes.push(n);
    return n;
  }
  const w02Good = (recorder: Recorder) => ['W02.water_level', 'W02.pump_running', 'W02.supply_v'].every((p) => latest(recorder, p)?.quality === 'good');

  it('asks a node born before it connected for its births, then follows its data by alias', async () => {
    const edge = await node();
    const { recorder } = await startSource(testSite(SHARED_BROKER_URL));
    await waitFor(() => w02Good(recorder), 'the births after the rebirth request');
    expect(edge.rebirthRequests).toBeGreaterThanOrEqual(1);
    expect(latest(recorder, 'W02.water_level')).toMatchObject({ value: 0.25, quality: 'good' });
    expect(latest(recorder, 'W02.supply_v')).toMatchObject({ value: 229.5 });
    // the metric the point names is not in the door device's birth
    expect(latest(recorder, 'W02.occupancy')).toMatchObject({ quality: 'bad', reason: 'unknown metric "people": not in the birth certificate of device W02-edge/door' });
    await edge.data('sump', [
      { name: 'water/level', value: 0.61 },
      { name: 'pump/running', value: true },
    ]);
    await waitFor(() => latest(recorder, 'W02.pump_running')?.value === true, 'DDATA by alias');
    expect(latest(recorder, 'W02.water_level')).toMatchObject({ value: Math.fround(0.61), quality: 'good' }); // a Float metric: float32, carried as it is
  });

  it('marks a wrong type or a garbage payload bad, and asks for a rebirth on an unknown metric or a sequence gap', async () => {
    const { recorder, log } = await startSource(testSite(SHARED_BROKER_URL));
    const edge = await node();
    await waitFor(() => w02Good(recorder), 'births');
    const births = edge.births;

    await edge.data('sump', [{ name: 'water/level', type: 'String', value: 'high' }]);
    await waitFor(() => latest(recorder, 'W02.water_level')?.quality === 'bad', 'wrong type');
    expect(latest(recorder, 'W02.water_level')).toMatchObject({ value: 0.25, reason: 'text "high" where a number was expected (metric "water/level")' });

    await edge.raw('sump', Buffer.from('not a protobuf at all'));
    await waitFor(() => latest(recorder, 'W02.pump_running')?.quality === 'bad', 'garbage payload');
    expect(latest(recorder, 'W02.pump_running')?.reason).toMatch(/^malformed Sparkplug B payload in DDATA of device W02-edge\/sump: /);
    await waitFor(() => edge.births > births && w02Good(recorder), 'the rebirth after the garbage payload');

    // an alias the birth never declared
    const beforeUnknown = edge.births;
    await new Promise((r) => setTimeout(r, 250)); // past the rebirth interval
    await edge.data('sump', [{ name: 'valve/open', type: 'Boolean', value: true }]);
    await waitFor(() => edge.births > beforeUnknown, 'a rebirth for the unknown metric');
    expect(log.lines.some((l) => String(l.msg).includes('rebirth requested from node W02-edge: unknown metric "valve/open" in DDATA of device W02-edge/sump'))).toBe(true);

    // messages lost between two data messages
    await waitFor(() => w02Good(recorder), 'births again');
    const beforeGap = edge.births;
    await new Promise((r) => setTimeout(r, 250));
    edge.skipSequence(3);
    await edge.data('sump', [{ name: 'water/level', value: 0.7 }]);
    await waitFor(() => edge.births > beforeGap, 'a rebirth for the sequence gap');
    expect(log.lines.some((l) => /rebirth requested from node W02-edge: sequence gap from node W02-edge: DDATA with seq \d+ where \d+ was expected/.test(String(l.msg)))).toBe(
      true,
    );
    await waitFor(() => latest(recorder, 'W02.water_level')?.value === Math.fround(0.7) && w02Good(recorder), 'the value after the gap');
  });

  it('a node that dies without a clean disconnect: the broker publishes its will, every point of the node goes bad; a new birth restores them', async () => {
    const { recorder } = await startSource(testSite(SHARED_BROKER_URL));
    const edge = await node({ bdSeq: 4 });
    await waitFor(() => w02Good(recorder), 'births');
    edge.kill(); // the socket destroyed: no DISCONNECT
    await waitFor(() => latest(recorder, 'W02.water_level')?.quality === 'bad', 'the will');
    for (const p of ['W02.water_level', 'W02.pump_running', 'W02.supply_v']) expect(latest(recorder, p)).toMatchObject({ quality: 'bad', reason: 'node offline (NDEATH)' });
    expect(latest(recorder, 'W02.water_level')?.value).toBe(0.25); // last value kept

    // the node comes back in a new session; the old session's will, arriving late, is ignored
    await node({ bdSeq: 5 });
    await waitFor(() => w02Good(recorder), 'the new birth');
    const late = await publisher();
    await late.publishAsync(`spBv1.0/${group}/NDEATH/W02-edge`, Buffer.from(encodeSparkplugPayload({ metrics: [{ name: 'bdSeq', type: 'UInt64', value: 4 }] })), { qos: 1 });
    await new Promise((r) => setTimeout(r, 300));
    expect(w02Good(recorder)).toBe(true);
  });

  it('a live node whose values do not change is not stale (its values are delivered again); a JSON device that falls silent is', async () => {
    const site = testSite(SHARED_BROKER_URL, { staleAfterMs: 600 });
    const recorder = createRecorder();
    const watchdog = createStaleWatchdog({ site: site.id, points: site.points, sink: recorder.sink });
    try {
      await startSource(site, { ...recorder, sink: watchdog.sink });
      const device = await publisher();
      const edge = await node();
      await waitFor(() => w02Good(recorder), 'births');
      await device.publishAsync(`${run}/W01/door`, JSON.stringify({ closed: true }), { qos: 1 });
      await waitFor(() => latest(recorder, 'W01.door_closed')?.quality === 'good', 'the door');
      await new Promise((r) => setTimeout(r, 1500)); // 2.5 × staleAfterMs with nothing published
      expect(latest(recorder, 'W01.door_closed')).toMatchObject({ quality: 'bad', reason: 'stale', value: true });
      expect(w02Good(recorder)).toBe(true);
      expect(recorder.of('W02.water_level').some((s) => s.reason === 'stale')).toBe(false);
      edge.kill();
      await waitFor(() => latest(recorder, 'W02.water_level')?.reason === 'node offline (NDEATH)', 'the will');
      await new Promise((r) => setTimeout(r, 500));
      expect(latest(recorder, 'W02.water_level')?.quality).toBe('bad'); // a dead node's values are not delivered again
    } finally {
      watchdog.stop();
    }
  });

  it('publishes its Sparkplug host STATE with a sparkplugHostId: online, its will offline when cut off, offline again on a clean stop', async () => {
    const hostId = `ketwin-${run}`;
    const topic = `spBv1.0/STATE/${hostId}`;
    const watcher = await publisher();
    const states: { online: boolean; timestamp: number }[] = [];
    watcher.on('message', (t, payload) => void (t === topic && payload.length > 0 && states.push(JSON.parse(payload.toString()))));
    await watcher.subscribeAsync(topic, { qos: 1 });
    const proxy = await startTestProxy(1883);
    try {
      await startSource(testSite(`mqtt://127.0.0.1:${proxy.port}`, { sparkplugHostId: hostId }));
      await waitFor(() => states.at(-1)?.online === true, 'online');
      const first = states.at(-1)!.timestamp;
      await proxy.close(); // the connection cut: the broker publishes the will
      await waitFor(() => states.at(-1)?.online === false, 'the will');
      expect(states.at(-1)!.timestamp).toBe(first); // the will carries the time of the connection it belongs to
    } finally {
      await proxy.close();
    }
    const { mqtt } = await startSource(testSite(SHARED_BROKER_URL, { sparkplugHostId: hostId }));
    await waitFor(() => states.at(-1)?.online === true, 'online again');
    const second = states.at(-1)!.timestamp;
    await mqtt.stop();
    await waitFor(() => states.at(-1)?.online === false, 'offline on a clean stop');
    expect(states.at(-1)!.timestamp).toBe(second);
    await watcher.publishAsync(topic, '', { qos: 1, retain: true }); // leave no retained STATE behind
  });

  it('a node that falls silent (no ping, no close): the broker finds it dead once its keep-alive has run out and publishes its will', async () => {
    const { recorder } = await startSource(testSite(SHARED_BROKER_URL));
    await new Promise((r) => setTimeout(r, 300)); // subscribed
    const connectedAt = Date.now();
    const silent = await startSilentSparkplugNode({ port: 1883, group, node: 'W02-edge', keepaliveS: 1, metrics: [{ name: 'power/voltage', type: 'Double', value: 230.5 }] });
    try {
      await waitFor(() => latest(recorder, 'W02.supply_v')?.value === 230.5, 'the birth');
      await waitFor(() => latest(recorder, 'W02.supply_v')?.reason === 'node offline (NDEATH)', 'the will of the silent node', 10_000);
      const took = Date.now() - connectedAt;
      // Mosquitto 2.0.11 keeps whole seconds (alive while now_s − last_msg_in ≤ keepalive × 3 / 2, integer: 1 s here)
      // and looks every 6 s: dead after more than one keep-alive (1.3 s seen in CI), before 1.5 s + 6 s + a tick
      expect(took).toBeGreaterThan(1000);
      expect(took).toBeLessThan(9000);
    } finally {
      silent.close();
    }
  });
});
