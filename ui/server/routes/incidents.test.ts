// GET /api/incidents(/:id) over the real engine on virtual time: T201 fills fast, the overfill incident opens,
// the rescue team reads it and reports en route; a user of another site neither sees nor reads it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Sample, type Site } from '../../../model/index.ts';
import { loadStandard } from '../../../standards/index.ts';
import { createEngine, createVirtualClock, feedSamples, type Engine } from '../../../engine/index.ts';
import { DEMO_SITE_FILE } from '../testing/fixture.ts';
import { startSecuredServer, type SecuredServer } from '../testing/secured-app.ts';
import type { IncidentSummary, IncidentView } from '../incident-types.ts';

const root = new URL('../../..', import.meta.url).pathname;
const T0 = 1_780_000_000_000;
let site: Site;
let engine: Engine;
let server: SecuredServer;
let incidentId: string;

/** every point healthy each second; T201 climbing 0.05 m/s from 14 m (far faster than its response time allows) */
function readings(seconds: number): Sample[] {
  const out: Sample[] = [];
  for (let s = 0; s < seconds; s++) {
    for (const p of site.points) {
      let value: number | boolean =
        p.unit === 'bool' ? true : p.name === 'level' ? (p.asset === 'FWP1' ? 4.8 : 10) : p.name === 'gas' ? 1 : p.name === 'pressure' ? 0.3 : p.name.includes('level') ? 90 : 1;
      if (p.id === 'T201.level') value = 14 + s * 0.05;
      if (p.name === 'flame' || p.name === 'sounding') value = false;
      if (p.name.endsWith('temperature')) value = 25;
      if (p.name === 'water_level') value = 0.05;
      if (p.id === 'WS1.wind_direction') value = 10;
      out.push({ site: site.id, point: p.id, value, quality: 'good', ts: T0 + s * 1000 });
    }
  }
  return out;
}

beforeAll(async () => {
  site = await loadSite(DEMO_SITE_FILE);
  const standard = await loadStandard(`${root}standards/oil-depot-above-ground/1.0.0.yaml`);
  const clock = createVirtualClock(T0);
  engine = createEngine({ sites: [site], standards: [standard], scheduler: clock.scheduler });
  clock.settle();
  feedSamples(engine, clock, readings(40));
  const live = { sites: () => [site], snapshot: (id: string) => engine.snapshot(id), clauses: (id: string) => engine.clauses(id), events$: engine.events$ };
  server = await startSecuredServer([site], { live, commands: engine });
  incidentId = engine.snapshot(site.id)!.alerts.find((a) => a.incident?.hazard === 'overfill')!.id;
});
afterAll(async () => {
  await server?.close();
  engine?.dispose();
});

describe('incident routes', () => {
  it("lists the open incidents of the user's sites, and nothing of others", async () => {
    const rescue = (await (await (await server.as('rescue')).fetch('/api/incidents')).json()) as IncidentSummary[];
    expect(rescue.map((i) => i.alert.id)).toContain(incidentId);
    expect(rescue.every((i) => i.alert.incident !== undefined && i.site.id === 'zhoushan-demo')).toBe(true);
    const overfill = rescue.find((i) => i.alert.id === incidentId)!;
    expect(overfill).toMatchObject({ site: { id: 'zhoushan-demo', name: site.name }, responses: [] });
    expect(overfill.alert.incident).toMatchObject({ hazard: 'overfill', affected: ['T201'] });
    const elsewhere = await (await (await server.as('elsewhere')).fetch('/api/incidents')).json();
    expect(elsewhere).toEqual([]);
  });

  it('answers one incident with zones on the plan and in WGS84, inventory and countdown', async () => {
    const res = await (await server.as('rescue')).fetch(`/api/incidents/${encodeURIComponent(incidentId)}`);
    expect(res.status).toBe(200);
    const view = (await res.json()) as IncidentView;
    expect(view.site).toEqual({ id: site.id, name: site.name, location: site.location, timeZone: site.timeZone, plan: site.plan });
    const incident = view.alert.incident!;
    expect(incident.planZones?.features.length).toBeGreaterThan(0);
    expect(incident.zones.features[0]?.geometry.type).toBe('Polygon');
    expect(incident.inventory[0]).toMatchObject({ asset: 'T201', product: 'gasoline' });
    expect(incident.countdowns[0]?.kind).toBe('overfill');
  });

  it('keeps what the rescue team reported, even after later updates of the alert', async () => {
    const rescue = await server.as('rescue');
    for (const status of ['acknowledged', 'en-route']) {
      const res = await rescue.fetch(`/api/alerts/${encodeURIComponent(incidentId)}/respond`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ status }),
      });
      expect(res.status).toBe(200);
    }
    const view = (await (await rescue.fetch(`/api/incidents/${encodeURIComponent(incidentId)}`)).json()) as IncidentView;
    expect(view.responses.map((r) => [r.status, r.by])).toEqual([
      ['en-route', 'rescue'],
      ['acknowledged', 'rescue'],
    ]);
    expect(view.alert.transition).toMatchObject({ action: 'respond', status: 'en-route', by: 'rescue' });
  });

  it('refuses a user of another site (403), and answers 404 for an incident that is not open', async () => {
    const elsewhere = await (await server.as('elsewhere')).fetch(`/api/incidents/${encodeURIComponent(incidentId)}`);
    expect([elsewhere.status, await elsewhere.json()]).toEqual([403, { error: 'no access to site "zhoushan-demo"' }]);
    const gone = await (await server.as('rescue')).fetch('/api/incidents/zhoushan-demo:nothing:T9');
    expect([gone.status, await gone.json()]).toEqual([404, { error: 'no open incident "zhoushan-demo:nothing:T9"' }]);
    const bad = await (await server.as('rescue')).fetch('/api/incidents/%20bad');
    expect(bad.status).toBe(400);
  });
});
