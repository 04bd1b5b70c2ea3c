import { AttributeIds, MessageSecurityMode, OPCUAClient, SecurityPolicy, VariableIds } from 'node-opcua';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OpcuaSource, Point, Site } from '../../model/index.ts';
import { startDepotSim } from '../../sim/index.ts';
import { createRecorder, loadDemoSite, waitFor } from '../test-support.ts';
import { createOpcuaSource } from './opcua-source.ts';

const fast = { initialDelayMs: 100, maxDelayMs: 500 };
const Summary = VariableIds;

/** sessions and subscriptions open on the server, from its own diagnostics, not counting the probe */
async function serverCounts(endpoint: string): Promise<{ sessions: number; subscriptions: number }> {
  const client = OPCUAClient.create({ endpointMustExist: false, securityMode: MessageSecurityMode.None, securityPolicy: SecurityPolicy.None, connectionStrategy: { maxRetry: 0 } });
  await client.connect(endpoint);
  const session = await client.createSession();
  try {
    const [sessions, subscriptions] = await session.read([
      { nodeId: `i=${Summary.Server_ServerDiagnostics_ServerDiagnosticsSummary_CurrentSessionCount}`, attributeId: AttributeIds.Value },
      { nodeId: `i=${Summary.Server_ServerDiagnostics_ServerDiagnosticsSummary_CurrentSubscriptionCount}`, attributeId: AttributeIds.Value },
    ]);
    return { sessions: (sessions!.value.value as number) - 1, subscriptions: subscriptions!.value.value as number };
  } finally {
    await session.close();
    await client.disconnect();
  }
}

let demo: Site;
beforeAll(async () => {
  demo = await loadDemoSite();
});

function opcuaOf(site: Site, over: Partial<OpcuaSource> = {}): { source: OpcuaSource; points: Point[] } {
  const source = site.sources.find((s): s is OpcuaSource => s.protocol === 'opcua')!;
  return { source: { ...source, publishingIntervalMs: 100, ...over }, points: site.points.filter((p) => p.source === source.id) };
}

describe('OPC-UA reconnection', () => {
  it('after the server is killed and restarted: one session, its subscriptions once, values flowing, the gap marked bad', async () => {
    const cap = 10; // the PLC takes at most 10 monitored items per subscription
    let sim = await startDepotSim(demo, { tickMs: 100, maxMonitoredItemsPerSubscription: cap });
    const port = Number(new URL(sim.endpoints.opcua).port);
    const { source, points } = opcuaOf(sim.siteWithEndpoints(), { maxItemsPerSubscription: cap });
    const subscriptions = Math.ceil(points.length / cap);
    expect(subscriptions).toBeGreaterThan(1);
    const recorder = createRecorder();
    const opcua = createOpcuaSource({ site: demo.id, source, points, reconnect: fast });
    try {
      await opcua.start(recorder.sink);
      await waitFor(() => points.every((p) => recorder.latest(p.id)?.quality === 'good'), 'every point good');
      expect(await serverCounts(sim.endpoints.opcua)).toEqual({ sessions: 1, subscriptions });

      const killedAt = Date.now();
      await sim.stop();
      await waitFor(() => recorder.latest('plc-tankfarm.online')?.value === false, 'the source to go offline');
      for (const point of points) expect(recorder.latest(point.id), point.id).toMatchObject({ quality: 'bad', reason: 'connection lost' });
      await new Promise((r) => setTimeout(r, 1500)); // down for a while: several reconnection attempts
      const restartedAt = Date.now();
      sim = await startDepotSim(demo, { opcuaPort: port, tickMs: 100, maxMonitoredItemsPerSubscription: cap });
      await waitFor(() => points.every((p) => recorder.of(p.id).some((s) => s.quality === 'good' && s.ts >= restartedAt)), 'every point back', 30_000);
      expect(recorder.latest('plc-tankfarm.online')?.value).toBe(true);

      // the gap: nothing good between the kill and the restart, and a bad mark for every point
      for (const point of points) {
        const during = recorder.of(point.id).filter((s) => s.ts >= killedAt && s.ts < restartedAt);
        expect(during.at(-1), point.id).toMatchObject({ quality: 'bad', reason: 'connection lost' });
        expect(
          during.filter((s) => s.ts > killedAt + 500).every((s) => s.quality === 'bad'),
          point.id,
        ).toBe(true);
      }
      // exactly once: one session, three subscriptions, and each scan seen once per point
      await new Promise((r) => setTimeout(r, 1000));
      expect(await serverCounts(sim.endpoints.opcua)).toEqual({ sessions: 1, subscriptions });
      const since = Date.now();
      await new Promise((r) => setTimeout(r, 1000));
      for (const point of points) {
        const fresh = recorder.of(point.id).filter((s) => s.ts >= since);
        expect(fresh.length, point.id).toBeGreaterThanOrEqual(5);
        expect(new Set(fresh.map((s) => s.ts)).size, `${point.id} duplicated`).toBe(fresh.length);
      }
      expect(opcua.stats().reconnects).toBeGreaterThanOrEqual(1);
      expect(opcua.stats().online).toBe(true);
      expect(opcua.stats().samplesPerSec).toBeGreaterThan(0);
      expect(opcua.stats().lastLatencyMs).toBeGreaterThanOrEqual(0);
    } finally {
      await opcua.stop();
      await sim.stop();
    }
  });

  it('reports a deadband point only past its deadband, and refreshes it on keep-alive so it never looks stale', async () => {
    const sim = await startDepotSim(demo, { tickMs: 50 });
    const { source, points } = opcuaOf(sim.siteWithEndpoints());
    const level: Point = { ...points.find((p) => p.id === 'T101.level')!, deadband: 1, staleAfterMs: 1500 };
    const recorder = createRecorder();
    const opcua = createOpcuaSource({ site: demo.id, source, points: [level], reconnect: fast });
    try {
      sim.set('T101.level', 10);
      await opcua.start(recorder.sink);
      await waitFor(() => recorder.latest('T101.level')?.value === 10, 'the first value');
      sim.set('T101.level', 10.5); // within the deadband: not reported
      await new Promise((r) => setTimeout(r, 600));
      sim.set('T101.level', 12); // past it
      await waitFor(() => recorder.latest('T101.level')?.value === 12, 'the move past the deadband');
      expect(recorder.of('T101.level').some((s) => s.value === 10.5)).toBe(false);
      // held still for 3 s at a 50 ms scan: keep-alives keep the point fresh (gaps well under staleAfterMs), not one sample per scan
      const since = Date.now();
      await new Promise((r) => setTimeout(r, 3000));
      const held = recorder.of('T101.level').filter((s) => s.ts >= since);
      expect(held.length).toBeGreaterThanOrEqual(3);
      expect(held.length).toBeLessThan(20);
      expect(held.every((s) => s.value === 12 && s.quality === 'good')).toBe(true);
      const arrivals = [since, ...held.map((s) => s.ts)];
      for (let i = 1; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - 1]!).toBeLessThan(level.staleAfterMs);
    } finally {
      await opcua.stop();
      await sim.stop();
    }
  });
});
