/**
 * The telemetry bus over NATS JetStream (the nats-server at NATS_URL, default nats://127.0.0.1:4222; streams of
 * the bench's own, deleted after), wired as `ketwin edge` and `ketwin central` wire it:
 * - publish: samples/s from the collector buffer through the JetStream publisher (acked in the queue after
 *   the PubAck), 10 sites × 2,000 points, 1,000 samples a batch (--batch); bytes a sample on the wire;
 * - consume: samples/s a durable consumer per site takes them back (in order, acked one message at a time);
 * - both: samples/s end to end with the publisher and the consumers running at once (one process, 2 cores).
 * CPU µs per sample of this process for each. Prints one JSON line on stdout; progress on stderr.
 *   npx tsx bench/bus.bench.ts [--samples 1000000] [--batch 1000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createJetStreamBus } from '../bus/index.ts';
import { deleteStreams, natsUrl, uniquePrefix } from '../bus/testing/nats.ts';
import { createSampleBuffer } from '../collector/index.ts';
import type { Sample } from '../model/index.ts';

const { values: args } = parseArgs({ options: { samples: { type: 'string', default: '1000000' }, batch: { type: 'string', default: '1000' } } });
const N = Number(args.samples);
const BATCH = Number(args.batch);
const SITES = Array.from({ length: 10 }, (_, i) => `bench-${i}`);
const log = (m: string): void => void process.stderr.write(`bus: ${m}\n`);
const T0 = Date.UTC(2025, 0, 1);

/** site after site in runs of 1,000 (a batch each): demo-like readings of 2,000 points per site */
function makeSamples(n: number, from = 0): Sample[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const site = SITES[Math.floor(i / 1000) % SITES.length]!;
    const p = i % 2000;
    const value = p % 20 === 0 ? (i & 1) === 0 : 10 + Math.sin(i / 1000) * 5 + p / 100;
    return { site, point: `A${p}.value`, ts: T0 + Math.floor(i / 2000) * 1000, value, quality: 'good' };
  });
}

async function measure(what: string, run: () => Promise<number>): Promise<{ perS: number; cpuUsPerSample: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const samples = await run();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const result = { perS: Math.round(samples / seconds), cpuUsPerSample: +((used.user + used.system) / samples).toFixed(2) };
  log(`${what}: ${JSON.stringify(result)}`);
  return result;
}

const url = natsUrl();
const prefix = uniquePrefix();
const dir = await mkdtemp(join(tmpdir(), 'ketwin-bus-bench-'));
const out: Record<string, unknown> = { bench: 'bus', samples: N, sites: SITES.length, batch: BATCH, nats: url };
const publisher = createJetStreamBus({ servers: url, prefix });
const consumer = createJetStreamBus({ servers: url, prefix });
try {
  const pushAll = async (bufferDir: string, from: number): Promise<number> => {
    const buffer = createSampleBuffer({
      dir: join(dir, bufferDir),
      batchSize: BATCH,
      maxInMemory: 200_000,
      downstream: (batch, at) => publisher.publishSamples(batch, { origin: bufferDir, ...at }),
    });
    for (let i = 0; i < N; i += 100_000) {
      for (const s of makeSamples(Math.min(100_000, N - i), from + i)) buffer.sink(s);
      await new Promise((r) => setImmediate(r));
    }
    await buffer.drained();
    await buffer.close();
    return N;
  };
  const bytesBefore = publisher.stats().bytes;
  out.publish = await measure('publish', () => pushAll('publish', 0));
  out.bytesPerSample = +((publisher.stats().bytes - bytesBefore) / N).toFixed(1);

  let taken = 0;
  let target = N;
  let reached: (() => void) | undefined;
  const consume = () => new Promise<void>((resolve) => (reached = resolve));
  const done = consume();
  out.consume = await measure('consume', async () => {
    await consumer.subscribeSamples({
      name: 'bench',
      sites: SITES,
      handle: (batch) => {
        taken += batch.length;
        if (taken >= target) reached?.();
      },
    });
    await done;
    return N;
  });

  target = 2 * N;
  const both = consume();
  out.both = await measure('both', async () => {
    await pushAll('both', N);
    await both;
    return N;
  });
  out.rssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
} finally {
  await consumer.close();
  await publisher.close();
  await deleteStreams(url, prefix);
  await rm(dir, { recursive: true, force: true });
}
console.log(JSON.stringify(out));
