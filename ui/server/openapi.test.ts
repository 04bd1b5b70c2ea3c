import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Koa from 'koa';
import type { Site } from '../../model/index.ts';
import { createApp } from './index.ts';
import { createMemoryLiveTwin } from './testing/memory-live-twin.ts';
import { loadDemoSite } from './testing/fixture.ts';
import { startSecuredServer, type SecuredServer } from './testing/secured-app.ts';
import type { HealthCheck, SeriesPoint } from './ports.ts';

let site: Site;
let server: SecuredServer;
const asked: [string, string, number, number][] = [];
let checks: HealthCheck[] = [];
beforeAll(async () => {
  site = await loadDemoSite();
  server = await startSecuredServer([site], {
    telemetry: {
      async series(s, point, from, to) {
        asked.push([s, point, from, to]);
        if (point === 'T102.level') throw new Error('pg: connection refused at 10.0.0.7');
        return Array.from({ length: 10_000 }, (_, i): SeriesPoint => ({ ts: from + i, value: i === 4321 ? 99 : 1, quality: 'good' }));
      },
    },
    health: { checks: async () => checks },
  });
});
afterAll(async () => {
  await server?.close();
});

function routesOf(app: Koa): string[] {
  const router = app.middleware.map((m) => (m as { router?: { stack: { path: string; methods: string[] }[] } }).router).find(Boolean);
  return (router?.stack ?? []).flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m.toLowerCase()} ${layer.path.replace(/:(\w+)/g, '{$1}')}`));
}

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document that describes every route the server has', async () => {
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    const routes = routesOf(createApp({ live: createMemoryLiveTwin([site]) }));
    expect(routes.length).toBeGreaterThan(5);
    expect(documented.sort()).toEqual(routes.sort());
  });

  it('describes bodies and query strings from the zod schemas that validate them', async () => {
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, Record<string, unknown>>> };
    const login = doc.paths['/api/session']?.['post'] as { requestBody: { content: { 'application/json': { schema: { required: string[] } } } } };
    expect(login.requestBody.content['application/json'].schema.required).toEqual(['name', 'password']);
    const series = doc.paths['/api/sites/{id}/points/{point}/series']?.['get'] as { parameters: { name: string; in: string; required: boolean }[] };
    expect(series.parameters.map((p) => [p.name, p.in, p.required])).toEqual([
      ['id', 'path', true],
      ['point', 'path', true],
      ['from', 'query', true],
      ['to', 'query', false],
    ]);
  });
});

describe('GET /api/sites/:id/points/:point/series', () => {
  it('answers the readings of a point from the history, thinned with its peak kept', async () => {
    const manager = await server.as('manager');
    const res = await manager.fetch('/api/sites/zhoushan-demo/points/T101.level/series?from=1000&to=90000');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { points: SeriesPoint[]; thinned: boolean };
    expect(asked.at(-1)).toEqual(['zhoushan-demo', 'T101.level', 1000, 90000]);
    expect(body.thinned).toBe(true);
    expect(body.points.length).toBeLessThanOrEqual(4_100);
    expect(body.points.some((p) => p.value === 99)).toBe(true);
  });

  it('names the bad field in a 400', async () => {
    const manager = await server.as('manager');
    const cases: [string, RegExp][] = [
      ['?to=5', /^query\.from: expected from as milliseconds since 1970/],
      ['?from=abc', /^query\.from: expected from as milliseconds/],
      ['?from=5000&to=10', /^query\.to: must be after from/],
      ['?from=0&to=99999999999', /^query\.from: the range may span at most 31 days/],
      ['?from=1&colour=red', /^query: Unrecognized key: "colour"/],
    ];
    for (const [query, message] of cases) {
      const res = await manager.fetch(`/api/sites/zhoushan-demo/points/T101.level/series${query}`);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    const point = await manager.fetch('/api/sites/zhoushan-demo/points/nodot/series?from=1');
    expect(((await point.json()) as { error: string }).error).toBe('path.point: must be "<asset>.<point>"');
    const unknown = await manager.fetch('/api/sites/zhoushan-demo/points/T999.level/series?from=1');
    expect(unknown.status).toBe(404);
  });

  it('answers 500 without internals when the history fails', async () => {
    const res = await (await server.as('manager')).fetch('/api/sites/zhoushan-demo/points/T102.level/series?from=1&to=2');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: 'Internal Server Error' });
    expect(text).not.toContain('10.0.0.7');
  });
});

describe('GET /healthz', () => {
  it('is 200 when every check is ok and 503 when one is not; details for admins only', async () => {
    checks = [
      { name: 'db', ok: true },
      { name: 'source:plc-tankfarm', ok: true },
    ];
    const ok = await fetch(`${server.url}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ live: true, ready: true, checks });
    checks = [{ name: 'db', ok: false, detail: 'connect ECONNREFUSED 10.0.0.7:5432' }];
    const down = await fetch(`${server.url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ live: true, ready: false, checks: [{ name: 'db', ok: false }] });
    const admin = await (await server.as('admin')).fetch('/healthz');
    expect(((await admin.json()) as { checks: HealthCheck[] }).checks[0]?.detail).toMatch(/ECONNREFUSED/);
  });
});
