import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Site } from '../../model/index.ts';
import { createApp, startServer, type RunningServer, type SiteDetail } from './index.ts';
import { createMemoryLiveTwin, type MemoryLiveTwin } from './testing/memory-live-twin.ts';
import { quietAlarmHealth } from './testing/alarm-health-fixture.ts';
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

const sample = (live: MemoryLiveTwin, point: string, value: number, ts = value) =>
  live.push({ type: 'sample', data: { site: 'zhoushan-demo', point, value, quality: 'good', ts } });

/** every event until none arrive for 300 ms */
async function drain(c: SseClient): Promise<ReceivedEvent[]> {
  const got: ReceivedEvent[] = [];
  for (;;) {
    try {
      got.push(await c.next(300));
    } catch {
      return got;
    }
  }
}

describe('the light event stream (mode=light: the rescue page on a phone)', () => {
  it('sends the wind readings, verdicts, scores and alerts, and nothing else — its snapshot too', async () => {
    const live = createMemoryLiveTwin([site]);
    sample(live, 'T101.level', 12);
    sample(live, 'WS1.wind_speed', 4);
    server = await startServer({ app: createApp({ live, staticDir: '/nonexistent', samplePeriodMs: 50, lightSamplePeriodMs: 50 }), port: 0 });
    const light = await openSse(`${server.url}/api/events?site=zhoushan-demo&mode=light`);
    const full = await openSse(`${server.url}/api/events?site=zhoushan-demo`);
    clients.push(light, full);

    const [lightSnapshot, fullSnapshot] = [await light.next(), await full.next()];
    expect(Object.keys((lightSnapshot.data as SiteDetail).values)).toEqual(['WS1.wind_speed']);
    expect(Object.keys((fullSnapshot.data as SiteDetail).values).sort()).toEqual(['T101.level', 'WS1.wind_speed']);

    live.push({ type: 'health', data: quietAlarmHealth('zhoushan-demo', 5) });
    sample(live, 'T101.level', 13);
    sample(live, 'WS1.wind_direction', 270);
    live.push({ type: 'score', data: (fullSnapshot.data as SiteDetail).score! });
    const [lightEvents, fullEvents] = await Promise.all([drain(light), drain(full)]);
    expect(lightEvents.map((e) => e.event)).toEqual(['sample', 'score']);
    expect(lightEvents[0]?.data).toMatchObject({ point: 'WS1.wind_direction' });
    expect(fullEvents.map((e) => e.event).sort()).toEqual(['health', 'sample', 'sample', 'score']);
  });

  it('sends a steady reading once, not on every scan', async () => {
    const live = createMemoryLiveTwin([site]);
    server = await startServer({ app: createApp({ live, staticDir: '/nonexistent', samplePeriodMs: 50 }), port: 0 });
    const c = await openSse(`${server.url}/api/events?site=zhoushan-demo`);
    clients.push(c);
    await c.next(); // snapshot
    for (let scan = 0; scan < 5; scan++) {
      sample(live, 'WS1.wind_speed', 4, 1000 + scan);
      await new Promise((resolve) => setTimeout(resolve, 80)); // each scan in its own throttle window
    }
    sample(live, 'WS1.wind_speed', 5);
    const events = await drain(c);
    expect(events.map((e) => (e.data as { value: number }).value)).toEqual([4, 5]);
  });

  it('refuses a mode it does not know', async () => {
    const live = createMemoryLiveTwin([site]);
    server = await startServer({ app: createApp({ live, staticDir: '/nonexistent' }), port: 0 });
    const res = await fetch(`${server.url}/api/events?site=zhoushan-demo&mode=heavy`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/mode/);
  });
});
