import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMqttSource } from '../collector/mqtt/mqtt-source.ts';
import { endSession, SHARED_BROKER_URL } from '../collector/mqtt/test-broker.ts';
import { createRecorder, waitFor } from '../collector/test-support.ts';
import type { Source } from '../collector/source.ts';
import { parseSite, type MqttSource, type Site } from '../model/index.ts';
import { startMqttDevices, type MqttDevices } from './mqtt-devices.ts';

// the sample early work of the early-works-flood standard, on topics and a Sparkplug group of this run's own
const run = `sim${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const site: Site = parseSite(
  readFileSync(new URL('../standards/early-works-flood/fixtures/early-work-site.yaml', import.meta.url), 'utf8')
    .replace('sparkplugGroup: jinshui', `sparkplugGroup: ${run}`)
    .replaceAll('topic: jinshui/', `topic: ${run}/`),
  'early-work-site.yaml',
);
const recorder = createRecorder();
let devices: MqttDevices;
let source: Source;

beforeAll(async () => {
  const mqtt = site.sources.find((s): s is MqttSource => s.protocol === 'mqtt')!;
  source = createMqttSource({ site: site.id, source: { ...mqtt, clientId: `ketwin-${run}` }, points: site.points.filter((p) => p.source === mqtt.id) });
  await source.start(recorder.sink);
  await new Promise((r) => setTimeout(r, 300)); // subscribed
  devices = await startMqttDevices(site);
});
afterAll(async () => {
  await source?.stop();
  await devices?.stop();
  await endSession(SHARED_BROKER_URL, `ketwin-${run}`);
});

describe('simulated MQTT devices, made from the site file', () => {
  it('publishes each point as the site file reads it: JSON fields per topic, Sparkplug metrics per node and device', async () => {
    await waitFor(() => recorder.latest('W07.pump_power')?.quality === 'good', 'the edge node born');
    await devices.publish({ 'W07.water_level': 0.25, 'W07.water_inflow': 12, 'W07.pump_power': false, 'W07.barrier_closed': true, 'W07.door_closed': false, 'W07.occupied': true });
    await waitFor(
      () => recorder.latest('W07.water_inflow')?.value === 12 && recorder.latest('W07.occupied')?.value === true && recorder.latest('W07.pump_power')?.value === false,
      'the readings',
    );
    expect(recorder.latest('W07.water_level')).toMatchObject({ value: 0.25, quality: 'good' }); // sent as Double: exact
    expect(recorder.latest('W07.barrier_closed')).toMatchObject({ value: true, quality: 'good' });
    expect(recorder.latest('W07.door_closed')).toMatchObject({ value: false, quality: 'good' });
  });

  it('a node killed goes offline through its will; revived, it is born again with its last values', async () => {
    devices.kill('W07-edge');
    await waitFor(() => recorder.latest('W07.water_level')?.reason === 'node offline (NDEATH)', 'the will');
    await devices.revive('W07-edge');
    await waitFor(() => recorder.latest('W07.water_level')?.quality === 'good', 'the new birth');
    expect(recorder.latest('W07.water_level')?.value).toBe(0.25);
    expect(() => devices.kill('W99-edge')).toThrow('no Sparkplug edge node W99-edge on site ew-jinshui-07');
  });
});
