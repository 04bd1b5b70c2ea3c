/** Against the real nats-server at NATS_URL: each test its own prefix (so its own streams), deleted after. */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sample } from '../../model/index.ts';
import type { BusMessage } from '../bus.ts';
import { deleteStreams, freePort, natsUrl, startNatsServer, uniquePrefix } from '../testing/nats.ts';
import { numberedSamples } from '../testing/samples.ts';
import { waitFor } from '../testing/wait.ts';
import { DEAD_LETTER_HEADERS } from './durable-subscription.ts';
import { createJetStreamBus, type JetStreamBus } from './jetstream-bus.ts';

const url = natsUrl();
let prefix = '';
const buses: JetStreamBus[] = [];
function bus(options: Partial<Parameters<typeof createJetStreamBus>[0]> = {}): JetStreamBus {
  prefix ||= uniquePrefix();
  const b = createJetStreamBus({ servers: url, prefix, publishTimeoutMs: 3000, ackWaitMs: 2000, retryDelayMs: 50, ...options });
  buses.push(b);
  return b;
}

afterEach(async () => {
  await Promise.all(buses.splice(0).map((b) => b.close()));
  if (prefix) await deleteStreams(url, prefix);
  prefix = '';
});

describe('the JetStream bus', () => {
  it('refuses options that cannot work, without connecting', () => {
    expect(() => createJetStreamBus({ servers: 'http://127.0.0.1:4222' })).toThrowError(/nats:\/\/ or tls:\/\//);
    expect(() => createJetStreamBus({ servers: url, prefix: 'ketwin.x' })).toThrowError(/bus prefix "ketwin.x"/);
    expect(() => createJetStreamBus({ servers: url, maxDeliver: 0 })).toThrowError(/maxDeliver/);
  });

  it('makes one stream per site, with its subjects, idempotently (a second bus, then a subscriber with other limits)', async () => {
    const a = bus();
    await a.publishSamples(numberedSamples('site-a', 0, 10));
    await bus().publishSamples(numberedSamples('site-a', 10, 10));
    const sub = await bus({ stream: { maxAgeMs: 3600_000 } }).subscribeSamples({ name: 'engine', sites: ['site-a'], handle: () => undefined });
    await sub.stop();
    const nc = await connect({ servers: url });
    try {
      const jsm = await jetstreamManager(nc);
      const info = await jsm.streams.info(`${prefix}_site-a`);
      expect(info.config.subjects).toEqual(['samples', 'events', 'commands', 'health', 'dead'].map((leaf) => `${prefix}.site-a.${leaf}`));
      expect(info.config.max_age).toBe(3600e9); // the subscriber's limits
      expect(info.config.duplicate_window).toBe(3600e9);
      expect(info.state.messages).toBe(2);
      const consumer = await jsm.consumers.info(`${prefix}_site-a`, 'engine_samples');
      expect(consumer.config).toMatchObject({ ack_policy: 'explicit', max_deliver: 5, max_ack_pending: 1, filter_subject: `${prefix}.site-a.samples` });
    } finally {
      await nc.close();
    }
  });

  it("tells how far a durable subscriber acknowledged a site's samples: 0 before it has a consumer or took any", async () => {
    const publisher = bus();
    expect(await publisher.samplesTaken('site-a', 'engine')).toBe(0); // no stream yet
    await publisher.publishSamples(numberedSamples('site-a', 0, 10), { origin: 'run-1', start: 0, end: 10 });
    expect(await publisher.samplesTaken('site-a', 'engine')).toBe(0); // a stream, no consumer
    let taken = 0;
    const sub = await bus().subscribeSamples({ name: 'engine', sites: ['site-a'], handle: (batch) => void (taken += batch.length) });
    await waitFor(() => taken === 10, 'the batch');
    await publisher.publishSamples(numberedSamples('site-a', 10, 10), { origin: 'run-1', start: 10, end: 20 });
    await waitFor(() => taken === 20, 'the second batch');
    await sub.stop();
    expect(await publisher.samplesTaken('site-a', 'engine')).toBe(2); // both messages acked
    expect(await publisher.samplesTaken('site-a', 'other')).toBe(0);
  });

  it("reads the newest message on a site's channel (an edge's last health beat) with the time the server stored it", async () => {
    const b = bus();
    expect(await b.latest('site-a', 'health')).toBeUndefined(); // no stream yet
    await b.publishSamples(numberedSamples('site-a', 0, 1));
    expect(await b.latest('site-a', 'health')).toBeUndefined(); // nothing on the channel
    const before = Date.now();
    await b.publish('site-a', 'health', { type: 'edge-health', data: { beat: 1 } });
    await b.publish('site-a', 'health', { type: 'edge-health', data: { beat: 2 } });
    const last = await b.latest('site-a', 'health');
    expect(last?.message).toEqual({ type: 'edge-health', data: { beat: 2 } });
    expect(last!.at).toBeGreaterThanOrEqual(before - 1000);
    expect(last!.at).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it("delivers each site's samples in order through a durable consumer; a batch offered again is stored once", async () => {
    const publisher = bus();
    const mixed = [...numberedSamples('a', 0, 500), ...numberedSamples('b', 500, 300), ...numberedSamples('a', 800, 200)];
    await publisher.publishSamples(mixed, { origin: 'run-1', start: 0, end: 1000 });
    await publisher.publishSamples(mixed, { origin: 'run-1', start: 0, end: 1000 }); // its PubAck was lost, say
    expect(publisher.stats()).toMatchObject({ samples: 1000, duplicates: 2, messages: 4 });
    const got = new Map<string, number[]>();
    const subscriber = bus();
    const sub = await subscriber.subscribeSamples({
      name: 'engine',
      sites: ['a', 'b'],
      handle: (batch) => void got.set(batch[0]!.site, [...(got.get(batch[0]!.site) ?? []), ...batch.map((s) => s.value as number)]),
    });
    await waitFor(() => (got.get('a')?.length ?? 0) + (got.get('b')?.length ?? 0) >= 1000, 'every sample');
    // a later batch overlapping the first (the queue read more rows on its retry): only the new rows
    await publisher.publishSamples(numberedSamples('a', 1000, 20), { origin: 'run-1', start: 990, end: 1010 });
    await waitFor(() => (got.get('a')?.length ?? 0) >= 710, 'the new rows');
    expect(got.get('a')).toEqual([
      ...Array.from({ length: 500 }, (_, i) => i),
      ...Array.from({ length: 200 }, (_, i) => 800 + i),
      ...Array.from({ length: 10 }, (_, i) => 1010 + i),
    ]);
    expect(got.get('b')).toEqual(Array.from({ length: 300 }, (_, i) => 500 + i));
    expect(sub.stats()).toMatchObject({ samples: 1010, duplicates: 10 });
    await sub.stop();
  });

  it('delivers a failed batch again before the next, and after max_deliver sends it to the dead subject with why', async () => {
    const b = bus({ maxDeliver: 3 });
    await b.publishSamples(numberedSamples('a', 0, 5));
    await b.publishSamples(numberedSamples('a', 5, 5)); // poisoned: never handled
    await b.publishSamples(numberedSamples('a', 10, 5));
    const got: number[] = [];
    let firstFailures = 2; // fails twice, taken on its last allowed delivery: no dead letter
    const sub = await b.subscribeSamples({
      name: 'engine',
      sites: ['a'],
      handle: (batch) => {
        if (batch[0]!.value === 0 && firstFailures-- > 0) throw new Error('the engine was busy');
        if (batch[0]!.value === 5) throw new Error('cannot take sample 5');
        got.push(...batch.map((s) => s.value as number));
      },
    });
    await waitFor(() => got.length >= 10, 'the batches around the poisoned one');
    expect(got).toEqual([0, 1, 2, 3, 4, 10, 11, 12, 13, 14]);
    expect(sub.stats()).toMatchObject({ retried: 4, deadLettered: 1, handled: 2 });
    const dead: { subject: string; headers: Record<string, string | undefined>; values: unknown[] }[] = [];
    const nc = await connect({ servers: url });
    try {
      const jsm = await jetstreamManager(nc);
      expect((await jsm.streams.info(`${prefix}_a`, { subjects_filter: `${prefix}.a.dead` })).state.subjects).toEqual({ [`${prefix}.a.dead`]: 1 });
      const stored = await jsm.streams.getMessage(`${prefix}_a`, { last_by_subj: `${prefix}.a.dead` });
      const h = (name: string) => stored?.header.get(name);
      dead.push({
        subject: stored!.subject,
        headers: {
          from: h(DEAD_LETTER_HEADERS.subject),
          deliveries: h(DEAD_LETTER_HEADERS.deliveries),
          reason: h(DEAD_LETTER_HEADERS.reason),
          consumer: h(DEAD_LETTER_HEADERS.consumer),
        },
        values: [],
      });
    } finally {
      await nc.close();
    }
    expect(dead[0]).toMatchObject({
      subject: `${prefix}.a.dead`,
      headers: { from: `${prefix}.a.samples`, deliveries: '3', reason: 'Error: cannot take sample 5', consumer: 'engine_samples' },
    });
    await sub.stop();
  });

  it('sends a message that is no sample batch to the dead subject at once, and one whose handler hung past maxHandleMs on its last delivery by the advisory', async () => {
    const b = bus({ maxDeliver: 1, ackWaitMs: 2000, maxHandleMs: 1000 });
    await b.publishSamples(numberedSamples('a', 0, 2)); // makes the stream
    const nc = await connect({ servers: url });
    try {
      const { jetstream } = await import('@nats-io/jetstream');
      await jetstream(nc).publish(`${prefix}.a.samples`, 'not a batch');
      await b.publishSamples(numberedSamples('a', 2, 2)); // hangs past maxHandleMs + ack_wait on its only delivery
      await b.publishSamples(numberedSamples('a', 4, 2));
      const got: number[] = [];
      const sub = await b.subscribeSamples({
        name: 'engine',
        sites: ['a'],
        handle: async (batch) => {
          if (batch[0]!.value === 2) await new Promise((r) => setTimeout(r, 3500));
          else got.push(...batch.map((s) => s.value as number));
        },
      });
      await waitFor(() => got.length >= 4, 'the good batches');
      const jsm = await jetstreamManager(nc);
      const deadCount = async () => (await jsm.streams.info(`${prefix}_a`, { subjects_filter: `${prefix}.a.dead` })).state.subjects?.[`${prefix}.a.dead`] ?? 0;
      const until = Date.now() + 10_000;
      while ((await deadCount()) < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 2500)); // no third: the batch after the hung one was handled within its ack_wait
      expect(await deadCount()).toBe(2);
      const reasons: string[] = [];
      for (let seq = 1; seq <= 7; seq++) {
        const m = await jsm.streams.getMessage(`${prefix}_a`, { seq }).catch(() => undefined);
        if (m?.subject === `${prefix}.a.dead`) reasons.push(`${m.header.get(DEAD_LETTER_HEADERS.sequence)}: ${m.header.get(DEAD_LETTER_HEADERS.reason)}`);
      }
      expect(reasons.sort()).toEqual([
        '2: BusError: samples of site a: not JSON (Unexpected token \'o\', "not a batch" is not valid JSON)',
        '3: no ack within ack_wait on the last delivery',
      ]);
      expect(got).toEqual([0, 1, 4, 5]);
      await sub.stop();
    } finally {
      await nc.close();
    }
  });

  it('a handler slower than ack_wait keeps its message: handled once, the next not given meanwhile', async () => {
    const b = bus({ maxDeliver: 2, ackWaitMs: 1000 });
    await b.publishSamples(numberedSamples('a', 0, 2));
    await b.publishSamples(numberedSamples('a', 2, 2));
    const calls: number[] = [];
    const sub = await b.subscribeSamples({
      name: 'engine',
      sites: ['a'],
      handle: async (batch) => {
        calls.push(batch[0]!.value as number);
        if (batch[0]!.value === 0) await new Promise((r) => setTimeout(r, 2500));
      },
    });
    await waitFor(() => calls.length >= 2, 'both batches');
    await new Promise((r) => setTimeout(r, 1500));
    expect(calls).toEqual([0, 2]);
    expect(sub.stats()).toMatchObject({ handled: 2, retried: 0, deadLettered: 0 });
    await sub.stop();
  });

  it('a subscriber that stops and comes back under the same name goes on where it left', async () => {
    const b = bus();
    const got: Sample[] = [];
    let sub = await b.subscribeSamples({ name: 'writer', sites: ['a'], handle: (batch) => void got.push(...batch) });
    await b.publishSamples(numberedSamples('a', 0, 100));
    await waitFor(() => got.length >= 100, 'the first batch');
    await sub.stop();
    await b.publishSamples(numberedSamples('a', 100, 100));
    sub = await bus().subscribeSamples({ name: 'writer', sites: ['a'], handle: (batch) => void got.push(...batch) });
    await waitFor(() => got.length >= 200, 'the second batch');
    expect(got.map((s) => s.value)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    await sub.stop();
  });

  it('carries events, commands and health messages on their own subjects', async () => {
    const b = bus();
    const got: string[] = [];
    const handle = (site: string, m: BusMessage) => void got.push(`${site}:${m.type}:${JSON.stringify(m.data)}`);
    const health = await b.subscribe('health', { name: 'central', sites: ['a'], handle });
    const commands = await b.subscribe('commands', { name: 'edge', sites: ['a'], handle });
    await b.publish('a', 'health', { type: 'edge-health', data: { backlog: 3 } }, 'h-1');
    await b.publish('a', 'health', { type: 'edge-health', data: { backlog: 3 } }, 'h-1'); // the same id: once
    await b.publish('a', 'commands', { type: 'resend', data: { from: 1 } });
    await waitFor(() => got.length >= 2, 'both messages');
    await new Promise((r) => setTimeout(r, 200));
    expect(got.sort()).toEqual(['a:edge-health:{"backlog":3}', 'a:resend:{"from":1}']);
    await health.stop();
    await commands.stop();
  });

  it('a server without JetStream is tried again like an unreachable one, without piling up connections', async () => {
    const monitor = await freePort();
    const plain = await startNatsServer(['-m', String(monitor)], undefined, false);
    const b = createJetStreamBus({ servers: plain.url, publishTimeoutMs: 500 });
    try {
      await expect(b.publishSamples(numberedSamples('a', 0, 1))).rejects.toMatchObject({ code: 'BUS_UNREACHABLE' });
      await new Promise((r) => setTimeout(r, 3000)); // three more tries
      const connz = (await (await fetch(`http://127.0.0.1:${monitor}/connz`)).json()) as { num_connections: number };
      expect(connz.num_connections).toBeLessThanOrEqual(1);
    } finally {
      await b.close();
      await plain.close();
    }
  });

  it('says BUS_UNREACHABLE when no server answers within the publish timeout', async () => {
    const b = createJetStreamBus({ servers: 'nats://127.0.0.1:1', publishTimeoutMs: 300 });
    await expect(b.publishSamples(numberedSamples('a', 0, 1))).rejects.toMatchObject({ code: 'BUS_UNREACHABLE', message: expect.stringContaining('127.0.0.1:1') });
    await b.close();
  });

  it("moves 200,000 samples in 200 batches, each once (the rate is the bench's: bench/bus.bench.ts)", async () => {
    const b = bus();
    const total = 200_000;
    const batch = 1000;
    let got = 0;
    let next = 0;
    const sub = await bus().subscribeSamples({
      name: 'engine',
      sites: ['a'],
      handle: (samples) => {
        for (const s of samples) if (s.value === next) next++;
        got += samples.length;
      },
    });
    for (let i = 0; i < total; i += batch) await b.publishSamples(numberedSamples('a', i, batch), { origin: 'volume', start: i, end: i + batch });
    await waitFor(() => got >= total, 'every sample consumed', 60_000);
    expect(got).toBe(total);
    expect(next).toBe(total); // in order
    await sub.stop();
  });
});
