/**
 * A three-node JetStream cluster on loopback (nodes of the test's own), streams with three replicas: one node
 * killed (SIGKILL) while samples keep coming through the collector buffer; the consumer gets exactly the
 * sequence pushed, none lost, none twice, none out of order.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSampleBuffer } from '../../collector/index.ts';
import { startNatsCluster, uniquePrefix } from '../testing/nats.ts';
import { numberedSamples } from '../testing/samples.ts';
import { waitFor } from '../testing/wait.ts';
import { createJetStreamBus } from './jetstream-bus.ts';

describe('the JetStream bus on a three-node cluster (R3 streams)', () => {
  let cluster: Awaited<ReturnType<typeof startNatsCluster>>;
  let dir: string;
  beforeAll(async () => {
    cluster = await startNatsCluster(3);
    dir = await mkdtemp(join(tmpdir(), 'ketwin-bus-cluster-'));
  });
  afterAll(async () => {
    await cluster?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('loses nothing when a node is killed', async () => {
    const prefix = uniquePrefix();
    const options = { servers: cluster.urls, prefix, publishTimeoutMs: 2000, stream: { replicas: 3 } };
    const publisher = createJetStreamBus(options);
    const consumer = createJetStreamBus(options);
    const buffer = createSampleBuffer({
      dir: join(dir, 'buffer'),
      batchSize: 500,
      maxInMemory: 5000,
      retry: { initialDelayMs: 50, maxDelayMs: 500 },
      downstream: (batch, at) => publisher.publishSamples(batch, { origin: 'run-1', ...at }),
    });
    const values: number[] = [];
    try {
      // the cluster elects its JetStream meta leader in a few seconds: the first publish waits for it
      for (const s of numberedSamples('a', 0, 100)) buffer.sink(s);
      await waitFor(() => buffer.stats().depth === 0, 'the stream to be made on the cluster', 30_000);
      await consumer.subscribeSamples({ name: 'engine', sites: ['a'], handle: (batch) => void values.push(...batch.map((s) => s.value as number)) });
      const total = 20_000;
      for (let i = 100; i < total; i += 100) {
        for (const s of numberedSamples('a', i, 100)) buffer.sink(s);
        if (i === 5000) await cluster.nodes[0]!.stop('SIGKILL');
        await new Promise((r) => setTimeout(r, 5));
      }
      await waitFor(() => values.length >= total, 'every sample at the consumer', 60_000);
      await new Promise((r) => setTimeout(r, 300));
      const firstWrong = values.findIndex((v, i) => v !== i);
      expect({ count: values.length, firstWrong, around: firstWrong < 0 ? [] : values.slice(Math.max(0, firstWrong - 2), firstWrong + 3) }).toEqual({
        count: total,
        firstWrong: -1,
        around: [],
      });
      expect(buffer.stats()).toMatchObject({ dropped: 0, depth: 0 });
      const nc = await connect({ servers: cluster.urls.slice(1) });
      try {
        // the cluster's leaders may still be changing after the kill (slowly on a busy machine): asked again until it answers
        const jsm = await jetstreamManager(nc, { checkAPI: false, timeout: 5000 });
        let info: Awaited<ReturnType<typeof jsm.streams.info>> | undefined;
        for (let tries = 0; !info && tries < 8; tries++) {
          info = await jsm.streams.info(`${prefix}_a`).catch(() => undefined);
          if (!info) await new Promise((r) => setTimeout(r, 1000));
        }
        if (!info) throw new Error(`no stream info for ${prefix}_a from the remaining nodes`);
        expect(info.config.num_replicas).toBe(3);
        expect(info.state.messages).toBeGreaterThanOrEqual(total / 500); // at most one message a buffer batch
      } finally {
        await nc.close();
      }
    } finally {
      await buffer.close();
      await consumer.close();
      await publisher.close();
    }
  });
});
