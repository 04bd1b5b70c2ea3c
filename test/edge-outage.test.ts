/**
 * `ketwin edge` through a NATS outage: a simulated depot (Modbus on loopback) → the edge's collectors and
 * disk buffer → JetStream on a nats-server of the test's own, stopped for a while and started again →
 * a durable consumer. Every sample the edge collected arrives, in order per point, none twice.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJetStreamBus, type BusMessage, type JetStreamBus } from '../bus/index.ts';
import { startNatsServer, uniquePrefix, type NatsServerChild } from '../bus/testing/nats.ts';
import { waitFor } from '../bus/testing/wait.ts';
import { startEdge, type Edge } from '../main.ts';
import type { Sample, Site } from '../model/index.ts';
import { createSyntheticSite, startDepotSim, type DepotSim } from '../sim/index.ts';

/** 40 Modbus points read every 100 ms: some 400 samples a second */
function depot(): Site {
  const site = createSyntheticSite({ id: 'edge-depot', modbusPoints: 40 });
  return { ...site, sources: site.sources.map((s) => ({ ...s, pollIntervalMs: 100 })) };
}

describe('ketwin edge', () => {
  let nats: NatsServerChild;
  let sim: DepotSim;
  let dir: string;
  let central: JetStreamBus;
  let edge: Edge | undefined;
  const prefix = uniquePrefix();
  beforeAll(async () => {
    nats = await startNatsServer();
    sim = await startDepotSim(depot(), { tickMs: 100 });
    dir = await mkdtemp(join(tmpdir(), 'ketwin-edge-'));
  });
  afterAll(async () => {
    await edge?.close();
    await central?.close();
    await sim?.stop();
    await nats?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps collecting to disk while NATS is down and publishes everything, in order and once, when it returns', async () => {
    const site = sim.siteWithEndpoints();
    edge = await startEdge({
      sites: [site],
      dataDir: dir,
      simulate: false,
      logger: pino({ level: 'silent' }),
      bus: { servers: nats.url, prefix, publishTimeoutMs: 1000 },
      healthEveryMs: 300,
    });
    central = createJetStreamBus({ servers: nats.url, prefix, publishTimeoutMs: 1000 });
    const received: Sample[] = [];
    const health: BusMessage[] = [];
    const samples = await central.subscribeSamples({ name: 'central', sites: [site.id], handle: (batch) => void received.push(...batch) });
    await central.subscribe('health', { name: 'central', sites: [site.id], handle: (_, m) => void health.push(m) });
    await waitFor(() => received.length >= 400, 'samples through JetStream');

    await nats.stop();
    const outageStart = Date.now();
    const before = edge.stats().collection.collected;
    await waitFor(() => edge!.stats().collection.collected >= before + 1200, 'samples collected during the outage', 30_000);
    const during = edge.stats();
    expect(during.bus.connected).toBe(false);
    expect(during.collection.buffer.depth).toBeGreaterThan(1000); // waiting in the buffer, not lost
    const outageEnd = Date.now();

    await nats.start();
    await waitFor(() => edge!.stats().collection.buffer.depth < 200, 'the backlog to go out', 60_000);
    await edge.close();
    const { collection, bus } = edge.stats();
    edge = undefined;
    expect(collection.buffer.dropped).toBe(0);
    const published = collection.buffer.delivered;
    expect(published + collection.buffer.onDisk).toBe(collection.collected);
    await waitFor(() => received.length >= published, `all ${published} published samples at the consumer`, 30_000);
    await new Promise((r) => setTimeout(r, 300)); // nothing more comes
    expect(received).toHaveLength(published);
    expect(bus.samples).toBe(published); // each stored once (a repeat would be a duplicate PubAck)

    const seen = new Set<string>();
    const last = new Map<string, number>();
    for (const s of received) {
      const key = `${s.point}|${s.ts}|${String(s.value)}|${s.quality}|${s.reason ?? ''}`;
      expect(seen.has(key), `twice: ${key}`).toBe(false);
      seen.add(key);
      expect(s.ts, s.point).toBeGreaterThanOrEqual(last.get(s.point) ?? 0);
      last.set(s.point, s.ts);
    }
    // every point's readings from the outage came through
    for (const point of site.points)
      expect(
        received.some((s) => s.point === point.id && s.ts > outageStart && s.ts < outageEnd && s.quality === 'good'),
        point.id,
      ).toBe(true);
    expect(samples.stats().duplicates).toBe(0);

    // its health: the link and the backlog, on <prefix>.<site>.health
    const beats = health.map((m) => m.data as { link: string; backlog: { samples: number }; sources: { id: string; online: boolean }[] });
    expect(health.every((m) => m.type === 'edge-health')).toBe(true);
    expect(beats.some((b) => b.link === 'up' && b.sources.some((s) => s.online))).toBe(true);
  });

  it('an edge stopped while NATS is down keeps its backlog on disk; the next start publishes it first, in order, once', async () => {
    const site = sim.siteWithEndpoints();
    const own = uniquePrefix();
    const dataDir = join(dir, 'restart');
    const options = {
      sites: [site],
      dataDir,
      simulate: false as const,
      logger: pino({ level: 'silent' }),
      bus: { servers: nats.url, prefix: own, publishTimeoutMs: 1000 },
      healthEveryMs: 1000,
    };
    const consumer = createJetStreamBus({ servers: nats.url, prefix: own, publishTimeoutMs: 1000 });
    const received: Sample[] = [];
    try {
      await consumer.subscribeSamples({ name: 'central', sites: [site.id], handle: (batch) => void received.push(...batch) });
      const first = await startEdge(options);
      await waitFor(() => first.stats().bus.samples >= 200, 'the first edge to publish');
      await nats.stop();
      await waitFor(() => first.stats().collection.buffer.depth >= 800, 'a backlog while NATS is down', 30_000);
      await first.close();
      const one = first.stats();
      expect(one.collection.buffer.onDisk).toBeGreaterThanOrEqual(800); // kept for the next start

      await nats.start();
      edge = await startEdge(options);
      await waitFor(() => edge!.stats().collection.buffer.delivered >= one.collection.buffer.onDisk + 400, 'the backlog and new samples to go out', 60_000);
      await edge.close();
      const two = edge.stats();
      edge = undefined;
      const published = one.bus.samples + two.bus.samples;
      expect(published).toBe(one.collection.buffer.delivered + two.collection.buffer.delivered);
      expect(one.collection.collected + two.collection.collected).toBe(published + two.collection.buffer.onDisk);
      await waitFor(() => received.length >= published, `all ${published} samples at the consumer`, 30_000);
      await new Promise((r) => setTimeout(r, 300));
      expect(received).toHaveLength(published);
      const last = new Map<string, number>();
      for (const s of received) {
        expect(s.ts, s.point).toBeGreaterThanOrEqual(last.get(s.point) ?? 0); // the backlog came before the new samples
        last.set(s.point, s.ts);
      }
    } finally {
      await consumer.close();
    }
  });
});
