// Alarm-system health end to end: the REAL engine (demo site, loaded standards) behind ui/'s route and event stream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type AlarmHealth, type Site } from '../model/index.ts';
import { loadStandards } from '../standards/index.ts';
import { createEngine, type Engine } from '../engine/index.ts';
import type { LiveTwin } from '../ui/server/index.ts';
import { startSecuredServer, type SecuredServer } from '../ui/server/testing/secured-app.ts';
import { openSse, type ReceivedEvent, type SseClient } from '../ui/server/testing/sse-client.ts';

const SITE_FILE = new URL('../sites/zhoushan-demo.yaml', import.meta.url).pathname;
const STANDARDS = new URL('../standards', import.meta.url).pathname;
const PATH = '/api/sites/zhoushan-demo/alarm-health';

let site: Site;
let other: Site;
let engine: Engine;
let server: SecuredServer;

/** every tank of `s` above its high-high set-point: HIGH and HH on each, twelve annunciations */
function allTanksHigh(s: Site): void {
  for (const tank of s.assets.filter((a) => a.kind === 'tank')) {
    const value = (tank.attributes as { levelCriticalHigh: number }).levelCriticalHigh - 0.3;
    engine.ingest({ site: s.id, point: `${tank.id}.level`, value, quality: 'good', ts: Date.now() });
  }
}

async function until(what: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !what(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(what()).toBe(true);
}

async function nextOf(client: SseClient, type: string): Promise<ReceivedEvent> {
  for (;;) {
    const e = await client.next();
    if (e.event === type) return e;
  }
}

beforeAll(async () => {
  site = await loadSite(SITE_FILE);
  other = { ...site, id: 'zhoushan-demo-2' };
  engine = createEngine({ sites: [site, other], standards: await loadStandards(STANDARDS) });
  // what main.ts wires: the engine's health behind the live view
  const live: LiveTwin = {
    sites: () => [site, other],
    snapshot: (id) => engine.snapshot(id),
    clauses: (id) => engine.clauses(id),
    events$: engine.events$,
    alarmHealth: (id) => engine.health(id),
  };
  server = await startSecuredServer([site, other], { live });
});
afterAll(async () => {
  await server?.close();
  engine?.dispose();
});

describe('GET /api/sites/:id/alarm-health', () => {
  it("answers the figures of a quiet site: nothing annunciated, no flood, the standard's thresholds", async () => {
    const res = await (await server.as('auditor')).fetch(PATH);
    expect(res.status).toBe(200);
    const h = (await res.json()) as AlarmHealth;
    expect(h).toMatchObject({ site: 'zhoushan-demo', lastWindow: 0, flood: { active: false }, floods: [], chattering: [], standing: [], top: [] });
    expect(h.thresholds).toMatchObject({
      windowMs: 600_000,
      floodAlarms: 10,
      floodEndBelow: 5,
      chatterWindowMs: 60_000,
      chatterCount: 3,
      standingAfterMs: 86_400_000,
      topContributors: 10,
    });
    expect(h.thresholds.source).toMatch(/EEMUA 191/);
  });

  it("is read by the site's manager, rescue team, the auditor and admins; refused to others", async () => {
    const expected: Record<string, number> = { manager: 200, auditor: 200, rescue: 200, admin: 200, elsewhere: 403 };
    for (const [who, status] of Object.entries(expected)) expect((await (await server.as(who)).fetch(PATH)).status, who).toBe(status);
    expect((await fetch(`${server.url}${PATH}`)).status).toBe(401);
    expect((await (await server.as('admin')).fetch('/api/sites/atlantis/alarm-health')).status).toBe(404);
    const bad = await (await server.as('admin')).fetch('/api/sites/Not%20A%20Site/alarm-health');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^path\.id: /);
  });

  it("streams the site's health events as the flood comes, to that site's stream only, and the route agrees", async () => {
    const manager = await server.as('manager');
    const admin = await server.as('admin');
    const mine = await openSse(`${server.url}/api/events?site=zhoushan-demo`, { cookie: manager.cookie });
    const theirs = await openSse(`${server.url}/api/events?site=zhoushan-demo-2`, { cookie: admin.cookie });
    try {
      await nextOf(mine, 'snapshot');
      await nextOf(theirs, 'snapshot');
      engine.ingest({ site: site.id, point: 'T201.flame', value: true, quality: 'good', ts: Date.now() });
      allTanksHigh(site);
      await until(() => engine.health(site.id)?.flood.active === true);
      let last: AlarmHealth | undefined;
      while (!last?.flood.active) last = (await nextOf(mine, 'health')).data as AlarmHealth;
      expect(last).toMatchObject({ site: 'zhoushan-demo', flood: { active: true } });
      expect(last.lastWindow).toBeGreaterThanOrEqual(10);
      // the other site's stream got alerts of neither site's health
      await new Promise((r) => setTimeout(r, 100));
      const seen: ReceivedEvent[] = [];
      while (theirs.pending > 0) seen.push(await theirs.next());
      expect(seen.filter((e) => e.event === 'health')).toEqual([]);

      const res = await manager.fetch(PATH);
      const now = (await res.json()) as AlarmHealth;
      expect(now.flood).toEqual(engine.health(site.id)!.flood);
      expect(now.top.length).toBe(10);
      // the fire's tanks' alarms are grouped under it in the snapshot the page loads
      const detail = (await (await manager.fetch('/api/sites/zhoushan-demo')).json()) as { alerts: { id: string; cause?: string; subjects: string[] }[] };
      const fire = detail.alerts.find((a) => a.id.includes(':hazard:tank-fire:T201:'))!;
      expect(
        detail.alerts
          .filter((a) => a.cause === fire.id)
          .map((a) => a.subjects[0])
          .sort(),
      ).toEqual(['T201', 'T201', 'T202', 'T202']);
    } finally {
      mine.close();
      theirs.close();
    }
  });

  it('gives Prometheus the flood and the counts per site', async () => {
    const text = await (await (await server.as('admin')).fetch('/metrics')).text();
    expect(text).toMatch(/^ketwin_alarm_flood\{site="zhoushan-demo"\} 1$/m);
    expect(text).toMatch(/^ketwin_alarm_flood\{site="zhoushan-demo-2"\} 0$/m);
    expect(text).toMatch(new RegExp(`^ketwin_alarms_last_window\\{site="zhoushan-demo"\\} ${engine.health(site.id)!.lastWindow}$`, 'm'));
    expect(text).toMatch(/^ketwin_alarms_standing\{site="zhoushan-demo"\} 0$/m);
  });

  it('is in the OpenAPI document with its AlarmHealth schema', async () => {
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    const op = doc.paths['/api/sites/{id}/alarm-health']?.get;
    expect(op).toBeDefined();
    expect(JSON.stringify(op!.responses['200'])).toMatch(/floodShare/);
  });
});
