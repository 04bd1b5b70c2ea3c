import { AttributeIds, DataType, MessageSecurityMode, OPCUAClient, SecurityPolicy } from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Site } from '../model/index.ts';
import { startDepotSim, type DepotSim } from '../sim/index.ts';
import { createSiteSources, createStaleWatchdog } from './index.ts';
import { createRecorder, loadDemoSite, waitFor } from './test-support.ts';

/** the prototype of node-opcua's session class, taken from a real session (the class itself is not exported) */
async function sessionPrototype(endpoint: string) {
  const client = OPCUAClient.create({ endpointMustExist: false, securityMode: MessageSecurityMode.None, securityPolicy: SecurityPolicy.None, connectionStrategy: { maxRetry: 0 } });
  await client.connect(endpoint);
  const session = await client.createSession();
  return {
    prototype: Object.getPrototypeOf(session) as Record<'write' | 'call', (...args: unknown[]) => unknown>,
    session,
    close: async () => (await session.close(), await client.disconnect()),
  };
}

describe('the whole collector of the demo site', () => {
  let demo: Site;
  let sim: DepotSim;
  beforeAll(async () => {
    demo = await loadDemoSite();
    sim = await startDepotSim(demo, { tickMs: 200 });
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await sim?.stop();
  });

  it('reads every point of the demo site through createSiteSources and never writes to a device', async () => {
    const probe = await sessionPrototype(sim.endpoints.opcua);
    const opcuaWrite = vi.spyOn(probe.prototype, 'write');
    const opcuaCall = vi.spyOn(probe.prototype, 'call');

    // the spies see a write when there is one
    await expect(
      probe.session.write({ nodeId: 'ns=1;s=T101.level', attributeId: AttributeIds.Value, value: { value: { dataType: DataType.Double, value: 1 } } }),
    ).resolves.toBeDefined();
    expect(opcuaWrite).toHaveBeenCalledTimes(1);
    opcuaWrite.mockClear();
    await probe.close();

    const site = sim.siteWithEndpoints();
    const recorder = createRecorder();
    const watchdog = createStaleWatchdog({ site: site.id, points: site.points, sink: recorder.sink });
    const sources = createSiteSources(site);
    expect(sources.map((s) => s.id)).toEqual(['plc-tankfarm', 'rtu-fire']);
    try {
      await Promise.all(sources.map((s) => s.start(watchdog.sink)));
      await waitFor(() => site.points.every((p) => recorder.latest(p.id)?.quality === 'good'), 'every point good');
      await new Promise((r) => setTimeout(r, 1500)); // a few more scans and polls
      sim.set('FP1.running', true);
      await waitFor(() => recorder.latest('FP1.running')?.value === true, 'the pump to show as running');
    } finally {
      await Promise.all(sources.map((s) => s.stop()));
      watchdog.stop();
    }
    expect(new Set(recorder.samples.map((s) => s.point)).size).toBe(site.points.length + 2); // every point and the two <source>.online
    expect(recorder.latest('plc-tankfarm.online')?.value).toBe(true);
    expect(recorder.latest('rtu-fire.online')?.value).toBe(true);
    expect(recorder.samples.every((s) => s.site === 'zhoushan-demo' && s.quality === 'good')).toBe(true);
    expect(opcuaWrite).not.toHaveBeenCalled();
    expect(opcuaCall).not.toHaveBeenCalled();
    // Modbus TCP goes through mbap-link.ts, which can only build read requests (codes 1–4); the device counts what arrived
    expect(sim.modbusWriteRequests).toBe(0);
  });
});
