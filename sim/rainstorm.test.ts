import { afterAll, describe, expect, it } from 'vitest';
import { createCapSource } from '../collector/cap/cap-source.ts';
import { createMqttSource } from '../collector/mqtt/mqtt-source.ts';
import { endSession, SHARED_BROKER_URL } from '../collector/mqtt/test-broker.ts';
import type { Source } from '../collector/source.ts';
import { createRecorder, waitFor } from '../collector/test-support.ts';
import type { CapSource, MqttSource } from '../model/index.ts';
import { checkLoadedSite, loadStandard } from '../standards/index.ts';
import { createEarlyWorksDistrict } from './early-works-district.ts';
import { startMqttDevices, type MqttDevices } from './mqtt-devices.ts';
import { playRainstorm } from './rainstorm.ts';
import { startWarningFeed } from './warning-feed.ts';

const run = `rs${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
});

describe('an early-works district and its rainstorm scenario', () => {
  it('makes 20 works, half Sparkplug B nodes and half JSON devices, with their governance and two standing problems', async () => {
    const standard = await loadStandard(new URL('../standards/early-works-flood/1.0.0.yaml', import.meta.url).pathname);
    const sites = createEarlyWorksDistrict({ brokerUrl: SHARED_BROKER_URL, feedUrl: 'http://127.0.0.1:8090/cap/feed.xml' });
    expect(sites).toHaveLength(20);
    expect(new Set(sites.map((s) => s.id)).size).toBe(20);
    const sparkplug = sites.filter((s) => s.points.some((p) => p.mqtt && 'metric' in p.mqtt));
    expect(sparkplug).toHaveLength(10);
    expect(new Set(sites.map((s) => (s.assets[0] as { attributes: Record<string, unknown> }).attributes['governance']))).toEqual(new Set(['backfill', 'renovate', 'upgrade']));
    expect(sites[7]!.evidence.some((e) => e.kind === 'flood-drill')).toBe(false);
    // judged under the standard on the day the records are dated back from: the standing problems fail, the rest pass
    const verdicts = (i: number) =>
      Object.fromEntries(checkLoadedSite(sites[i]!, `${sites[i]!.id}.yaml`, [standard], { now: Date.parse('2026-12-07T00:00:00Z') }).results.map((r) => [r.clause, r.verdict]));
    expect(Object.values(verdicts(0)).every((v) => v === 'pass')).toBe(true);
    expect(verdicts(2)['EWF-PUMP-TEST']).toBe('fail');
    expect(verdicts(4)['EWF-GOVERNANCE-ON-SCHEDULE']).toBe('fail');
    expect(verdicts(7)['EWF-FLOOD-DRILL']).toBe('fail');
    // every fourth work has a siren on the district's test; each work's policy tells its flood team at once
    expect(sites.filter((s) => s.assets.some((a) => a.kind === 'siren')).map((s) => s.assets[0]!.id)).toEqual(['W01', 'W05', 'W09', 'W13', 'W17']);
    expect(verdicts(0)['EWF-SIREN-TEST']).toBe('pass');
    expect(sites[7]!.escalation).toMatchObject({
      regionCode: '410105',
      contacts: [{ id: 'flood-team-8', role: 'rescue' }, { role: 'civil-air-defence' }],
      steps: [{ afterMinutes: 0, notify: ['flood-team-8'] }, { afterMinutes: 15 }],
    });
    // the same seed, the same district
    expect(createEarlyWorksDistrict({ brokerUrl: SHARED_BROKER_URL, feedUrl: 'http://127.0.0.1:8090/cap/feed.xml' })).toEqual(sites);
  });

  it('plays the rainstorm through the devices and the warning feed: W08 flooding with its pump failed and people inside, red', async () => {
    const feed = await startWarningFeed({ areaCode: '410100', areaName: '郑州市', senderName: '郑州市气象台' });
    cleanup.push(() => feed.close());
    const sites = createEarlyWorksDistrict({ brokerUrl: SHARED_BROKER_URL, feedUrl: feed.url, count: 8, district: run });
    const recorder = createRecorder();
    const sources: Source[] = [];
    for (const site of [sites[2]!, sites[7]!]) {
      const mqtt = site.sources.find((s): s is MqttSource => s.protocol === 'mqtt')!;
      const cap = site.sources.find((s): s is CapSource => s.protocol === 'cap')!;
      sources.push(createMqttSource({ site: site.id, source: mqtt, points: site.points.filter((p) => p.source === mqtt.id) }));
      sources.push(createCapSource({ site: site.id, location: site.location, source: { ...cap, pollIntervalMs: 100 }, points: site.points.filter((p) => p.source === cap.id) }));
      cleanup.push(() => endSession(SHARED_BROKER_URL, mqtt.clientId!));
    }
    for (const source of sources) {
      await source.start(recorder.sink);
      cleanup.push(() => source.stop());
    }
    await new Promise((r) => setTimeout(r, 300)); // subscribed
    const devices = new Map<string, MqttDevices>();
    for (const site of sites) {
      const d = await startMqttDevices(site);
      devices.set(site.id, d);
      cleanup.push(() => d.stop());
    }
    const playback = playRainstorm({ sites, devices, feed, minuteMs: 150, repeatMs: 500 });
    cleanup.push(async () => playback.stop());
    await playback.done;
    const latest = (site: number, name: string) => [...recorder.samples].reverse().find((s) => s.site === sites[site]!.id && s.point === `${sites[site]!.assets[0]!.id}.${name}`);
    await waitFor(() => latest(7, 'water_level')?.value === 0.6 && latest(7, 'rainstorm_level')?.value === 4, 'the end of the scenario');
    expect(latest(7, 'occupied')).toMatchObject({ value: true, quality: 'good' });
    expect(latest(7, 'pump_available')).toMatchObject({ value: false, quality: 'good' });
    expect(latest(7, 'barrier_closed')?.value).toBe(true);
    expect(latest(2, 'barrier_closed')).toMatchObject({ value: false, quality: 'good' }); // W03: never put in
    expect(latest(2, 'water_inflow')?.value).toBe(40);
    expect(feed.documents()).toHaveLength(2); // yellow, then the update to red
  }, 30_000);
});
