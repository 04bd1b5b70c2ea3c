/**
 * Issue 26 item 1, "or a transfer declared", through the route table, the real engine (standard 1.1.0, on
 * virtual time) and its stuck-gauge check: a manager declares a receipt into a tank that has no flow
 * meter; its gauge stops sending; the twin suspects the gauge. Who may declare, what is refused (named by
 * field), the audit, and ending a declaration.
 */
import { fileURLToPath } from 'node:url';
import { VirtualTimeScheduler, type SchedulerLike } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine/index.ts';
import { loadSite, type Alert, type Site } from '../model/index.ts';
import { loadStandards } from '../standards/index.ts';
import type { AuditEntry } from '../db/index.ts';
import { standingTransfers, type LiveTwin } from '../ui/server/index.ts';
import { startSecuredServer, type SecuredServer } from '../ui/server/testing/secured-app.ts';

const NOW = Date.parse('2026-12-07T02:00:00Z'); // 10:00 in Zhoushan
const MIN = 60_000;
const AREA = (Math.PI * 40.5 ** 2) / 4; // T201's cross-section, m²

let site: Site;
let engine: Engine;
let virtual: VirtualTimeScheduler;
let server: SecuredServer;
const alerts: Alert[] = [];
const audited: AuditEntry[] = [];
const now = () => NOW + virtual.now();
/** the audited entries as the audit log returns them */
const rows = () => audited.map((a) => ({ action: a.action, site: a.site ?? null, details: a.details ?? {} }));

/** runs the engine's clock on by `ms`; every 5 s (a silent feed is link-lost) the PLC reports T201's temperature and, until `gaugeUntil`, its level rising at 550 m³/h */
const advance = (ms: number, gaugeUntil: number) => {
  const end = virtual.frame + ms;
  while (virtual.frame < end) {
    const at = now();
    engine.ingest({ site: site.id, point: 'T201.temperature', value: 20, quality: 'good', ts: at });
    if (at < gaugeUntil)
      engine.ingest({ site: site.id, point: 'T201.level', value: Math.round((14 + ((at - NOW) / 3_600_000) * (550 / AREA)) * 1000) / 1000, quality: 'good', ts: at });
    virtual.maxFrames = Math.min(end, virtual.frame + 5_000);
    virtual.flush();
    virtual.frame = virtual.maxFrames;
  }
};
const post = async (user: string, body: unknown) =>
  (await server.as(user)).fetch('/api/sites/zhoushan-demo/transfers', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const iso = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
  const loaded = await loadSite(fileURLToPath(new URL('../sites/zhoushan-demo.yaml', import.meta.url)));
  // T201 without its flow meter: only a declaration can say it is receiving
  site = { ...loaded, points: loaded.points.filter((p) => p.id !== 'T201.flow') };
  const standards = (await loadStandards(fileURLToPath(new URL('../standards', import.meta.url)))).filter((s) => s.key === 'oil-depot-above-ground@1.1.0');
  virtual = new VirtualTimeScheduler(undefined, 10 * 60_000);
  const scheduler: SchedulerLike = { now, schedule: virtual.schedule.bind(virtual) as SchedulerLike['schedule'] };
  engine = createEngine({ sites: [site], standards, scheduler });
  engine.alerts$.subscribe((a) => alerts.push(a));
  const live: LiveTwin = { sites: () => [site], snapshot: (id) => engine.snapshot(id), clauses: (id) => engine.clauses(id), events$: engine.events$ };
  server = await startSecuredServer([site], { live, transfers: engine, now, audit: (entry) => void audited.push(entry) });
});
afterAll(async () => {
  await server?.close();
  engine?.dispose();
});

describe('a transfer declared by a manager (POST /api/sites/:id/transfers)', () => {
  it('is refused to whoever may not operate the site, and names the field and the problem of a bad body', async () => {
    const good = { tank: 'T201', direction: 'in', rateM3h: 550, until: iso(NOW + 2 * 3_600_000) };
    expect((await post('auditor', good)).status).toBe(403);
    expect((await post('elsewhere', good)).status).toBe(403);
    const refused = async (body: unknown) => {
      const res = await post('manager', body);
      expect(res.status).toBe(400);
      return ((await res.json()) as { error: string }).error;
    };
    expect(await refused({ ...good, tank: 'T999' })).toBe('body.tank: site "zhoushan-demo" has no asset "T999"');
    expect(await refused({ ...good, tank: 'GD101' })).toBe('body.tank: "GD101" is a gas-detector, not a tank');
    expect(await refused({ ...good, rateM3h: -5 })).toMatch(/rateM3h.*must be above 0 m³\/h/);
    expect(await refused({ ...good, direction: 'sideways' })).toMatch(/direction/);
    expect(await refused({ ...good, until: '18:00' })).toMatch(/until.*must be a date-time with its offset/);
    expect(await refused({ ...good, until: iso(NOW - MIN) })).toMatch(/^body\.until: .* is not ahead/);
    expect(await refused({ ...good, until: iso(NOW + 49 * 3_600_000) })).toMatch(/^body\.until: at most 48 h ahead/);
    expect(await refused({ ...good, valve: 'open' })).toMatch(/valve/);
    expect(engine.transfers(site.id)).toEqual([]);
    expect(audited.filter((a) => a.action.startsWith('transfer.'))).toEqual([]);
  });

  it('is held by the twin and audited; a tank with no meter whose gauge stops sending is then suspected stuck', async () => {
    const res = await post('manager', { tank: 'T201', direction: 'in', rateM3h: 550, until: '2026-12-07T12:00:00+08:00' });
    expect(res.status).toBe(201);
    const declared = { tank: 'T201', direction: 'in', rateM3h: 550, until: NOW + 2 * 3_600_000, by: 'manager', at: NOW };
    expect(await res.json()).toEqual(declared);
    expect(await (await (await server.as('auditor')).fetch('/api/sites/zhoushan-demo/transfers')).json()).toEqual([declared]);
    expect(audited.find((a) => a.action === 'transfer.declare')).toMatchObject({ actor: 'manager', subject: 'T201', site: 'zhoushan-demo', details: declared });
    // what a restart takes back from the audit log (main.ts)
    expect(standingTransfers(rows(), now())).toEqual([{ site: 'zhoushan-demo', declaration: declared }]);
    // the gauge follows the receipt for 15 min, then sends nothing
    advance(30 * MIN, NOW + 15 * MIN);
    const doubt = alerts.find((a) => a.incident?.hazard === 'stuck-gauge' && a.subjects.includes('T201'));
    expect(doubt).toBeDefined();
    expect(doubt!.raisedAt - NOW).toBeGreaterThanOrEqual(20 * MIN);
    expect(doubt!.raisedAt - NOW).toBeLessThanOrEqual(21 * MIN);
    expect(engine.snapshot(site.id)!.values['T201.level']).toMatchObject({ quality: 'uncertain' });
  });

  it('ends at once when the manager ends it (DELETE), audited; ending one that does not stand is 404', async () => {
    const manager = await server.as('manager');
    const res = await manager.fetch('/api/sites/zhoushan-demo/transfers/T201', { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ tank: 'T201', until: now(), by: 'manager' });
    expect(engine.transfers(site.id)).toEqual([]);
    expect(audited.find((a) => a.action === 'transfer.end')).toMatchObject({ actor: 'manager', subject: 'T201', details: { declaredBy: 'manager' } });
    expect((await manager.fetch('/api/sites/zhoushan-demo/transfers/T201', { method: 'DELETE' })).status).toBe(404);
    // ended: a restart takes nothing back
    expect(standingTransfers(rows(), now())).toEqual([]);
  });
});
