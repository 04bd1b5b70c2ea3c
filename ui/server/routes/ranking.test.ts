import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoSite } from '../testing/fixture.ts';
import { startSecuredServer, type SecuredServer } from '../testing/secured-app.ts';
import type { RankedSite } from '../office-types.ts';

let server: SecuredServer;
beforeAll(async () => {
  const site = await loadDemoSite();
  // no verdict history: a server that keeps no record
  server = await startSecuredServer([site, { ...site, id: 'zhoushan-demo-2' }]);
});
afterAll(() => server?.close());

describe('GET /api/ranking on a server that keeps no record', () => {
  it('still ranks the sites the user sees by live score, with no trend and no score then', async () => {
    const ranking = (await (await (await server.as('auditor')).fetch('/api/ranking')).json()) as RankedSite[];
    expect(ranking.map((r) => r.site)).toEqual(['zhoushan-demo', 'zhoushan-demo-2']);
    for (const r of ranking) expect(r).toMatchObject({ scoreThen: null, change: null, trend: [] });
    const mine = (await (await (await server.as('manager')).fetch('/api/ranking')).json()) as RankedSite[];
    expect(mine.map((r) => r.site)).toEqual(['zhoushan-demo']);
  });
});
