// The alarm commands end to end over HTTP: ui/'s routes on the REAL engine (demo site, loaded standards).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Alert } from '../model/index.ts';
import { loadStandards } from '../standards/index.ts';
import { createEngine, EngineError, type Engine } from '../engine/index.ts';
import type { AuditEntry, AlarmCommands } from '../ui/server/index.ts';
import { startSecuredServer, type SecuredServer } from '../ui/server/testing/secured-app.ts';

const SITE_FILE = new URL('../sites/zhoushan-demo.yaml', import.meta.url).pathname;
const STANDARDS = new URL('../standards', import.meta.url).pathname;
const HH = 'GB50074-15.1.2-HH';
const HIGH = 'GB50074-15.1.1-HIGH';

let engine: Engine;
let server: SecuredServer;
const audit: AuditEntry[] = [];
const raised = new Map<string, Alert>();
const idOf = (clause: string) => [...raised.values()].find((a) => a.clause === clause || a.id.includes(`:${clause}:`))!.id;

beforeAll(async () => {
  const site = await loadSite(SITE_FILE);
  engine = createEngine({ sites: [site], standards: await loadStandards(STANDARDS) });
  engine.alerts$.subscribe((a) => raised.set(a.id, a));
  // the engine satisfies the ui's AlarmCommands as it is: this line is what main.ts wires
  const commands: AlarmCommands = engine;
  server = await startSecuredServer([site], { commands, audit: (e) => void audit.push(e) });
  // T201 above its high-high set-point: the HH (overfill) and HIGH alarms are raised
  engine.ingest({ site: site.id, point: 'T201.level', value: 16.5, quality: 'good', ts: Date.now() });
  for (let i = 0; i < 100 && raised.size < 2; i++) await new Promise((r) => setTimeout(r, 20));
  expect([...raised.keys()].some((id) => id.includes(`:${HH}:T201:`))).toBe(true);
  expect([...raised.keys()].some((id) => id.includes(`:${HIGH}:T201:`))).toBe(true);
});
afterAll(async () => {
  await server?.close();
  engine?.dispose();
});

async function post(as: string, path: string, body: unknown): Promise<{ status: number; body: { error?: string } & Partial<Alert> }> {
  const res = await (await server.as(as)).fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { error?: string } & Partial<Alert> };
}
const url = (id: string, command: string) => `/api/alerts/${encodeURIComponent(id)}/${command}`;

describe('acknowledge', () => {
  it('requires a comment, naming the field', async () => {
    const res = await post('manager', url(idOf(HH), 'ack'), {});
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/^body\.comment: /);
    expect((await post('manager', url(idOf(HH), 'ack'), { comment: '   ' })).body.error).toMatch(/body\.comment: must not be empty/);
  });

  it('takes who acknowledged from the session, never from the body', async () => {
    const res = await post('manager', url(idOf(HH), 'ack'), { comment: 'x', by: 'mallory' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/^body: .*by/);
  });

  it('refuses the auditor, and a manager of another site', async () => {
    expect((await post('auditor', url(idOf(HH), 'ack'), { comment: 'seen' })).status).toBe(403);
    const elsewhere = await post('elsewhere', url(idOf(HH), 'ack'), { comment: 'seen' });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error).toBe('no access to site "zhoushan-demo"');
  });

  it('404 for an alert the engine does not hold open', async () => {
    const res = await post('manager', url('zhoushan-demo:nothing:T201:1', 'ack'), { comment: 'seen' });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatch(/no open alert/);
  });

  it('acknowledges as the signed-in manager, audited; a second acknowledgement is a 409', async () => {
    const id = idOf(HH);
    const before = audit.length;
    const res = await post('manager', url(id, 'ack'), { comment: 'transfer to T201 stopped' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id,
      state: 'acknowledged',
      lifecycle: { condition: 'active', acknowledged: true },
      transition: { action: 'acknowledge', by: 'manager', comment: 'transfer to T201 stopped' },
    });
    expect(engine.alert(id)?.lifecycle?.acknowledged).toBe(true);
    expect(audit.slice(before)).toEqual([
      { actor: 'manager', action: 'alert.acknowledge', subject: id, site: 'zhoushan-demo', details: { comment: 'transfer to T201 stopped', state: 'acknowledged' } },
    ]);
    const again = await post('admin', url(id, 'ack'), { comment: 'again' });
    expect(again.status).toBe(409);
    expect(audit.length).toBe(before + 1);
  });
});

describe('shelve and unshelve', () => {
  it('validates minutes and reason, naming the field', async () => {
    expect((await post('manager', url(idOf(HIGH), 'shelve'), { minutes: 0, reason: 'x' })).body.error).toMatch(/^body\.minutes: /);
    expect((await post('manager', url(idOf(HIGH), 'shelve'), { minutes: 30 })).body.error).toMatch(/^body\.reason: /);
  });

  it('refuses a shelve longer than the standard allows (400), the auditor and another site (403)', async () => {
    const long = await post('manager', url(idOf(HIGH), 'shelve'), { minutes: 24 * 60, reason: 'maintenance' });
    expect(long.status).toBe(400);
    expect(long.body.error).toMatch(/at most/);
    expect((await post('auditor', url(idOf(HIGH), 'shelve'), { minutes: 30, reason: 'maintenance' })).status).toBe(403);
    expect((await post('elsewhere', url(idOf(HIGH), 'shelve'), { minutes: 30, reason: 'maintenance' })).status).toBe(403);
    expect((await post('rescue', url(idOf(HIGH), 'shelve'), { minutes: 30, reason: 'maintenance' })).status).toBe(403);
  });

  it('never shelves the severity-1 overfill alarm: 409 with the reason, nothing audited; the engine refuses it as ENGINE_NOT_SHELVABLE', async () => {
    const id = idOf(HH);
    expect(engine.alert(id)?.severity).toBe(1);
    const before = audit.length;
    const res = await post('manager', url(id, 'shelve'), { minutes: 30, reason: 'nuisance' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatch(/severity-1 alarm is never shelved/);
    expect(audit.length).toBe(before);
    let refused: unknown;
    try {
      engine.shelve(id, 'manager', Date.now() + 30 * 60_000, 'nuisance');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(EngineError);
    expect((refused as EngineError).code).toBe('ENGINE_NOT_SHELVABLE');
    expect(engine.alert(id)?.lifecycle?.shelved).toBeUndefined();
    expect(engine.alert(id)?.state).not.toBe('shelved');
  });

  it('unshelving what is not shelved is a 409', async () => {
    expect((await post('manager', url(idOf(HIGH), 'unshelve'), {})).status).toBe(409);
  });

  it('shelves for the given minutes as the signed-in user, then unshelves; both audited', async () => {
    const id = idOf(HIGH);
    const before = audit.length;
    const t0 = Date.now();
    const res = await post('manager', url(id, 'shelve'), { minutes: 30, reason: 'level transmitter being recalibrated' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, state: 'shelved', lifecycle: { shelved: { by: 'manager', reason: 'level transmitter being recalibrated' } } });
    const until = res.body.lifecycle!.shelved!.until;
    expect(until).toBeGreaterThanOrEqual(t0 + 30 * 60_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 30 * 60_000);
    expect((await post('manager', url(id, 'shelve'), { minutes: 30, reason: 'again' })).status).toBe(409);
    const back = await post('admin', url(id, 'unshelve'), { comment: 'recalibrated' });
    expect(back.status).toBe(200);
    expect(back.body.lifecycle?.shelved).toBeUndefined();
    expect(back.body.transition).toMatchObject({ action: 'unshelve', by: 'admin' });
    expect(audit.slice(before).map((e) => [e.actor, e.action, e.subject])).toEqual([
      ['manager', 'alert.shelve', id],
      ['admin', 'alert.unshelve', id],
    ]);
  });
});

describe('respond', () => {
  it('validates the status, naming the field', async () => {
    const res = await post('rescue', url(idOf(HH), 'respond'), { status: 'lost' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/^body\.status: /);
  });

  it('refuses the auditor and another site; 404 for an unknown alert', async () => {
    expect((await post('auditor', url(idOf(HH), 'respond'), { status: 'en-route' })).status).toBe(403);
    expect((await post('elsewhere', url(idOf(HH), 'respond'), { status: 'en-route' })).status).toBe(403);
    expect((await post('rescue', url('zhoushan-demo:nothing:T201:1', 'respond'), { status: 'en-route' })).status).toBe(404);
  });

  it('an alarm that is not an incident is a 409 (rescue teams respond to incidents)', async () => {
    const res = await post('rescue', url(idOf(HH), 'respond'), { status: 'en-route' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatch(/not an incident/);
  });
});
