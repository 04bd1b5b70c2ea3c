import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, ClauseResult, Site } from '../../model/index.ts';
import { createApp, startServer, type RunningServer, type SiteDetail } from './index.ts';
import { createMemoryLiveTwin, type MemoryLiveTwin } from './testing/memory-live-twin.ts';
import { loadDemoSite } from './testing/fixture.ts';
import { openSse, type ReceivedEvent, type SseClient } from './testing/sse-client.ts';

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

async function serve(live: MemoryLiveTwin, eventBufferSize?: number): Promise<string> {
  server = await startServer({ app: createApp({ live, staticDir: '/nonexistent', samplePeriodMs: 50, eventBufferSize }), port: 0 });
  return server.url;
}
async function open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const c = await openSse(url, headers);
  clients.push(c);
  return c;
}

const alert = (state: Alert['state'], changedAt: number): Alert => ({
  id: 'overfill-T101',
  site: 'zhoushan-demo',
  kind: 'overfill',
  severity: 1,
  state,
  raisedAt: 1,
  changedAt,
  subjects: ['T101'],
  message: { zh: '高高液位', en: 'High-high level' },
  actions: [],
});
const result = (subject: string, verdict: ClauseResult['verdict']): ClauseResult => ({
  site: 'zhoushan-demo',
  clause: 'tank-level-hh',
  subject,
  verdict,
  since: 42,
  evidence: [{ point: `${subject}.level`, value: 19.8, quality: 'good', ts: 42 }],
  thresholds: { levelHighHigh: 19.6 },
  standard: 'oil-depot-above-ground@0.1.0-test',
});
const sample = (live: MemoryLiveTwin, point: string, value: number) => live.push({ type: 'sample', data: { site: 'zhoushan-demo', point, value, quality: 'good', ts: value } });

/** every event until `count` are in, or none arrive for 300 ms */
async function drain(c: SseClient, count: number): Promise<ReceivedEvent[]> {
  const got: ReceivedEvent[] = [];
  while (got.length < count) {
    try {
      got.push(await c.next(300));
    } catch {
      break;
    }
  }
  return got;
}

describe('event stream resume with Last-Event-ID', () => {
  it('replays every alert transition and result missed while away, and the latest value of each point, without a snapshot', async () => {
    const live = createMemoryLiveTwin([site]);
    const url = `${await serve(live)}/api/events?site=zhoushan-demo`;
    const first = await open(url);
    await first.next(); // snapshot
    live.push({ type: 'alert', data: alert('active', 1) });
    const seen = await first.next();
    expect(seen).toMatchObject({ event: 'alert', data: { state: 'active' } });
    first.close();

    // while the client is away: two alarm transitions, a verdict, and a burst of samples
    live.push({ type: 'alert', data: alert('acknowledged', 2) });
    live.push({ type: 'result', data: result('T102', 'fail') });
    for (let v = 1; v <= 20; v++) sample(live, 'T101.level', v);
    sample(live, 'T102.level', 7);
    live.push({ type: 'alert', data: alert('cleared', 3) });

    const again = await open(url, { 'last-event-id': seen.id ?? '' });
    const missed = await drain(again, 10);
    expect(missed.map((e) => e.event)).not.toContain('snapshot');
    expect(missed.filter((e) => e.event === 'alert').map((e) => (e.data as Alert).state)).toEqual(['acknowledged', 'cleared']);
    expect(missed.filter((e) => e.event === 'result').map((e) => (e.data as ClauseResult).subject)).toEqual(['T102']);
    // samples coalesced: only the latest per point
    expect(missed.filter((e) => e.event === 'sample').map((e) => e.data)).toEqual([
      expect.objectContaining({ point: 'T101.level', value: 20 }),
      expect.objectContaining({ point: 'T102.level', value: 7 }),
    ]);
    // and then live again, with ids that keep growing
    live.push({ type: 'result', data: result('T103', 'fail') });
    const next = await again.next();
    expect(next).toMatchObject({ event: 'result', data: { subject: 'T103' } });
    const ids = [seen, ...missed, next].map((e) => Number(e.id?.split('-')[1]));
    expect(Math.max(...ids)).toBe(ids.at(-1));
  });

  it('numbers events for the whole server: two clients see the same id for the same event', async () => {
    const live = createMemoryLiveTwin([site]);
    const base = await serve(live);
    const one = await open(`${base}/api/events?site=zhoushan-demo`);
    const all = await open(`${base}/api/events`);
    await one.next();
    await all.next();
    live.push({ type: 'alert', data: alert('active', 1) });
    const [a, b] = [await one.next(), await all.next()];
    expect(a.id).toBe(b.id);
  });

  it('also takes the id from ?lastEventId=', async () => {
    const live = createMemoryLiveTwin([site]);
    const base = await serve(live);
    const c = await open(`${base}/api/events?site=zhoushan-demo`);
    const snapshot = await c.next();
    c.close();
    live.push({ type: 'alert', data: alert('active', 1) });
    const again = await open(`${base}/api/events?site=zhoushan-demo&lastEventId=${encodeURIComponent(snapshot.id ?? '')}`);
    expect(await again.next()).toMatchObject({ event: 'alert', data: { state: 'active' } });
  });

  it('sends a fresh snapshot when what was missed has left the buffer', async () => {
    const live = createMemoryLiveTwin([site]);
    const base = await serve(live, 3);
    const c = await open(`${base}/api/events?site=zhoushan-demo`);
    const snapshot = await c.next();
    c.close();
    live.push({ type: 'alert', data: alert('active', 1) });
    for (const subject of ['T102', 'T103', 'T201', 'T202']) live.push({ type: 'result', data: result(subject, 'fail') });
    const again = await open(`${base}/api/events?site=zhoushan-demo`, { 'last-event-id': snapshot.id ?? '' });
    const fresh = await again.next();
    expect(fresh.event).toBe('snapshot');
    // the state the client missed is in it, the alert included
    const detail = fresh.data as SiteDetail;
    expect(detail.alerts.map((a) => a.state)).toEqual(['active']);
    expect(detail.clauses[0]?.subjects.find((s) => s.subject === 'T202')?.verdict).toBe('fail');
    expect(Number(fresh.id?.split('-')[1])).toBe(5);
  });

  it('sends a snapshot for an id from another server process or a malformed one', async () => {
    const live = createMemoryLiveTwin([site]);
    const base = await serve(live);
    for (const id of ['lq2x0abc123-4', '17', 'garbage', '']) {
      const c = await open(`${base}/api/events?site=zhoushan-demo`, { 'last-event-id': id });
      expect((await c.next()).event).toBe('snapshot');
      c.close();
    }
  });
});
