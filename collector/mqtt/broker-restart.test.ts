import { connect, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSite, type MqttSource, type Site } from '../../model/index.ts';
import type { Source } from '../source.ts';
import { createRecorder, waitFor, type Recorder } from '../test-support.ts';
import { createMqttSource } from './mqtt-source.ts';
import { startTestBroker, type TestBroker } from './test-broker.ts';

/**
 * A broker restart on a Mosquitto of the test's own (never the shared one): a device numbers its QoS 1
 * messages, and every number must reach the source — those sent while the broker was down (held by the
 * device's client until it is back) and those the broker held for the source's persistent session while
 * the source was away (kept on disk across the restart).
 */

const run = `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const topic = `${run}/W01/counter`;

function counterSite(endpoint: string): Site {
  const source = { id: 'mqtt-works', protocol: 'mqtt', endpoint, staleAfterMs: 60_000 };
  return parseSite(
    `
id: mqtt-restart
name: { zh: 重启, en: Restart }
location: { lat: 34.75, lon: 113.66 }
plan: { width: 100, height: 100 }
standards: [early-works-flood]
sources:
  - ${JSON.stringify(source)}
assets:
  - { id: W01, kind: shelter, name: { zh: 一号工程, en: Work 1 }, position: { x: 10, y: 10 } }
points:
  - { asset: W01, name: counter, unit: state, source: mqtt-works, mqtt: { topic: ${topic}, path: n } }
`,
    'mqtt-restart.yaml',
  );
}

let broker: TestBroker | undefined;
const sources: Source[] = [];
const devices: MqttClient[] = [];

afterEach(async () => {
  await Promise.all(sources.splice(0).map((s) => s.stop()));
  await Promise.all(devices.splice(0).map((d) => d.endAsync(true)));
  await broker?.close();
  broker = undefined;
});

function startSource(site: Site, recorder: Recorder): Source {
  const source = createMqttSource({
    site: site.id,
    source: { ...(site.sources[0] as MqttSource), clientId: `ketwin-${run}` },
    points: site.points,
    reconnect: { initialDelayMs: 50, maxDelayMs: 400 },
  });
  sources.push(source);
  void source.start(recorder.sink);
  return source;
}

/** the numbers the source has delivered as good readings, each once */
const received = (recorder: Recorder) => new Set(recorder.of('W01.counter').flatMap((s) => (s.quality === 'good' ? [s.value as number] : [])));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('MQTT source: a broker restart loses nothing at QoS 1', () => {
  it('takes every numbered message across a restart while connected, and across one while away (its persistent session)', async () => {
    broker = await startTestBroker();
    const site = counterSite(broker.url);
    const recorder = createRecorder();
    const source = startSource(site, recorder);

    const device = connect(broker.url, { clientId: `device-${run}`, clean: true, reconnectPeriod: 100 });
    devices.push(device);
    await new Promise<void>((resolve) => device.once('connect', () => resolve()));
    await new Promise((r) => setTimeout(r, 300)); // the source's subscription is in place
    const send = (n: number) => device.publishAsync(topic, JSON.stringify({ n }), { qos: 1 });

    for (const n of range(1, 20)) await send(n);
    await waitFor(() => received(recorder).size === 20, 'messages 1–20');

    // the broker goes down while both are connected; the device keeps publishing into its client's queue
    await broker.stop();
    await waitFor(() => recorder.latest('mqtt-works.online')?.value === false, 'the source offline');
    expect(recorder.latest('W01.counter')).toMatchObject({ quality: 'bad', reason: 'connection lost', value: 20 });
    const queued = range(21, 40).map(send);
    await new Promise((r) => setTimeout(r, 300));
    await broker.start();
    await Promise.all(queued); // each acknowledged by the broker
    await waitFor(() => received(recorder).size === 40, 'messages 21–40 after the restart');
    expect(source.stats().reconnects).toBeGreaterThanOrEqual(1);
    expect(recorder.latest('mqtt-works.online')?.value).toBe(true);

    // the source goes away; the broker holds its session's messages, saves them, restarts
    await source.stop();
    for (const n of range(41, 60)) await send(n);
    await broker.stop();
    await broker.start();
    startSource(site, recorder); // the same client id: the same session
    await waitFor(() => received(recorder).size === 60, 'messages 41–60 held for the session across the restart');

    expect([...received(recorder)].sort((a, b) => a - b)).toEqual(range(1, 60));
  }, 30_000);
});
