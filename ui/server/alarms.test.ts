import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, Site } from '../../model/index.ts';
import type { AlarmCommands } from './commands.ts';
import { loadDemoSite } from './testing/fixture.ts';
import { startSecuredServer, type SecuredServer } from './testing/secured-app.ts';
import type { AuditEntry } from './ports.ts';

// The engine raises no incidents yet; a stand-in holds one so the rescue team's report can go through.
const INCIDENT = 'zhoushan-demo:overfill:T201:1';
const BROKEN = 'zhoushan-demo:broken:T201:1';
const alerts = new Map<string, Alert>();
const responded: [string, string, string][] = [];
const refuse = (code: string) => () => {
  throw Object.assign(new Error(`refused: ${code}`), { code });
};
const commands: AlarmCommands = {
  alert: (id) => alerts.get(id),
  acknowledge: refuse('ENGINE_ALERT_STATE'),
  shelve: refuse('ENGINE_BAD_COMMAND'),
  close: refuse('ENGINE_ALERT_STATE'),
  unshelve: () => {
    throw new Error('disk on fire'); // not an engine refusal: a 500
  },
  respond: (id, by, status) => {
    responded.push([id, by, status]);
    const a = alerts.get(id)!;
    return { ...a, transition: { at: 2, by, action: 'respond', status } };
  },
};

let site: Site;
let server: SecuredServer;
let bare: SecuredServer;
const audit: AuditEntry[] = [];
beforeAll(async () => {
  site = await loadDemoSite();
  for (const id of [INCIDENT, BROKEN]) {
    alerts.set(id, {
      id,
      site: site.id,
      kind: 'overfill',
      severity: 1,
      state: 'active',
      raisedAt: 1,
      changedAt: 1,
      subjects: ['T201'],
      message: { zh: '溢罐', en: 'overfill' },
      actions: [],
      incident: { hazard: 'overfill', zones: { type: 'FeatureCollection', features: [] }, affected: ['T201'], inventory: [], countdowns: [] },
    });
  }
  server = await startSecuredServer([site], { commands, audit: (e) => void audit.push(e) });
  bare = await startSecuredServer([site]);
});
afterAll(async () => {
  await server?.close();
  await bare?.close();
});

const post = async (s: SecuredServer, as: string, path: string, body: unknown) =>
  (await s.as(as)).fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('alarm command routes', () => {
  it('the rescue team reports en route on an incident, as itself, audited', async () => {
    const res = await post(server, 'rescue', `/api/alerts/${INCIDENT}/respond`, { status: 'en-route' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Alert).transition).toEqual({ at: 2, by: 'rescue', action: 'respond', status: 'en-route' });
    expect(responded).toEqual([[INCIDENT, 'rescue', 'en-route']]);
    expect(audit).toEqual([{ actor: 'rescue', action: 'alert.respond', subject: INCIDENT, site: 'zhoushan-demo', details: { status: 'en-route', state: 'active' } }]);
  });

  it("maps the engine's refusals by code (409, 400) and keeps other failures a bare 500", async () => {
    const ack = await post(server, 'manager', `/api/alerts/${BROKEN}/ack`, { comment: 'x' });
    expect([ack.status, await ack.json()]).toEqual([409, { error: 'refused: ENGINE_ALERT_STATE' }]);
    expect((await post(server, 'manager', `/api/alerts/${BROKEN}/shelve`, { minutes: 5, reason: 'x' })).status).toBe(400);
    const un = await post(server, 'manager', `/api/alerts/${BROKEN}/unshelve`, {});
    expect([un.status, await un.json()]).toEqual([500, { error: 'Internal Server Error' }]);
    expect(audit.map((e) => e.action)).toEqual(['alert.respond']);
  });

  it('refuses a request without the CSRF token', async () => {
    const s = await server.as('manager');
    const res = await fetch(`${server.url}/api/alerts/${INCIDENT}/ack`, {
      method: 'POST',
      headers: { cookie: s.cookie, 'content-type': 'application/json' },
      body: '{"comment":"x"}',
    });
    expect(res.status).toBe(403);
  });

  it('answers 404 when the server has no alarm commands', async () => {
    const res = await post(bare, 'admin', `/api/alerts/${INCIDENT}/ack`, { comment: 'x' });
    expect([res.status, await res.json()]).toEqual([404, { error: `no open alert "${INCIDENT}"` }]);
  });

  it('documents the five routes in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(
      Object.keys(doc.paths)
        .filter((p) => p.startsWith('/api/alerts/'))
        .sort(),
    ).toEqual(['/api/alerts/{id}/ack', '/api/alerts/{id}/close', '/api/alerts/{id}/respond', '/api/alerts/{id}/shelve', '/api/alerts/{id}/unshelve']);
  });
});
