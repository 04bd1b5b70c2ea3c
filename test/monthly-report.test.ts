/**
 * Issue 23 item 4: the office's monthly report of a set of sites, from a real record (two demo depots' readings
 * replayed through the engine into PGlite, an incident acknowledged and cleared) — PDF and CSV, each with the
 * standard versions and the audit chain's head, signed; the signature verifies and fails after one changed byte.
 * And the office's ranking by score with the trend from the same record (item 3).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncScheduler } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../db/index.ts';
import { createEngine, replay, type Engine } from '../engine/index.ts';
import { loadSite, type Alert, type Site } from '../model/index.ts';
import { scenarioSamples } from '../sim/index.ts';
import { loadStandards, type Standard } from '../standards/index.ts';
import { verifyReport, type ReportSignature } from '../ui/server/index.ts';
import { startSecuredServer, type SecuredServer } from '../ui/server/testing/secured-app.ts';
import { createMemoryLiveTwin } from '../ui/server/testing/memory-live-twin.ts';
import type { AuditEntry } from '../ui/server/ports.ts';
import type { RankedSite } from '../ui/server/routes/ranking.ts';

const root = new URL('..', import.meta.url).pathname;
/** a day in September 2026: the month holds the demo depots' siren tests and evacuation drills (18th) */
const T0 = Date.UTC(2026, 8, 10, 2, 0, 0);
const MINUTE = 60_000;

let dir: string;
let store: Store;
let server: SecuredServer;
let engine: Engine;
let sites: Site[];
let standard: Standard;
const audited: AuditEntry[] = [];

const incident = (state: Alert['state'], changedAt: number): Alert => ({
  id: 'inc-T201-overfill',
  site: 'zhoushan-demo',
  kind: 'hazard-overfill',
  severity: 2,
  state,
  raisedAt: T0 + 5 * MINUTE,
  changedAt,
  subjects: ['T201'],
  message: { zh: '1号汽油储罐将溢油', en: 'Gasoline tank 1 will overfill' },
  actions: [{ zh: '停止进料', en: 'Stop the receipt' }],
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ketwin-monthly-'));
  sites = await Promise.all(['zhoushan-demo', 'putuo-products'].map((id) => loadSite(join(root, 'sites', `${id}.yaml`))));
  standard = (await loadStandards(join(root, 'standards'))).find((s) => s.version === '1.1.0')!;
  store = await openStore({ dataDir: join(dir, 'data') });
  for (const site of sites) {
    const samples = [
      ...scenarioSamples(
        site,
        { name: 'calm', title: { zh: '平稳', en: 'Calm' }, steps: [{ at: 1, action: 'flow', tank: 'T101', m3h: 0 }] },
        { start: T0, untilMs: 20 * MINUTE, secondsPerTick: 1 },
      ),
    ].flatMap((t) => t.samples);
    const out = replay({ samples, site, standard });
    await store.writeResults(out.results);
    await store.writeScores(out.scores);
  }
  // an incident raised at +5 min, acknowledged 2 min later, cleared after 11 min
  await store.writeAlerts([incident('active', T0 + 5 * MINUTE)]);
  await store.writeAlerts([incident('acknowledged', T0 + 7 * MINUTE)]);
  await store.writeAlerts([incident('cleared', T0 + 16 * MINUTE)]);
  await store.appendAudit({ actor: 'manager', action: 'acknowledge', subject: 'inc-T201-overfill' });
  engine = createEngine({ sites, standards: [standard], scheduler: asyncScheduler });
  const twin = createMemoryLiveTwin(sites);
  const live = { ...twin, clauses: (id: string) => engine.clauses(id), standard: () => standard };
  server = await startSecuredServer(sites, {
    live,
    verdicts: store,
    alerts: store,
    auditHead: () => store.auditHead(),
    reports: { keyDir: join(dir, 'keys') },
    audit: (e) => void audited.push(e),
    now: () => Date.UTC(2026, 11, 7),
  });
}, 120_000);
afterAll(async () => {
  await server?.close();
  engine?.dispose();
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const monthly = async (user: string, query: string) => (await server.as(user)).fetch(`/api/reports/monthly?${query}`);

describe('GET /api/ranking', () => {
  it('ranks the sites by live score, lowest first, each with its score 90 days ago and the daily lows since', async () => {
    const ranking = (await (await (await server.as('auditor')).fetch('/api/ranking')).json()) as RankedSite[];
    expect(ranking.map((r) => r.site).sort()).toEqual(['putuo-products', 'zhoushan-demo']);
    const scores = ranking.map((r) => r.score ?? -1);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    // 90 days before 7 December is 8 September: nothing recorded yet then; the record of 10 September is in the trend
    for (const r of ranking) {
      expect(r.scoreThen).toBeNull();
      expect(r.trend.map((d) => d.day)).toEqual(['2026-09-10']);
    }
    const recorded = await store.scoreHistory('zhoushan-demo', T0, T0 + 20 * MINUTE);
    expect(ranking.find((r) => r.site === 'zhoushan-demo')!.trend[0]).toMatchObject({ lowest: Math.min(...recorded.map((s) => s.score)), last: recorded.at(-1)!.score });
    // a shorter trend holds nothing from September
    const week = (await (await (await server.as('auditor')).fetch('/api/ranking?days=7')).json()) as RankedSite[];
    expect(week.every((r) => r.trend.length === 0 && r.scoreThen !== null)).toBe(true);
    expect((await (await server.as('auditor')).fetch('/api/ranking?days=0')).status).toBe(400);
  });
});

describe('GET /api/reports/monthly', () => {
  it('as CSV: each site’s score history, failed clauses with evidence, the incident and its handling times, drills and the due list', async () => {
    const res = await monthly('auditor', 'month=2026-09&sites=zhoushan-demo,putuo-products&format=csv');
    expect(res.status).toBe(200);
    const csv = await res.text();
    const rows = csv.trim().split('\r\n');
    const head = (await store.auditHead())!;
    expect(rows[1]).toBe(`report,,month,2026-09,standards,${standard.key},audit head,${head.seq} ${head.hash}`);
    expect(rows.filter((r) => r.startsWith('score-day,zhoushan-demo,2026-09-10,'))).toHaveLength(1);
    expect(rows.filter((r) => r.startsWith('score-day,putuo-products,2026-09-10,'))).toHaveLength(1);
    // the demo's design fault, with the evidence it was found on
    expect(rows.find((r) => r.startsWith('failed,zhoushan-demo,GB50351-3.1.7-STEPS,D3,'))).toContain('D3.crossingSteps=1');
    expect(rows).toContain(`incident,zhoushan-demo,inc-T201-overfill,hazard-overfill,2,${new Date(T0 + 5 * MINUTE).toISOString()},2,11`);
    expect(rows).toContain('drill,zhoushan-demo,siren-test,SR1,2026-09-18,人防办 李工,,true');
    expect(rows).toContain('drill,putuo-products,onsite-plan-drill,putuo-products,2026-09-24,安全科 周工,XC-2026-02,true');
    // the demo's on-site drill ran out on 12 September: overdue at the month's end
    expect(rows.find((r) => r.startsWith('due,zhoushan-demo,ORDER40-21-ONSITE-DRILL,zhoushan-demo,overdue,2026-03-12,'))).toBeDefined();
    expect(audited.at(-1)).toMatchObject({
      actor: 'auditor',
      action: 'report.export',
      subject: 'ketwin-monthly-2026-09.csv',
      details: { sites: ['zhoushan-demo', 'putuo-products'], auditHead: head.seq },
    });
  });

  it('as PDF, signed: the signature verifies against the server key and fails after one changed byte', async () => {
    const auditor = await server.as('auditor');
    const res = await monthly('auditor', 'month=2026-09');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const sig = (await (await auditor.fetch(`/api/reports/${res.headers.get('x-ketwin-report-sha256')}/signature`)).json()) as ReportSignature;
    const publicKey = await (await auditor.fetch('/api/reports/public-key')).text();
    expect(verifyReport(pdf, sig, { publicKey })).toEqual({ ok: true });
    const changed = Buffer.from(pdf);
    changed.writeUInt8(changed.readUInt8(200) ^ 0x01, 200);
    expect(verifyReport(changed, sig, { publicKey }).ok).toBe(false);
    // every site the auditor sees, by default
    expect(audited.at(-1)).toMatchObject({ details: { format: 'pdf', sites: ['zhoushan-demo', 'putuo-products'] } });
  });

  it('is for those who audit, of the sites they may see; a month must have begun', async () => {
    expect((await monthly('rescue', 'month=2026-09')).status).toBe(403);
    expect((await monthly('elsewhere', 'month=2026-09&sites=zhoushan-demo')).status).toBe(403);
    // a manager's report covers the manager's own site
    expect((await monthly('manager', 'month=2026-09&format=csv')).status).toBe(200);
    expect(audited.at(-1)).toMatchObject({ actor: 'manager', details: { sites: ['zhoushan-demo'] } });
    expect(await (await monthly('auditor', 'month=2027-01')).json()).toEqual({ error: 'query.month: 2027-01 has not begun' });
    expect((await monthly('auditor', 'month=2026-13')).status).toBe(400);
    expect((await monthly('auditor', 'month=2026-09&sites=nowhere')).status).toBe(404);
  });
});
