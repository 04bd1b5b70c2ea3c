import { Writable } from 'node:stream';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { EMPTY } from 'rxjs';
import type { Site } from '../../model/index.ts';
import { createApp, startServer, type RunningServer, type SiteDetail, type SiteSummary, type LiveTwin } from './index.ts';
import { createMemoryLiveTwin } from './testing/memory-live-twin.ts';
import { loadDemoSite } from './testing/fixture.ts';

let site: Site;
let server: RunningServer | undefined;
beforeAll(async () => {
  site = await loadDemoSite();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(live: LiveTwin, logger?: pino.Logger): Promise<string> {
  server = await startServer({ app: createApp({ live, logger, staticDir: '/nonexistent' }), port: 0 });
  return server.url;
}

describe('GET /api/sites', () => {
  it('lists each site with its score, grade, risk, coverage, counts and open alerts', async () => {
    const live = createMemoryLiveTwin([site], { now: 1_700_000_000_000 });
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
    const url = await serve(live);
    const res = await fetch(`${url}/api/sites`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as SiteSummary[];
    expect(body).toHaveLength(1);
    const [s] = body;
    expect(s).toMatchObject({ id: 'zhoushan-demo', name: site.name, location: site.location, activeAlerts: 1 });
    // 6 tanks (one unknown), 6 detectors, 3 dikes: 14 of 15 pass
    expect(s?.counts).toMatchObject({ pass: 14, unknown: 1, fail: 0 });
    expect(s?.score).toBe(93);
    expect(s?.grade).toBe('A');
    expect(s?.risk).toBe('blue');
    expect(s?.coverage).toBeCloseTo(14 / 15);
  });

  it('shows a site with no score yet with nulls rather than zero', async () => {
    const url = await serve(createMemoryLiveTwin([site], { seed: false }));
    const [s] = (await (await fetch(`${url}/api/sites`)).json()) as SiteSummary[];
    expect(s).toMatchObject({ score: null, grade: null, risk: null, coverage: null, activeAlerts: 0 });
  });
});

describe('GET /api/sites/:id', () => {
  it('returns the site with its assets, score, clauses with verdicts and evidence, alerts and values', async () => {
    const live = createMemoryLiveTwin([site]);
    live.push({ type: 'sample', data: { site: site.id, point: 'T101.level', value: 12.5, quality: 'good', ts: 5 } });
    const url = await serve(live);
    const res = await fetch(`${url}/api/sites/zhoushan-demo`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as SiteDetail;
    expect(body.site.id).toBe('zhoushan-demo');
    expect(body.site.plan).toMatchObject({ width: 700, height: 500 });
    // the roads and gates a rescue team drives in by
    expect(body.site.plan.roads?.find((r) => r.id === 'R1')).toMatchObject({ kind: 'fire-lane', width: 6 });
    expect(body.site.plan.gates?.map((g) => `${g.id}:${g.role}`)).toEqual(['G1:main', 'G2:emergency']);
    const t101 = body.site.assets.find((a) => a.id === 'T101');
    expect(t101).toMatchObject({ kind: 'tank', position: { x: 105, y: 350 }, attributes: { diameter: 80 } });
    expect(body.score?.score).toBe(93);
    expect(body.clauses.map((c) => c.id)).toEqual(['tank-level-hh', 'gas-first-alarm', 'dike-capacity']);
    const level = body.clauses[0];
    expect(level?.source).toEqual({ standard: 'GB 50074-2014', clause: '15.1.1' });
    expect(level?.subjects).toHaveLength(6);
    const verdict = level?.subjects.find((s) => s.subject === 'T101');
    expect(verdict).toMatchObject({ verdict: 'pass', subjectName: { en: 'Crude tank 1' }, thresholds: { levelHighHigh: 19.6 } });
    expect(verdict?.evidence[0]).toMatchObject({ point: 'T101.level', quality: 'good', unit: 'm' });
    expect(level?.subjects.find((s) => s.subject === 'T302')?.verdict).toBe('unknown');
    expect(body.values['T101.level']).toMatchObject({ value: 12.5 });
    expect(body.alerts).toEqual([]);
  });

  it('answers 404 with a clear JSON message for an unknown site', async () => {
    const url = await serve(createMemoryLiveTwin([site]));
    const res = await fetch(`${url}/api/sites/atlantis`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'unknown site "atlantis"' });
  });

  it('answers 404 in JSON for an unknown /api path, not the web app', async () => {
    const url = await serve(createMemoryLiveTwin([site]));
    const res = await fetch(`${url}/api/nothing-here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'no such resource: GET /api/nothing-here' });
  });
});

describe('the error path', () => {
  it('shows only "Internal Server Error" for a failure and logs the details', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const broken: LiveTwin = {
      sites: () => {
        throw new Error('engine state corrupted at 0xdeadbeef');
      },
      snapshot: () => undefined,
      clauses: () => [],
      events$: EMPTY,
    };
    const url = await serve(broken, pino({ level: 'info' }, sink));
    const res = await fetch(`${url}/api/sites`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: 'Internal Server Error' });
    expect(text).not.toContain('deadbeef');
    expect(lines.join('')).toContain('engine state corrupted at 0xdeadbeef');
  });
});
