import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ModbusSource, Point, Site } from '../../model/index.ts';
import { startDepotSim, type DepotSim } from '../../sim/index.ts';
import type { Source } from '../source.ts';
import { createRecorder, loadDemoSite, waitFor } from '../test-support.ts';
import { startTestProxy } from '../test-proxy.ts';
import { createModbusSource } from './modbus-source.ts';

const MANUAL = 3_600_000;
const fast = { initialDelayMs: 50, maxDelayMs: 200 };

function modbusOf(site: Site, over: Partial<ModbusSource> = {}): { source: ModbusSource; points: Point[] } {
  const source = site.sources.find((s): s is ModbusSource => s.protocol === 'modbus')!;
  return { source: { ...source, pollIntervalMs: 100, timeoutMs: 300, ...over }, points: site.points.filter((p) => p.source === source.id) };
}

let demo: Site;
beforeAll(async () => {
  demo = await loadDemoSite();
});

describe('Modbus source against the simulated depot', () => {
  let sim: DepotSim;
  let site: Site;
  const started: Source[] = [];
  beforeAll(async () => {
    sim = await startDepotSim(demo, { tickMs: MANUAL, seed: 5 });
    site = sim.siteWithEndpoints();
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });
  afterAll(async () => {
    await sim?.stop();
  });

  async function startSource(over: Partial<ModbusSource> = {}) {
    const { source, points } = modbusOf(site, over);
    const recorder = createRecorder();
    const modbus = createModbusSource({ site: site.id, source, points, reconnect: fast });
    started.push(modbus);
    await modbus.start(recorder.sink);
    return { modbus, recorder, points };
  }

  it('reads every Modbus point, decoded to the value the device holds', async () => {
    const before = Date.now();
    const { recorder, points } = await startSource();
    expect(points).toHaveLength(9);
    await waitFor(() => points.every((p) => recorder.latest(p.id)), 'a sample of every point');
    for (const point of points) {
      const sample = recorder.latest(point.id)!;
      expect(sample, point.id).toMatchObject({ site: 'zhoushan-demo', point: point.id, quality: 'good' });
      expect(sample.ts).toBeGreaterThanOrEqual(before);
      const expected = sim.value(point.id);
      if (typeof expected === 'boolean') expect(sample.value, point.id).toBe(expected);
      else expect(sample.value as number, point.id).toBeCloseTo(expected, 4);
    }
    expect(recorder.latest('FP1.running')?.value).toBe(false);
    expect(recorder.latest('GEN1.ready')?.value).toBe(true);
  });

  it('coalesces the nine points into three requests per poll', async () => {
    const calls: string[] = [];
    const names: Record<number, string> = { 1: 'coils', 2: 'discrete', 3: 'holding', 4: 'input' };
    // what goes over the wire, read from the MBAP frames (12 bytes each: a read request)
    const proxy = await startTestProxy(Number(new URL(sim.endpoints.modbus).port), {
      tap: (chunk) => {
        for (let at = 0; at + 12 <= chunk.length; at += 12) calls.push(`${names[chunk[at + 7]!]}(${chunk.readUInt16BE(at + 8)},${chunk.readUInt16BE(at + 10)})`);
      },
    });
    try {
      const { recorder } = await startSource({ pollIntervalMs: 60_000, endpoint: `tcp://127.0.0.1:${proxy.port}` });
      await waitFor(() => recorder.samples.length >= 10, 'one full poll');
      expect(calls).toEqual(['holding(0,10)', 'coils(0,2)', 'discrete(0,2)']);
      expect(recorder.samples).toHaveLength(10); // nine points and rtu-fire.online
    } finally {
      await proxy.close();
    }
  });

  it('marks the point a device refuses with an exception bad, with the reason, keeps the rest of its read good, and recovers', async () => {
    const { recorder, modbus } = await startSource();
    await waitFor(() => recorder.latest('FP2.pressure')?.quality === 'good', 'a good reading');
    const address = site.points.find((p) => p.id === 'FP2.pressure')!.register!.address;
    sim.failModbus('FP2.pressure', 2);
    try {
      await waitFor(() => recorder.latest('FP2.pressure')?.quality === 'bad', 'the exception');
      expect(recorder.latest('FP2.pressure')).toMatchObject({ quality: 'bad', reason: `illegal data address ${address}–${address + 1} (holding, modbus exception 2)` });
      const last = recorder.latest('FP2.pressure')!;
      expect(typeof last.value).toBe('number');
      expect(Number.isNaN(last.value)).toBe(false); // keeps the last known value
      // the holding read was split: its other points read on, good
      await waitFor(() => recorder.samples.filter((s) => s.point === 'FWP1.level' && s.ts > last.ts).length > 0, 'the holding registers to be read on');
      for (const id of ['FWP1.level', 'FP1.pressure', 'FS1.concentrate_level', 'GEN1.fuel_level', 'FP1.running']) expect(recorder.latest(id)?.quality, id).toBe('good');
      expect(modbus.stats()).toMatchObject({ online: true, reconnects: 0 });
    } finally {
      sim.release('FP2.pressure');
    }
    await waitFor(() => recorder.latest('FP2.pressure')?.quality === 'good', 'recovery after release');
  });

  it('marks a request that gets no answer bad with "timeout", and recovers', async () => {
    const { recorder } = await startSource({ timeoutMs: 200 });
    await waitFor(() => recorder.latest('GEN1.ready')?.quality === 'good', 'a good reading');
    sim.failModbus('GEN1.ready', 'timeout');
    try {
      await waitFor(() => recorder.latest('GEN1.ready')?.quality === 'bad', 'the timeout');
      expect(recorder.latest('GEN1.ready')).toMatchObject({ quality: 'bad', reason: 'timeout', value: true });
      expect(recorder.latest('SR1.ready')).toMatchObject({ quality: 'bad', reason: 'timeout' });
    } finally {
      sim.release('GEN1.ready');
    }
    await waitFor(() => recorder.latest('GEN1.ready')?.quality === 'good', 'recovery after release');
  });

  it('polls every pollIntervalMs from start to start, however long the reads take', async () => {
    const starts: number[] = [];
    // a slow device: each of the three answers of a poll takes 50 ms, 150 ms of a 200 ms period
    const proxy = await startTestProxy(Number(new URL(sim.endpoints.modbus).port), {
      answerDelayMs: 50,
      tap: (chunk) => {
        if (chunk[7] === 3) starts.push(performance.now()); // the holding read opens each poll
      },
    });
    try {
      await startSource({ pollIntervalMs: 200, timeoutMs: 1000, endpoint: `tcp://127.0.0.1:${proxy.port}` });
      await waitFor(() => starts.length >= 8, 'eight polls');
      const gaps = starts
        .slice(1)
        .map((t, i) => t - starts[i]!)
        .sort((a, b) => a - b);
      // were the interval a pause after each poll, no gap could be under 350 ms
      expect(gaps[Math.floor(gaps.length / 2)]).toBeLessThan(300);
    } finally {
      await proxy.close();
    }
  });

  it('lets two instances of the driver poll side by side', async () => {
    const a = await startSource();
    const b = await startSource();
    await waitFor(() => a.recorder.samples.length > 9 && b.recorder.samples.length > 9, 'both to poll');
  });

  it('decodes every register type with scale and offset', async () => {
    const typed: Point[] = (
      [
        ['i16', 'holding', 20, 'int16', 0.1, 0, -123.4],
        ['u16', 'holding', 21, 'uint16', 0.01, 0, 512.25],
        ['i32', 'input', 0, 'int32', 1, -1000, -70000],
        ['u32', 'input', 2, 'uint32', 0.001, 0, 3000000.5],
        ['f32', 'input', 4, 'float32', 2, 10, 55.5],
        ['flag', 'holding', 22, 'bool', 1, 0, true],
      ] as const
    ).map(([name, table, address, type, scale, offset]) => ({
      asset: 'FP1',
      name,
      id: `FP1.${name}`,
      unit: '%',
      source: 'rtu-fire',
      staleAfterMs: 10_000,
      register: { table, address, type, order: 'ABCD' as const, scale, offset },
    }));
    const values: Record<string, number | boolean> = { 'FP1.i16': -123.4, 'FP1.u16': 512.25, 'FP1.i32': -70000, 'FP1.u32': 3000000.5, 'FP1.f32': 55.5, 'FP1.flag': true };
    const custom: Site = { ...demo, points: [...demo.points.filter((p) => p.source !== 'rtu-fire'), ...typed] };
    const typedSim = await startDepotSim(custom, { tickMs: MANUAL });
    const recorder = createRecorder();
    const { source } = modbusOf(typedSim.siteWithEndpoints());
    const modbus = createModbusSource({ site: demo.id, source, points: typed, reconnect: fast });
    try {
      for (const [id, value] of Object.entries(values)) typedSim.set(id, value);
      await modbus.start(recorder.sink);
      await waitFor(() => typed.every((p) => recorder.latest(p.id)), 'every typed point');
      for (const [id, value] of Object.entries(values)) {
        const sample = recorder.latest(id)!;
        expect(sample.quality, id).toBe('good');
        if (typeof value === 'boolean') expect(sample.value, id).toBe(value);
        else expect(sample.value as number, id).toBeCloseTo(value, 2);
      }
    } finally {
      await modbus.stop();
      await typedSim.stop();
    }
  });
});

describe('Modbus source lifecycle', () => {
  it('validates its configuration without connecting', () => {
    const { source, points } = modbusOf(demo);
    const make = (over: Partial<Parameters<typeof createModbusSource>[0]>) => () => createModbusSource({ site: demo.id, source, points, ...over });
    expect(make({})).not.toThrow();
    expect(make({ points: [{ ...points[0]!, register: undefined }] })).toThrow(/rtu-fire \(tcp:\/\/127\.0\.0\.1:15020\): point FWP1\.level has no register/);
    expect(make({ points: [{ ...points[0]!, source: 'plc-tankfarm' }] })).toThrow(/belongs to source plc-tankfarm/);
    expect(make({ source: { ...source, endpoint: 'tcp://127.0.0.1:70000' } })).toThrow(expect.objectContaining({ code: 'COLLECTOR_CONFIG' }));
    expect(make({ points: [{ ...points[0]!, register: { ...points[0]!.register!, address: 65535 } }] })).toThrow(/past register 65535/);
  });

  it('marks every point bad when the device goes away, and recovers when it is back', async () => {
    let sim = await startDepotSim(demo, { tickMs: MANUAL });
    const port = Number(new URL(sim.endpoints.modbus).port);
    const { source, points } = modbusOf(sim.siteWithEndpoints());
    const recorder = createRecorder();
    const modbus = createModbusSource({ site: demo.id, source, points, reconnect: fast });
    try {
      await modbus.start(recorder.sink);
      await waitFor(() => points.every((p) => recorder.latest(p.id)?.quality === 'good'), 'good readings');
      await sim.stop();
      await waitFor(() => points.every((p) => recorder.latest(p.id)?.quality === 'bad'), 'every point bad');
      expect(recorder.latest('FWP1.level')?.reason).toMatch(/^not connected \(/);
      const badCount = recorder.samples.filter((s) => s.quality === 'bad').length;
      await new Promise((r) => setTimeout(r, 400));
      expect(recorder.samples.filter((s) => s.quality === 'bad').length).toBe(badCount); // reported once per outage
      const restartedAt = Date.now();
      sim = await startDepotSim(demo, { modbusPort: port, tickMs: MANUAL });
      await waitFor(() => points.every((p) => recorder.of(p.id).some((s) => s.quality === 'good' && s.ts >= restartedAt)), 'every point back');
    } finally {
      await modbus.stop();
      await sim.stop();
    }
  });

  it('stops cleanly while the device is unreachable, leaving no timers', async () => {
    const { source, points } = modbusOf(demo, { endpoint: 'tcp://127.0.0.1:1' });
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const recorder = createRecorder();
    const modbus = createModbusSource({ site: demo.id, source, points, reconnect: fast });
    await modbus.start(recorder.sink);
    await waitFor(() => recorder.samples.length === points.length + 1, 'the outage to be reported');
    expect(recorder.samples[0]).toMatchObject({ point: 'rtu-fire.online', value: false, quality: 'good', reason: 'not connected (ECONNREFUSED)' });
    expect(recorder.samples.slice(1).every((s) => s.quality === 'bad' && s.reason === 'not connected (ECONNREFUSED)')).toBe(true);
    expect(modbus.stats()).toMatchObject({ source: 'rtu-fire', protocol: 'modbus', online: false, samples: points.length, reconnects: 0, lastLatencyMs: null });
    await modbus.stop();
    expect(timers()).toBeLessThanOrEqual(before);
  });
});
