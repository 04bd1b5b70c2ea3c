import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Koa from 'koa';
import type { Site } from '../../model/index.ts';
import { createApp } from './index.ts';
import { createMemoryLiveView } from './testing/memory-live-view.ts';
import { loadDemoSite } from './testing/fixture.ts';
import { startSecuredServer, TEST_USERS, type SecuredServer } from './testing/secured-app.ts';
import type { HistoryView } from './views.ts';

let site: Site;
let server: SecuredServer;
const history: HistoryView = {
  series: async (_site, _point, from) => [{ ts: from + 1, value: 12.5, quality: 'good' }],
};
beforeAll(async () => {
  site = await loadDemoSite();
  server = await startSecuredServer([site], { history, metricsToken: 'scrape-me' });
});
afterAll(async () => {
  await server?.close();
});

type Caller = 'anonymous' | (typeof TEST_USERS)[number]['name'];
const CALLERS: Caller[] = ['anonymous', ...TEST_USERS.map((u) => u.name)];

/** Every route, called as it would be on the demo site, and who gets what. */
const CASES: { route: string; method: string; path: string; expect: Record<Caller, number> }[] = [
  { route: 'GET /api/session', method: 'GET', path: '/api/session', expect: { anonymous: 200, manager: 200, auditor: 200, rescue: 200, admin: 200, elsewhere: 200 } },
  { route: 'GET /api/sites', method: 'GET', path: '/api/sites', expect: { anonymous: 401, manager: 200, auditor: 200, rescue: 200, admin: 200, elsewhere: 200 } },
  { route: 'GET /api/sites/:id', method: 'GET', path: '/api/sites/zhoushan-demo', expect: { anonymous: 401, manager: 200, auditor: 200, rescue: 200, admin: 200, elsewhere: 403 } },
  {
    route: 'GET /api/sites/:id/points/:point/series', method: 'GET', path: '/api/sites/zhoushan-demo/points/T101.level/series?from=1000&to=2000',
    expect: { anonymous: 401, manager: 200, auditor: 200, rescue: 200, admin: 200, elsewhere: 403 },
  },
  { route: 'GET /api/events', method: 'GET', path: '/api/events?site=zhoushan-demo', expect: { anonymous: 401, manager: 200, auditor: 200, rescue: 200, admin: 200, elsewhere: 403 } },
  { route: 'GET /healthz', method: 'GET', path: '/healthz', expect: { anonymous: 200, manager: 200, auditor: 200, rescue: 200, admin: 200, elsewhere: 200 } },
  { route: 'GET /metrics', method: 'GET', path: '/metrics', expect: { anonymous: 401, manager: 403, auditor: 403, rescue: 403, admin: 200, elsewhere: 403 } },
  { route: 'GET /api/openapi.json', method: 'GET', path: '/api/openapi.json', expect: { anonymous: 200, manager: 200, auditor: 200, rescue: 200, admin: 200, elsewhere: 200 } },
  // signing in and out are tested on their own below
  { route: 'POST /api/session', method: 'POST', path: '', expect: {} as Record<Caller, number> },
  { route: 'DELETE /api/session', method: 'DELETE', path: '', expect: {} as Record<Caller, number> },
];

async function call(caller: Caller, method: string, path: string): Promise<Response> {
  const abort = new AbortController();
  const init: RequestInit = { method, signal: abort.signal };
  const res = caller === 'anonymous' ? await fetch(`${server.url}${path}`, init) : await (await server.as(caller)).fetch(path, init);
  if (res.headers.get('content-type')?.startsWith('text/event-stream')) abort.abort();
  return res;
}

function routesOf(app: Koa): string[] {
  const router = app.middleware.map((m) => (m as { router?: { stack: { path: string; methods: string[] }[] } }).router).find(Boolean);
  return (router?.stack ?? []).flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${layer.path}`));
}

describe('every route as every role', () => {
  it('the table covers every route the server has', () => {
    const app = createApp({ live: createMemoryLiveView([site]) });
    expect(routesOf(app).sort()).toEqual(CASES.map((c) => c.route).sort());
  });

  for (const c of CASES.filter((c) => c.path)) {
    for (const caller of CALLERS) {
      it(`${c.route} as ${caller}: ${c.expect[caller]}`, async () => {
        const res = await call(caller, c.method, c.path);
        expect(res.status).toBe(c.expect[caller]);
        if (res.status === 401 || res.status === 403) {
          const body = (await res.json()) as { error: string };
          expect(body.error).toMatch(res.status === 401 ? /sign in|bearer token/ : /no access to site "zhoushan-demo"|may not|only admins/);
        } else if (!res.bodyUsed) {
          await res.body?.cancel().catch(() => undefined); // an event stream was aborted already
        }
      });
    }
  }

  it('lists only the sites a user is bound to', async () => {
    const mine = await (await (await server.as('manager')).fetch('/api/sites')).json();
    const other = await (await (await server.as('elsewhere')).fetch('/api/sites')).json();
    expect((mine as { id: string }[]).map((s) => s.id)).toEqual(['zhoushan-demo']);
    expect(other).toEqual([]);
  });

  it('does not tell a user of another site whether a site exists', async () => {
    const elsewhere = await server.as('elsewhere');
    expect((await elsewhere.fetch('/api/sites/atlantis')).status).toBe(403);
    expect((await (await server.as('admin')).fetch('/api/sites/atlantis')).status).toBe(404);
  });

  it('gives the all-sites event stream only the sites the user may see', async () => {
    const elsewhere = await server.as('elsewhere');
    const abort = new AbortController();
    const res = await elsewhere.fetch('/api/events', { signal: abort.signal });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('event: snapshot')) text += (await reader.read()).value ?? '';
    while (!text.includes('\n\n', text.indexOf('event: snapshot'))) text += (await reader.read()).value ?? '';
    abort.abort();
    expect(text).toMatch(/event: snapshot\ndata: \[\]\n/);
  });

  it('reads /metrics with the bearer token, and refuses a wrong one', async () => {
    const ok = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer scrape-me' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^ketwin_site_score\{site="zhoushan-demo"\} 93$/m);
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer guess' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'wrong bearer token' });
  });
});
