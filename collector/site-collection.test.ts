import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sample, Site } from '../model/index.ts';
import { createSyntheticSite, startDepotSim, type DepotSim } from '../sim/index.ts';
import { startSiteCollection } from './site-collection.ts';
import { waitFor } from './test-support.ts';

/** 200 OPC-UA and 200 Modbus points moving every 100 ms, read every 100 ms: a few thousand samples a second */
function fastSite(): Site {
  const site = createSyntheticSite({ id: 'fast', opcuaPoints: 200, modbusPoints: 200 });
  return { ...site, sources: site.sources.map((s) => (s.protocol === 'opcua' ? { ...s, publishingIntervalMs: 100 } : { ...s, pollIntervalMs: 100 })) };
}

/** samples of each point arrive in time order */
function expectOrderedPerPoint(samples: Sample[]) {
  const last = new Map<string, number>();
  for (const s of samples) {
    const key = `${s.site}/${s.point}`;
    expect(s.ts, key).toBeGreaterThanOrEqual(last.get(key) ?? 0);
    last.set(key, s.ts);
  }
}

describe('site collection: sources → watchdog → spilling buffer → a slow consumer', () => {
  let sim: DepotSim;
  let site: Site;
  let dir: string;
  beforeAll(async () => {
    sim = await startDepotSim(fastSite(), { tickMs: 100 });
    site = sim.siteWithEndpoints();
    dir = await mkdtemp(join(tmpdir(), 'ketwin-collection-'));
  });
  afterAll(async () => {
    await sim?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('holds samples through a consumer outage (spilling to disk), hands over every one in order, and keeps what is left for the next start', async () => {
    const bufferDir = join(dir, 'buffer');
    const consumed: Sample[] = [];
    let down = true;
    let slowMs = 0;
    const collection = startSiteCollection({
      sites: [site],
      bufferDir,
      buffer: { maxInMemory: 500, batchSize: 100, segmentSize: 200, retry: { initialDelayMs: 20, maxDelayMs: 50 } },
      consume: async (batch) => {
        if (down) throw new Error('consumer down');
        if (slowMs) await new Promise((r) => setTimeout(r, slowMs));
        consumed.push(...batch);
      },
    });
    try {
      const perSource = site.points.length / 2;
      await waitFor(
        () => collection.stats().collected >= 3000 && collection.stats().sources.every((s) => s.samples >= 2 * perSource),
        'samples of every point to pile up while the consumer is down',
        30_000,
      );
      const outageEnd = Date.now();
      expect(consumed).toHaveLength(0);
      expect(collection.stats().buffer.onDisk).toBeGreaterThan(0); // past 500 in memory: on disk
      down = false;
      await waitFor(() => consumed.length >= 3000, 'the backlog to flow');
      // every point's outage samples came through, not only the ones after it
      for (const point of site.points)
        expect(
          consumed.some((s) => s.point === point.id && s.ts < outageEnd),
          point.id,
        ).toBe(true);

      // a consumer that falls behind at the end: stop leaves the rest on disk
      slowMs = 200;
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      await collection.stop();
    }
    const atStop = collection.stats();
    expect(atStop.buffer.dropped).toBe(0);
    expect(atStop.buffer.spilled).toBeGreaterThan(0);
    expect(atStop.buffer.onDisk).toBeGreaterThan(0);
    expect(consumed.length + atStop.buffer.onDisk).toBe(atStop.collected);
    expectOrderedPerPoint(consumed);

    // the next start consumes the leftovers first, then new samples; nothing lost across the restart
    const restartedAt = Date.now();
    const next: Sample[] = [];
    const again = startSiteCollection({ sites: [site], bufferDir, consume: (batch) => void next.push(...batch) });
    try {
      await waitFor(() => next.length > atStop.buffer.onDisk + 100, 'leftovers and then new samples');
    } finally {
      await again.stop();
    }
    expect(next.slice(0, atStop.buffer.onDisk).every((s) => s.ts < restartedAt)).toBe(true);
    expect(next[atStop.buffer.onDisk]).toMatchObject({ point: expect.stringMatching(/\.online$/), value: true }); // then the new run, from its first sample
    expect(next.length + again.stats().buffer.onDisk).toBe(atStop.buffer.onDisk + again.stats().collected);
    expectOrderedPerPoint([...consumed, ...next]);
  });
});
