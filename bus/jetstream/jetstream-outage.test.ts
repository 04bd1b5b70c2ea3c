/**
 * The collector's buffer in front of the JetStream bus, with the broker (a nats-server of the test's
 * own) stopped and started again while samples keep coming: the consumer gets exactly the sequence
 * pushed, none lost, none twice, none out of order.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSampleBuffer } from '../../collector/index.ts';
import { startNatsServer, uniquePrefix, type NatsServerChild } from '../testing/nats.ts';
import { numberedSamples } from '../testing/samples.ts';
import { waitFor } from '../testing/wait.ts';
import { createJetStreamBus } from './jetstream-bus.ts';

describe('the JetStream bus behind the collector buffer, through a broker outage', () => {
  let nats: NatsServerChild;
  let dir: string;
  beforeAll(async () => {
    nats = await startNatsServer();
    dir = await mkdtemp(join(tmpdir(), 'ketwin-bus-outage-'));
  });
  afterAll(async () => {
    await nats?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('hands over every sample pushed, in order, once', async () => {
    const prefix = uniquePrefix();
    const publisher = createJetStreamBus({ servers: nats.url, prefix, publishTimeoutMs: 500 });
    const consumer = createJetStreamBus({ servers: nats.url, prefix, publishTimeoutMs: 500 });
    const buffer = createSampleBuffer({
      dir: join(dir, 'buffer'),
      batchSize: 500,
      maxInMemory: 5000,
      segmentSize: 2000,
      retry: { initialDelayMs: 50, maxDelayMs: 200 },
      downstream: (batch, at) => publisher.publishSamples(batch, { origin: 'run-1', ...at }),
    });
    const values: number[] = [];
    const sub = await consumer.subscribeSamples({ name: 'engine', sites: ['a', 'b'], handle: (batch) => void values.push(...batch.map((s) => s.value as number)) });
    try {
      const total = 30_000;
      for (let i = 0; i < total; i += 100) {
        // two sites interleaved: each message carries one site's rows with their positions
        for (const s of numberedSamples(i % 200 === 0 ? 'a' : 'b', i, 100)) buffer.sink(s);
        if (i === 10_000) await nats.stop();
        if (i === 20_000) await nats.start();
        await new Promise((r) => setTimeout(r, 3));
      }
      await waitFor(() => values.length >= total, 'every sample at the consumer', 60_000);
      await new Promise((r) => setTimeout(r, 300));
      const bySite = (site: string) => values.filter((v) => (Math.floor(v / 100) % 2 === 0) === (site === 'a'));
      expect(bySite('a')).toEqual(Array.from({ length: total / 2 }, (_, k) => Math.floor(k / 100) * 200 + (k % 100)));
      expect(bySite('b')).toEqual(Array.from({ length: total / 2 }, (_, k) => Math.floor(k / 100) * 200 + 100 + (k % 100)));
      expect(values).toHaveLength(total);
      expect(publisher.stats().connects).toBeGreaterThanOrEqual(2); // it did lose the link
      expect(buffer.stats()).toMatchObject({ dropped: 0, depth: 0 });
    } finally {
      await buffer.close();
      await sub.stop();
      await publisher.close();
      await consumer.close();
    }
  });
});
