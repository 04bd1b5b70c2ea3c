import { once } from 'node:events';
import { connect } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClauseResult, Site } from '../../model/index.ts';
import { createApp, startServer, type RunningServer, type SiteDetail, type SiteSummary } from './index.ts';
import { createMemoryLiveTwin, type MemoryLiveTwin } from './testing/memory-live-twin.ts';
import { loadDemoSite } from './testing/fixture.ts';
import { openSse, type SseClient } from './testing/sse-client.ts';

let site: Site;
let server: RunningServer | undefined;
const clients: SseClient[] = [];
beforeAll(async () => {
  site = await loadDemoSite();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
  server = undefined;
});

async function serve(live: MemoryLiveTwin, options: { heartbeatMs?: number; samplePeriodMs?: number; maxBufferedBytes?: number } = {}): Promise<string> {
  server = await startServer({ app: createApp({ live, staticDir: '/nonexistent', metricsToken: TOKEN, ...options }), port: 0 });
  return server.url;
}

const TOKEN = 'metrics-token-for-tests';
/** open event streams, as the server counts them */
async function streamClients(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  return Number(/^ketwin_event_stream_clients (\d+)$/m.exec(text)?.[1]);
}

/** the running number in an event id "<epoch>-<n>" */
const seq = (id: string | undefined): number => Number(id?.split('-')[1]);

async function open(url: string): Promise<SseClient> {
  const client = await openSse(url);
  clients.push(client);
  return client;
}

const failing = (subject: string): ClauseResult => ({
  site: 'zhoushan-demo',
  clause: 'tank-level-hh',
  subject,
  verdict: 'fail',
  since: 42,
  evidence: [{ point: `${subject}.level`, value: 19.8, quality: 'good', ts: 42 }],
  thresholds: { levelHighHigh: 19.6 },
  standard: 'oil-depot-above-ground@0.1.0-test',
});

async function untilAsync(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition not reached');
}

describe('GET /api/events?site=<id>', () => {
  it('sends the snapshot first, then pushed results, scores and alerts with increasing ids', async () => {
    const live = createMemoryLiveTwin([site]);
    const c = await open(`${await serve(live)}/api/events?site=zhoushan-demo`);
    expect(c.status).toBe(200);
    expect(c.contentType).toMatch(/^text\/event-stream/);

    const snapshot = await c.next();
    expect(snapshot.event).toBe('snapshot');
    expect(snapshot.id).toMatch(/^[0-9a-z]+-0$/);
    expect((snapshot.data as SiteDetail).site.id).toBe('zhoushan-demo');
    expect((snapshot.data as SiteDetail).clauses).toHaveLength(3);

    live.push({ type: 'result', data: failing('T101') });
    live.push({ type: 'result', data: { ...failing('X1'), site: 'another-site' } });
    live.push({ type: 'score', data: { ...(live.snapshot(site.id)?.score as NonNullable<ReturnType<typeof live.snapshot>>['score'] & object), score: 80 } });

    const result = await c.next();
    expect(result).toMatchObject({ event: 'result', data: { clause: 'tank-level-hh', subject: 'T101', verdict: 'fail' } });
    const score = await c.next();
    expect(score).toMatchObject({ event: 'score', data: { site: 'zhoushan-demo', score: 80 } });
    // ids count every event of the server, including the other site's result this client did not get
    expect([seq(result.id), seq(score.id)]).toEqual([1, 3]);
  });

  it('sends samples at most once per point per period, the latest one', async () => {
    const live = createMemoryLiveTwin([site]);
    const c = await open(`${await serve(live, { samplePeriodMs: 300 })}/api/events?site=zhoushan-demo`);
    await c.next(); // snapshot
    const sample = (point: string, value: number) => live.push({ type: 'sample', data: { site: site.id, point, value, quality: 'good', ts: value } });
    sample('T101.level', 1);
    sample('T101.level', 2);
    sample('T101.level', 3);
    sample('T102.level', 10);

    const first = [await c.next(), await c.next()];
    expect(first.map((e) => e.data)).toEqual([expect.objectContaining({ point: 'T101.level', value: 1 }), expect.objectContaining({ point: 'T102.level', value: 10 })]);
    const trailing = await c.next();
    expect(trailing).toMatchObject({ event: 'sample', data: { point: 'T101.level', value: 3 } });
  });

  it('writes a heartbeat comment periodically', async () => {
    const live = createMemoryLiveTwin([site]);
    const c = await open(`${await serve(live, { heartbeatMs: 50 })}/api/events?site=zhoushan-demo`);
    await c.next();
    await new Promise((r) => setTimeout(r, 200));
    live.push({ type: 'result', data: failing('T102') });
    await c.next();
    expect(c.heartbeats).toBeGreaterThanOrEqual(2);
  });

  it('without a site sends the site list, then scores and alerts of every site', async () => {
    const live = createMemoryLiveTwin([site]);
    const c = await open(`${await serve(live)}/api/events`);
    const snapshot = await c.next();
    expect(snapshot.event).toBe('snapshot');
    expect((snapshot.data as SiteSummary[]).map((s) => s.id)).toEqual(['zhoushan-demo']);
    live.push({ type: 'result', data: failing('T101') });
    live.push({
      type: 'alert',
      data: {
        id: 'a1',
        site: site.id,
        kind: 'overfill',
        severity: 1,
        state: 'active',
        raisedAt: 1,
        changedAt: 1,
        subjects: ['T101'],
        message: { zh: '高高液位', en: 'High-high level' },
        actions: [],
      },
    });
    expect(await c.next()).toMatchObject({ event: 'alert', data: { id: 'a1' } });
  });

  it('answers 404 in JSON for an unknown site', async () => {
    const res = await fetch(`${await serve(createMemoryLiveTwin([site]))}/api/events?site=atlantis`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'unknown site "atlantis"' });
  });

  it('forgets a client that goes away, and follows the live events once for all clients', async () => {
    const live = createMemoryLiveTwin([site]);
    const url = await serve(live);
    const a = await open(`${url}/api/events?site=zhoushan-demo`);
    const b = await open(`${url}/api/events`);
    await a.next();
    await b.next();
    expect(live.observed()).toBe(1);
    expect(await streamClients(url)).toBe(2);
    a.close();
    b.close();
    await untilAsync(async () => (await streamClients(url)) === 0);
    await server?.close();
    server = undefined;
    expect(live.observed()).toBe(0);
  });

  it('drops a client that stops reading instead of buffering for it without bound', async () => {
    const live = createMemoryLiveTwin([site]);
    const url = new URL(await serve(live, { maxBufferedBytes: 64 * 1024 }));
    const socket = connect(Number(url.port), url.hostname);
    await once(socket, 'connect');
    socket.write('GET /api/events?site=zhoushan-demo HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n');
    socket.pause(); // never reads: the kernel buffers fill, then the server's
    try {
      await untilAsync(async () => (await streamClients(url.origin)) === 1);
      const big = { ...failing('T101'), thresholds: { note: 'x'.repeat(4096) } };
      for (let round = 0; round < 400 && (await streamClients(url.origin)) > 0; round++) {
        for (let i = 0; i < 100; i++) live.push({ type: 'result', data: big });
        await new Promise((r) => setImmediate(r));
      }
      expect(await streamClients(url.origin)).toBe(0);
    } finally {
      socket.destroy();
    }
  });

  it('closes open event streams on a graceful server close, releasing the port', async () => {
    const live = createMemoryLiveTwin([site]);
    const url = await serve(live, { heartbeatMs: 60_000 });
    const c = await open(`${url}/api/events?site=zhoushan-demo`);
    await c.next();
    const started = Date.now();
    await server?.close();
    server = undefined;
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(c.next(1_000)).rejects.toThrow(/stream ended|terminated|aborted/);
    await expect(fetch(`${url}/api/sites`)).rejects.toThrow();
  });
});
