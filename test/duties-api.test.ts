/**
 * Issue 26 items 6 and 7 through the real engine, standard 1.1.0 and store (PGlite): the due list of
 * each evidence duty (last record + validFor, overdue first, due within 30 days next) per site and
 * across the sites a user may see, and the daily safety commitment — pre-filled from the live twin,
 * "all normal" refused while an incident is open, stored once a day, audited, shown to the office.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VirtualTimeScheduler, type SchedulerLike } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../db/index.ts';
import { createEngine, lightningReviewClause, lightningReviewRecord, type Engine } from '../engine/index.ts';
import { awaitingClose, loadSite, type Sample, type SampleValue, type Site } from '../model/index.ts';
import { loadStandards, type Standard } from '../standards/index.ts';
import type { AuditEntry, CommitmentFacts, DueItem, LiveTwin, SafetyCommitmentView } from '../ui/server/index.ts';
import { siteDueItems } from '../ui/server/duties/due-list.ts';
import { startSecuredServer, type SecuredServer } from '../ui/server/testing/secured-app.ts';

const NOW = Date.parse('2026-12-07T02:00:00Z'); // 10:00 in Zhoushan
const SITE_FILE = fileURLToPath(new URL('../sites/zhoushan-demo.yaml', import.meta.url));

/** a healthy reading for every point of the demo depot */
const HEALTHY: Record<string, SampleValue> = {
  level: 10,
  temperature: 30,
  water_level: 0.05,
  gas: 2,
  pressure: 0.25,
  concentrate_level: 90,
  fuel_level: 90,
  wind_speed: 3,
  wind_direction: 90,
  air_temperature: 20,
  electric_field: 0.1,
  strike_distance: 999,
  flow: 0,
  ready: true,
  mains_available: true,
  esv_in_closed: false,
};
const healthy = (site: Site, at: number): Sample[] =>
  site.points.map((p) => ({
    site: site.id,
    point: p.id,
    quality: 'good',
    ts: at,
    value: p.id === 'FWP1.level' ? 4.8 : (HEALTHY[p.name] ?? (p.unit === 'bool' ? false : 0)),
  }));

let root: string;
let store: Store;
let engine: Engine;
let virtual: VirtualTimeScheduler;
let server: SecuredServer;
let demo: Site;
let other: Site;
let gas = 2;
/** moves the engine's virtual clock on by `ms`, the feeds reporting every 5 s (a silent feed is link-lost), GD101 reading `gas` */
const advance = (ms: number) => {
  const end = virtual.frame + ms;
  while (virtual.frame < end) {
    const at = NOW + virtual.frame;
    for (const site of [demo, other]) for (const s of healthy(site, at)) engine.ingest(s.point === 'GD101.gas' && site.id === demo.id ? { ...s, value: gas } : s);
    virtual.maxFrames = Math.min(end, virtual.frame + 5000);
    virtual.flush();
    virtual.frame = virtual.maxFrames;
  }
};
const audited: AuditEntry[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ketwin-duties-'));
  store = await openStore({ dataDir: join(root, 'data') });
  const loaded = await loadSite(SITE_FILE);
  // this depot drilled its on-site plan in the autumn (the demo's spring drill is overdue on purpose)
  demo = { ...loaded, evidence: [...loaded.evidence, { kind: 'onsite-plan-drill', date: '2026-10-10', by: '安全科 王工', ref: 'XC-2026-02', passed: true, values: {} }] };
  // a second depot, bound to the 'elsewhere' manager, that keeps the demo's records as they are
  other = { ...loaded, id: 'ningbo-depot', name: { zh: '宁波油库', en: 'Ningbo depot' } };
  const standards: Standard[] = (await loadStandards(fileURLToPath(new URL('../standards', import.meta.url)))).filter((s) => s.key === 'oil-depot-above-ground@1.1.0');
  virtual = new VirtualTimeScheduler(undefined, 10 * 60_000);
  const scheduler: SchedulerLike = { now: () => NOW + virtual.now(), schedule: virtual.schedule.bind(virtual) as SchedulerLike['schedule'] };
  engine = createEngine({ sites: [demo, other], standards, scheduler });
  for (const site of [demo, other]) for (const s of healthy(site, NOW)) engine.ingest(s);
  // every other duty of this depot done yesterday (this test is about the incident, whatever evidence clauses the standard holds)
  const missing = siteDueItems(demo, engine.snapshot(demo.id), engine.clauses(demo.id), NOW).filter((d) => d.status === 'overdue');
  demo = {
    ...demo,
    evidence: [
      ...demo.evidence,
      ...missing.map((d) => ({
        kind: d.kind!,
        ...(d.subject === demo.id ? {} : { subject: d.subject }),
        date: '2026-12-06',
        by: 'li.gong',
        ref: `R-${d.kind}`,
        passed: true,
        values: {},
      })),
    ],
  };
  engine.updateSite(demo);
  // main reviews the lightning warnings' history at start (engine/lightning-review): these depots' history holds none
  const review = lightningReviewClause(standards[0]!)!;
  for (const site of [demo, other]) engine.addEvidence(site.id, lightningReviewRecord({ warnings: [], decided: 0, valid: 0 }, review.params, NOW));
  const live: LiveTwin = {
    sites: () => [demo, other],
    snapshot: (id) => engine.snapshot(id),
    clauses: (id) => engine.clauses(id),
    events$: engine.events$,
    standard: (id) => standards.find((s) => s.key === engine.clauses(id)[0]?.standard),
  };
  server = await startSecuredServer([demo, other], {
    live,
    commitments: store,
    now: () => NOW,
    audit: (entry) => {
      audited.push(entry);
      void store.appendAudit(entry);
    },
  });
});
afterAll(async () => {
  await server?.close();
  engine?.dispose();
  await store?.close();
  await rm(root, { recursive: true, force: true });
});

describe('the due list (Order No. 40 Art. 21 drills and every other evidence duty)', () => {
  it("lists the site's duties with last record and next due date: overdue first, due within 30 days next", async () => {
    const manager = await server.as('manager');
    const res = await manager.fetch('/api/sites/ningbo-depot/due');
    expect(res.status).toBe(403);
    const items = (await (await (await server.as('elsewhere')).fetch('/api/sites/ningbo-depot/due')).json()) as DueItem[];
    const statuses = items.map((i) => i.status);
    const order = ['overdue', 'not-measured', 'failing', 'unknown', 'due-soon', 'ok'];
    expect(statuses).toEqual([...statuses].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
    // the day's online rate is measured by the twin: on a fresh start it is not measured yet, never "never done"
    expect(items.find((i) => i.clause === 'MEM-DQ-ONLINE-RATE')).toMatchObject({ status: 'not-measured' });
    // the demo's spring on-site drill: 2026-03-12 + P6M = 2026-09-12, overdue by 86 days
    const onsite = items.find((i) => i.clause === 'ORDER40-21-ONSITE-DRILL')!;
    expect(onsite).toMatchObject({
      status: 'overdue',
      lastDone: '2026-03-12',
      validFor: 'P6M',
      kind: 'onsite-plan-drill',
      ref: 'XC-2026-01',
      dueAt: Date.parse('2026-09-12T00:00:00Z'),
      daysLeft: -86,
    });
    expect(items[0]!.status).toBe('overdue');
    // the special plan's yearly drill (2026-06-15 + P1Y) is in date, and listed after those due soon
    expect(items.find((i) => i.clause === 'ORDER40-21-SPECIAL-DRILL')).toMatchObject({ status: 'ok', dueAt: Date.parse('2027-06-15T00:00:00Z') });
    // D3's quarterly check by its technical person: 2026-09-25 + P92D = 2026-12-26, due in 19 days
    expect(items.find((i) => i.clause === 'MEM-2021-BAOBAO-QUARTERLY-CHECK' && i.subject === 'D3')).toMatchObject({ status: 'due-soon', daysLeft: 19 });
    expect(items.findIndex((i) => i.status === 'due-soon')).toBeLessThan(items.findIndex((i) => i.status === 'ok'));
    // a narrower window: D3 is no longer due soon
    const narrow = (await (await (await server.as('elsewhere')).fetch('/api/sites/ningbo-depot/due?within=7')).json()) as DueItem[];
    expect(narrow.find((i) => i.clause === 'MEM-2021-BAOBAO-QUARTERLY-CHECK' && i.subject === 'D3')?.status).toBe('ok');
    expect((await manager.fetch('/api/sites/zhoushan-demo/due?within=x')).status).toBe(400);
  });

  it('across the sites a user may see: the office sees every site, a manager only their own', async () => {
    const office = (await (await (await server.as('auditor')).fetch('/api/due')).json()) as DueItem[];
    expect(new Set(office.map((i) => i.site))).toEqual(new Set(['zhoushan-demo', 'ningbo-depot']));
    expect(office[0]).toMatchObject({ status: 'overdue' });
    expect(office.find((i) => i.site === 'ningbo-depot' && i.clause === 'ORDER40-21-ONSITE-DRILL')).toMatchObject({ status: 'overdue' });
    // the demo drilled in October: in date there
    expect(office.find((i) => i.site === 'zhoushan-demo' && i.clause === 'ORDER40-21-ONSITE-DRILL')).toMatchObject({ status: 'ok', lastDone: '2026-10-10' });
    const mine = (await (await (await server.as('manager')).fetch('/api/due')).json()) as DueItem[];
    expect(new Set(mine.map((i) => i.site))).toEqual(new Set(['zhoushan-demo']));
  });

  it('as a CSV file for the office: the same rows in the same order, each due day in the site’s zone, the export audited', async () => {
    const office = (await (await (await server.as('auditor')).fetch('/api/due')).json()) as DueItem[];
    const res = await (await server.as('auditor')).fetch('/api/due.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="ketwin-due-2026-12-07.csv"');
    const rows = (await res.text())
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    // RFC 4180 cells: a quoted cell may hold commas
    const cells = (row: string) => [...row.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => m[1]!.replace(/^"|"$/g, '').replaceAll('""', '"'));
    expect(rows[0]).toBe('site,site_name_zh,site_name_en,status,clause,title_zh,title_en,subject,last_done,reference,due,days_left,valid_for,source');
    expect(rows).toHaveLength(office.length + 1);
    expect(rows.slice(1).map((r) => [cells(r)[0], cells(r)[3], cells(r)[4], cells(r)[7]])).toEqual(office.map((i) => [i.site, i.status, i.clause, i.subject]));
    // the demo's drill of 10 October, valid six months: due on 10 April 2027 in Zhoushan
    const drill = rows.find((r) => r.startsWith('zhoushan-demo,') && r.includes(',ORDER40-21-ONSITE-DRILL,'))!;
    expect(drill).toContain(',2026-10-10,');
    expect(cells(drill)[3]).toBe('ok');
    expect(cells(drill)[10]).toBe('2027-04-10');
    expect(cells(drill)[12]).toBe('P6M');
    expect(audited.at(-1)).toMatchObject({ actor: 'auditor', action: 'report.export', subject: 'ketwin-due-2026-12-07.csv', details: { what: 'due', rows: office.length } });
    // a manager's file holds the own site only
    const mine = await (await (await server.as('manager')).fetch('/api/due.csv')).text();
    expect(mine.includes('ningbo-depot')).toBe(false);
    expect((await (await server.as('auditor')).fetch('/api/due.csv?within=x')).status).toBe(400);
    // as the office sorted the list on screen: most days left first
    const sorted = (await (await (await server.as('auditor')).fetch('/api/due.csv?sort=daysLeft&order=desc&lang=en')).text())
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    const daysLeft = sorted.slice(1).map((r) => (cells(r)[11] === '' ? -Infinity : Number(cells(r)[11])));
    expect(daysLeft).toHaveLength(office.length);
    expect(daysLeft).toEqual([...daysLeft].sort((a, b) => b - a));
    expect(new Set(daysLeft).size).toBeGreaterThan(2);
    const refused = await (await server.as('auditor')).fetch('/api/due.csv?sort=colour');
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('sort');
  });
});

describe('the daily safety commitment (安全承诺)', () => {
  type Today = { day: string; facts: CommitmentFacts; normalAllowed: boolean; signers: string[]; commitment: SafetyCommitmentView | null };
  const today = async (): Promise<Today> => (await (await server.as('manager')).fetch('/api/sites/zhoushan-demo/commitment')).json() as Promise<Today>;
  const sign = async (user: string, body: unknown) =>
    (await server.as(user)).fetch('/api/sites/zhoushan-demo/commitment', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('is refused as "all normal" while an incident is open, and signed once the incident is closed', async () => {
    // a fresh start: the day's online rate is not measured yet — unknown, so "all normal" waits for it, saying when
    const fresh = await today();
    expect(fresh.facts.standing.map((s) => s.en)).toEqual([
      'not measured yet: Safety point clocks agree, first measurement at 11:00 at the earliest',
      'not measured yet: Safety points online, first measurement at 11:00 at the earliest',
    ]);
    expect(fresh.normalAllowed).toBe(false);
    // the twin's first hour: 10:00 → 11:00 at the depot, every safety point good
    advance(3_600_000);
    // nothing stands: every safety point reads good, no duty overdue, no lightning, the online rate measured
    const calm = await today();
    expect(calm.facts.notMeasured).toEqual([]);
    expect(calm.facts.standing).toEqual([]);
    expect(calm).toMatchObject({ day: '2026-12-07', normalAllowed: true, signers: ['manager', 'li.gong', 'zhao.ban', 'qian.ban'], commitment: null });

    // a gas cloud at GD101: an incident opens
    gas = 60;
    advance(5000);
    const facts = (await today()).facts;
    expect(facts.openIncidents.map((i) => i.hazard)).toContain('gas-cloud');
    const incident = facts.openIncidents.find((i) => i.hazard === 'gas-cloud')!;

    const refused = await sign('manager', { allNormal: true, statement: '今日各重大危险源运行正常' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toMatch(/^cannot declare all normal: open incident: /);
    expect(await store.commitmentsOn('2026-12-07', ['zhoushan-demo'])).toEqual([]);

    // the gas is gone, the incident awaits closing by a person: still open
    gas = 2;
    advance(3 * 60_000); // past the detector's clear delay and the incident's delay-off: the incident awaits closing
    expect((await today()).facts.openIncidents.map((i) => i.id)).toContain(incident.id);
    // the manager closes it, and the vapour-cloud explosion warning raised with it
    for (const a of engine.snapshot('zhoushan-demo')!.alerts.filter(awaitingClose)) engine.close(a.id, 'manager', 'gas cleared, detector checked');
    expect((await today()).facts.standing).toEqual([]);

    // only a named responsible person signs; a rescue team cannot
    expect((await sign('admin', { allNormal: true, statement: 'x' })).status).toBe(403);
    expect((await sign('rescue', { allNormal: true, statement: 'x' })).status).toBe(403);
    expect((await sign('manager', { allNormal: true })).status).toBe(400);

    const signed = await sign('manager', { allNormal: true, statement: '今日各重大危险源运行正常' });
    expect(signed.status).toBe(201);
    expect(await signed.json()).toMatchObject({ site: 'zhoushan-demo', day: '2026-12-07', signedBy: 'manager', allNormal: true, signedAt: NOW });
    expect((await today()).commitment).toMatchObject({ signedBy: 'manager', allNormal: true });
    expect(audited.filter((e) => e.action === 'commitment.sign')).toEqual([
      expect.objectContaining({
        actor: 'manager',
        site: 'zhoushan-demo',
        subject: 'commitment:2026-12-07',
        details: expect.objectContaining({ allNormal: true, duties: expect.arrayContaining([{ site: 'zhoushan-demo', unit: 'D1', role: 'principal' }]) }),
      }),
    ]);
    // once a day
    const twice = await sign('manager', { allNormal: false, statement: 'x' });
    expect(twice.status).toBe(409);
    expect(((await twice.json()) as { error: string }).error).toMatch(/signed already by manager/);
  });

  it('pre-fills what stands on the other depot: its overdue drill; a signature there says so, not "all normal"', async () => {
    const elsewhere = await server.as('elsewhere');
    const form = (await (await elsewhere.fetch('/api/sites/ningbo-depot/commitment')).json()) as Today;
    expect(form.normalAllowed).toBe(false);
    expect(form.facts.overdue.map((d) => d.clause)).toContain('ORDER40-21-ONSITE-DRILL');
    expect(form.facts.standing.map((s) => s.en)).toContain('overdue: On-site disposal plan drill, due 2026-09-12');
  });

  it("shows the office every site's commitment of the day, or its absence", async () => {
    const office = (await (await (await server.as('auditor')).fetch('/api/commitments')).json()) as { site: string; day: string; commitment: SafetyCommitmentView | null }[];
    expect(office.map((o) => [o.site, o.day, o.commitment?.signedBy ?? null])).toEqual([
      ['zhoushan-demo', '2026-12-07', 'manager'],
      ['ningbo-depot', '2026-12-07', null],
    ]);
    const earlier = (await (await (await server.as('auditor')).fetch('/api/commitments?day=2026-12-06')).json()) as { commitment: unknown }[];
    expect(earlier.every((o) => o.commitment === null)).toBe(true);
    expect((await (await server.as('auditor')).fetch('/api/commitments?day=yesterday')).status).toBe(400);
    // an auditor reads but never signs
    expect(
      (
        await (
          await server.as('auditor')
        ).fetch('/api/sites/zhoushan-demo/commitment', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"allNormal":false,"statement":"x"}' })
      ).status,
    ).toBe(403);
  });
});
