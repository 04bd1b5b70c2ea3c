import { AttributeIds, MessageSecurityMode, OPCUAClient, SecurityPolicy, VariableIds } from 'node-opcua';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OpcuaSource, Point, Site } from '../../model/index.ts';
import { startDepotSim, type DepotSim } from '../../sim/index.ts';
import type { Source } from '../source.ts';
import { createRecorder, loadDemoSite, waitFor } from '../test-support.ts';
import { createOpcuaSource } from './opcua-source.ts';

const fast = { initialDelayMs: 100, maxDelayMs: 500 };

function opcuaOf(site: Site, publishingIntervalMs = 100): { source: OpcuaSource; points: Point[] } {
  const source = site.sources.find((s): s is OpcuaSource => s.protocol === 'opcua')!;
  return { source: { ...source, publishingIntervalMs }, points: site.points.filter((p) => p.source === source.id) };
}

/** sessions open on the server, read over the wire from the server's own diagnostics */
async function sessionCount(endpoint: string): Promise<number> {
  const client = OPCUAClient.create({ endpointMustExist: false, securityMode: MessageSecurityMode.None, securityPolicy: SecurityPolicy.None, connectionStrategy: { maxRetry: 0 } });
  await client.connect(endpoint);
  const session = await client.createSession();
  try {
    const dataValue = await session.read({ nodeId: `i=${VariableIds.Server_ServerDiagnostics_ServerDiagnosticsSummary_CurrentSessionCount}`, attributeId: AttributeIds.Value });
    return (dataValue.value.value as number) - 1; // not counting this one
  } finally {
    await session.close();
    await client.disconnect();
  }
}

let demo: Site;
beforeAll(async () => {
  demo = await loadDemoSite();
});

describe('OPC-UA source against the simulated depot', () => {
  let sim: DepotSim;
  let site: Site;
  const started: Source[] = [];
  beforeAll(async () => {
    sim = await startDepotSim(demo, { tickMs: 100, seed: 3 });
    site = sim.siteWithEndpoints();
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });
  afterAll(async () => {
    await sim?.stop();
  });

  async function startSource(recorder = createRecorder()) {
    const { source, points } = opcuaOf(site);
    const opcua = createOpcuaSource({ site: site.id, source, points, reconnect: fast });
    started.push(opcua);
    await opcua.start(recorder.sink);
    return { opcua, recorder, points };
  }

  it('reads every OPC-UA point with good quality and the source timestamp', async () => {
    const before = Date.now();
    const { recorder, points } = await startSource();
    expect(points.map((p) => p.id)).toEqual(site.points.filter((p) => p.node).map((p) => p.id)); // every point with a node id is the PLC's
    await waitFor(() => points.every((p) => recorder.latest(p.id)), 'a sample of every point');
    for (const point of points) {
      const sample = recorder.latest(point.id)!;
      expect(sample, point.id).toMatchObject({ site: 'zhoushan-demo', point: point.id, quality: 'good' });
      expect(typeof sample.value).toBe(point.unit === 'bool' ? 'boolean' : 'number');
      expect(sample.reason).toBeUndefined();
      expect(sample.ts).toBeGreaterThan(before - 5_000);
      expect(sample.ts).toBeLessThanOrEqual(Date.now());
    }
    const levels = recorder.of('T101.level').map((s) => s.value as number);
    expect(levels.every((l) => l >= 2 && l < 19)).toBe(true);
  });

  it('delivers a forced value, and sees every scan even when the value holds', async () => {
    const { recorder } = await startSource();
    sim.set('GD201.gas', 30);
    try {
      await waitFor(() => recorder.of('GD201.gas').filter((s) => s.value === 30).length >= 3, 'three scans of the forced value');
      const scans = recorder.of('GD201.gas').filter((s) => s.value === 30);
      expect(new Set(scans.map((s) => s.ts)).size).toBe(scans.length);
      expect(scans.every((s) => s.quality === 'good')).toBe(true);
    } finally {
      sim.release('GD201.gas');
    }
  });

  it('lets two instances of the driver run side by side', async () => {
    const a = await startSource();
    const b = await startSource();
    await waitFor(() => a.recorder.latest('WS1.wind_speed') !== undefined && b.recorder.latest('WS1.wind_speed') !== undefined, 'both instances to read');
  });

  it('marks a point it cannot monitor bad with the status name', async () => {
    const { source, points } = opcuaOf(site);
    const ghost: Point = { ...points[0]!, name: 'ghost', id: 'T101.ghost', node: 'ns=1;s=T101.ghost' };
    const recorder = createRecorder();
    const opcua = createOpcuaSource({ site: site.id, source, points: [points[0]!, ghost], reconnect: fast });
    started.push(opcua);
    await opcua.start(recorder.sink);
    await waitFor(() => recorder.latest('T101.ghost') !== undefined && recorder.latest('T101.level') !== undefined, 'both points');
    expect(recorder.latest('T101.ghost')).toMatchObject({ quality: 'bad', reason: 'BadNodeIdUnknown' });
    expect(recorder.latest('T101.level')).toMatchObject({ quality: 'good' });
  });

  it('closes its session on stop', async () => {
    const baseline = await sessionCount(sim.endpoints.opcua);
    const { opcua, recorder } = await startSource();
    await waitFor(() => recorder.samples.length > 0, 'a first sample');
    expect(await sessionCount(sim.endpoints.opcua)).toBe(baseline + 1);
    await opcua.stop();
    expect(await sessionCount(sim.endpoints.opcua)).toBe(baseline);
    const after = recorder.samples.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(recorder.samples.length).toBe(after);
  });
});

describe('OPC-UA source lifecycle', () => {
  it('validates its configuration without connecting', () => {
    const { source, points } = opcuaOf(demo);
    const make = (over: Partial<Parameters<typeof createOpcuaSource>[0]>) => () => createOpcuaSource({ site: demo.id, source, points, ...over });
    expect(make({})).not.toThrow();
    expect(make({ source: { ...source, securityMode: 'SignAndEncrypt' } })).toThrow(/plc-tankfarm \(opc\.tcp:\/\/127\.0\.0\.1:48400\/ketwin\).*SignAndEncrypt/);
    expect(make({ points: [{ ...points[0]!, node: 'ns=one;s=' }] })).toThrow(/malformed node id/);
    expect(make({ points: [{ ...points[0]!, source: 'rtu-fire' }] })).toThrow(/T101\.level belongs to source rtu-fire/);
    expect(make({ points: [{ ...points[0]!, node: undefined }] })).toThrow(expect.objectContaining({ code: 'COLLECTOR_CONFIG' }));
  });

  it('keeps trying while the server is down and reads once it comes up', async () => {
    const probe = await startDepotSim(demo, { tickMs: 3_600_000 });
    const port = Number(new URL(probe.endpoints.opcua).port);
    await probe.stop();
    const { source, points } = opcuaOf(probe.siteWithEndpoints());
    const recorder = createRecorder();
    const opcua = createOpcuaSource({ site: demo.id, source, points, reconnect: fast });
    await opcua.start(recorder.sink); // returns without waiting for the device
    let sim: DepotSim | undefined;
    try {
      // a server down from the start is a comms loss too: offline, every point bad, once
      await waitFor(() => recorder.latest('plc-tankfarm.online') !== undefined, 'the outage to be reported');
      await new Promise((r) => setTimeout(r, 500));
      expect(recorder.samples).toHaveLength(points.length + 1);
      expect(recorder.samples[0]).toMatchObject({ point: 'plc-tankfarm.online', value: false, quality: 'good', reason: 'not connected' });
      expect(recorder.samples.slice(1).every((s) => s.quality === 'bad' && s.reason === 'not connected')).toBe(true);
      sim = await startDepotSim(demo, { opcuaPort: port, tickMs: 100 });
      await waitFor(() => recorder.samples.some((s) => s.quality === 'good'), 'good samples once the server is up');
      await waitFor(() => recorder.latest('plc-tankfarm.online')?.value === true, 'online again');
    } finally {
      await opcua.stop();
      await sim?.stop();
    }
  });

  it('recovers on its own when the server restarts on the same port', async () => {
    let sim = await startDepotSim(demo, { tickMs: 100 });
    const port = Number(new URL(sim.endpoints.opcua).port);
    const { source, points } = opcuaOf(sim.siteWithEndpoints());
    const recorder = createRecorder();
    const opcua = createOpcuaSource({ site: demo.id, source, points, reconnect: fast });
    try {
      await opcua.start(recorder.sink);
      await waitFor(() => recorder.latest('T101.level')?.quality === 'good', 'a good reading');
      await sim.stop();
      await waitFor(() => recorder.latest('T101.level')?.quality === 'bad', 'the loss to show as bad');
      expect(recorder.latest('T101.level')).toMatchObject({ quality: 'bad', reason: 'connection lost' });
      const restartedAt = Date.now();
      sim = await startDepotSim(demo, { opcuaPort: port, tickMs: 100 });
      sim.set('T102.level', 12.345);
      await waitFor(
        () => recorder.samples.some((s) => s.point === 'T102.level' && s.value === 12.345 && s.quality === 'good' && s.ts >= restartedAt),
        'fresh readings from the restarted server',
        30_000,
      );
      await waitFor(() => points.every((p) => recorder.of(p.id).some((s) => s.quality === 'good' && s.ts >= restartedAt)), 'every point back');
    } finally {
      await opcua.stop();
      await sim.stop();
    }
  });

  it('can be stopped while it is still trying to connect, leaving no timers', async () => {
    const { source, points } = opcuaOf(demo);
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const opcua = createOpcuaSource({ site: demo.id, source: { ...source, endpoint: 'opc.tcp://127.0.0.1:1/ketwin' }, points, reconnect: fast });
    await opcua.start(() => {});
    await new Promise((r) => setTimeout(r, 300));
    await opcua.stop();
    await new Promise((r) => setTimeout(r, 50));
    expect(timers()).toBeLessThanOrEqual(before);
  });
});

describe('OPC-UA sampling interval', () => {
  let sim: DepotSim;
  afterAll(async () => {
    await sim?.stop();
  });

  it('samplingIntervalMs 0 reports every change, two within one publishing interval included, in order', async () => {
    sim = await startDepotSim(demo, { tickMs: 3_600_000, seed: 5 }); // scans only when the test runs one
    const site = sim.siteWithEndpoints();
    const { source, points } = opcuaOf(site, 1000);
    const opcua = createOpcuaSource({ site: site.id, source: { ...source, samplingIntervalMs: 0 }, points, reconnect: fast });
    const recorder = createRecorder();
    try {
      await opcua.start(recorder.sink);
      await waitFor(() => recorder.latest('T101.level') !== undefined, 'the first value');
      // 2 ms apart: a server sampling once per second would see only the second
      for (const value of [7.25, 7.5]) {
        sim.set('T101.level', value);
        sim.tick();
        await new Promise((r) => setTimeout(r, 2));
      }
      await waitFor(() => recorder.latest('T101.level')?.value === 7.5, 'the second change');
      expect(
        recorder
          .of('T101.level')
          .map((s) => s.value)
          .slice(-2),
      ).toEqual([7.25, 7.5]);
    } finally {
      await opcua.stop();
    }
  });
});
