import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Site } from '../../../model/index.ts';
import { loadDemoSite } from '../testing/fixture.ts';
import { startSecuredServer, type SecuredServer } from '../testing/secured-app.ts';
import type { CapNotifier } from './cap.ts';

const requests: { sites: readonly string[]; selfUrl: string }[] = [];
const view: CapNotifier = {
  capFeed: (request) => {
    requests.push(request);
    return `<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>${request.sites.join(',')}</title></feed>`;
  },
  deliveryStatus: () => [{ subscriber: 'city', deadLetters: [] }],
  retryDeadLetters: (subscriber) => (subscriber === 'city' ? 2 : 0),
};

let server: SecuredServer;
let other: Site;
beforeAll(async () => {
  const demo = await loadDemoSite();
  other = { ...demo, id: 'ningbo-depot', name: { zh: '宁波', en: 'Ningbo' } };
  server = await startSecuredServer([demo, other], { cap: view });
});
afterAll(() => server.close());

describe('GET /cap/feed.xml', () => {
  it('needs a session', async () => {
    const res = await fetch(new URL('/cap/feed.xml', server.url));
    expect(res.status).toBe(401);
  });

  it('gives rescue and auditor their sites as Atom', async () => {
    const rescue = await server.as('rescue');
    const res = await rescue.fetch('/cap/feed.xml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(await res.text()).toContain('<title>zhoushan-demo</title>');
    const auditor = await server.as('auditor');
    expect(await (await auditor.fetch('/cap/feed.xml')).text()).toContain('<title>zhoushan-demo,ningbo-depot</title>');
    const one = await auditor.fetch('/cap/feed.xml?site=ningbo-depot');
    expect(await one.text()).toContain('<title>ningbo-depot</title>');
    expect(requests.at(-1)!.selfUrl).toBe(`${server.url.replace(/\/$/, '')}/cap/feed.xml?site=ningbo-depot`);
  });

  it('refuses a site the reader is not bound to, and answers 404 for an unknown one only to those who may see all', async () => {
    const rescue = await server.as('rescue');
    expect((await rescue.fetch('/cap/feed.xml?site=ningbo-depot')).status).toBe(403);
    expect((await rescue.fetch('/cap/feed.xml?site=nowhere')).status).toBe(403);
    const auditor = await server.as('auditor');
    expect((await auditor.fetch('/cap/feed.xml?site=nowhere')).status).toBe(404);
    expect((await auditor.fetch('/cap/feed.xml?site=Bad_Id')).status).toBe(400);
  });
});

describe('webhook delivery state', () => {
  it('is for admins', async () => {
    expect((await (await server.as('rescue')).fetch('/api/notify/deliveries')).status).toBe(403);
    const admin = await server.as('admin');
    expect(await (await admin.fetch('/api/notify/deliveries')).json()).toEqual([{ subscriber: 'city', deadLetters: [] }]);
    const retry = await admin.fetch('/api/notify/retry', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subscriber: 'city' }) });
    expect(await retry.json()).toEqual({ requeued: 2 });
  });
});
