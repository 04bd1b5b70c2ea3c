/**
 * The writer reading another queue's samples (main: the collector buffer's, as its consumer "db"):
 * written after the writer's own, each batch acked only once the database took it; while the
 * database is away they wait in that queue, and the writer's figures count them (the lag on
 * /metrics reads them).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sample } from '../model/index.ts';
import { openDurableQueue, sampleCodec } from '../queue/index.ts';
import type { Store } from './store.ts';
import { createPgliteTarget, type StoreTarget } from './store-targets.ts';
import { createStoreWriter } from './writer.ts';

const T0 = Date.UTC(2025, 5, 1);
const sample = (i: number, site = 'take'): Sample => ({ site, point: 'T1.level', ts: T0 + i * 1000, value: i, quality: 'good' });
let target: StoreTarget;
let store: Store;
let dir: string;
beforeAll(async () => {
  target = await createPgliteTarget();
  store = await target.open();
  dir = await mkdtemp(join(tmpdir(), 'ketwin-take-samples-'));
});
afterAll(async () => {
  await store?.close();
  await target?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('writer.takeSamples', () => {
  it('acks a batch only after the database took it; while it is away the samples wait in the queue and count as buffered', async () => {
    const queue = openDurableQueue<Sample>({ dir: join(dir, 'buffer'), codec: sampleCodec, consumers: ['db'], maxInMemory: 300 });
    let failing = true;
    const away = Object.create(store) as Store;
    away.writeSamples = async (rows) => {
      if (failing) throw new Error('connection refused (simulated outage)');
      await store.writeSamples(rows);
    };
    const writer = createStoreWriter(away, { flushMs: 5, retryMinMs: 5, retryMaxMs: 20, maxBatch: 100, drainTimeoutMs: 100 });
    writer.samples([sample(0, 'own')]); // the writer's own rows go first
    writer.takeSamples(queue.consumer('db'));
    for (let i = 0; i < 1000; i++) queue.append(sample(i));
    await expect(writer.flush()).rejects.toMatchObject({ code: 'DRAIN_TIMEOUT' });
    expect(queue.stats().rows).toBe(1000); // none acked: none stored
    expect(writer.stats()).toMatchObject({ buffered: 1 + 300, spilledRows: 700, written: 0 });

    failing = false;
    await writer.flush();
    expect(queue.stats()).toMatchObject({ rows: 0, segments: 0 });
    expect(writer.stats()).toMatchObject({ buffered: 0, spilledRows: 0, written: 1001 });
    expect((await store.series('take', 'T1.level', 0, T0 + 10_000_000)).map((p) => p.value)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    await writer.close();
    queue.close();
  });
});
