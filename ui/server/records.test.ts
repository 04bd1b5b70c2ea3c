// The auditor's and the manager's record-keeping routes over a real store (embedded PGlite).
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../db/index.ts';
import type { ClauseResult, Site, SiteScore } from '../../model/index.ts';
import type { ClauseHistory, Comparison, InspectionView, SiteAsOf } from './api-types.ts';
import { loadDemoSite } from './testing/fixture.ts';
import { startSecuredServer, type SecuredServer } from './testing/secured-app.ts';
import { verifyReport, type ReportSignature } from './report/signing.ts';
import type { AuditEntry } from './ports.ts';

const run = promisify(execFile);
const T0 = Date.parse('2026-03-01T00:00:00Z');
const T1 = T0 + 86_400_000;
const T2 = T1 + 3 * 3_600_000;

let root: string;
let store: Store;
let site: Site;
let server: SecuredServer;
const audited: AuditEntry[] = [];

function result(verdict: ClauseResult['verdict'], since: number, level: number): ClauseResult {
  return {
    site: 'zhoushan-demo',
    clause: 'tank-level-hh',
    subject: 'T101',
    verdict,
    since,
    evidence: [{ point: 'T101.level', value: level, quality: 'good', ts: since }],
    thresholds: { highHigh: 17.5 },
    standard: 'oil-depot-above-ground@1.0.0',
  };
}
function score(ts: number, value: number): SiteScore {
  return {
    site: 'zhoushan-demo',
    ts,
    score: value,
    grade: value >= 80 ? 'B' : 'D',
    risk: value >= 80 ? 'blue' : 'orange',
    riskReason: { zh: `合规得分 ${value}`, en: `compliance score ${value}` },
    complianceRisk: value >= 80 ? 'blue' : 'orange',
    counts: { pass: 10, fail: value >= 80 ? 0 : 1, unknown: 0, 'not-applicable': 2 },
    coverage: 1,
    standard: 'oil-depot-above-ground@1.0.0',
  };
}
async function pdfText(pdf: Uint8Array): Promise<string> {
  const file = join(root, `r-${Math.random().toString(36).slice(2)}.pdf`);
  await writeFile(file, pdf);
  return (await run('pdftotext', ['-layout', file, '-'])).stdout;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ketwin-records-'));
  store = await openStore({ dataDir: join(root, 'data') });
  await store.writeResults([result('pass', T0, 12.1), result('fail', T1, 17.9), result('pass', T2, 16.2)]);
  await store.writeScores([score(T0, 92), score(T1, 71.5), score(T2, 92)]);
  site = await loadDemoSite();
  server = await startSecuredServer([site, { ...site, id: 'zhoushan-demo-2' }], {
    telemetry: store,
    verdicts: store,
    alerts: store,
    inspections: { list: (s) => store.evidence(s), record: async (r) => (await store.writeEvidence([r]))[0], versions: (...a) => store.evidenceVersions(...a) },
    audit: (entry) => {
      audited.push(entry);
      void store.appendAudit(entry);
    },
    reports: { keyDir: join(root, 'data', 'keys') },
    standards: [{ key: 'oil-depot-above-ground@1.0.0', title: { zh: '地面油库', en: 'Above-ground oil depot' }, markdown: '# 地面油库\n\n| clause |\n|---|\n| tank-level-hh |\n' }],
  });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await store?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the site as of an instant', () => {
  it('shows the verdict, evidence, thresholds, standard and score in force then', async () => {
    const auditor = await server.as('auditor');
    const during = (await (await auditor.fetch(`/api/sites/zhoushan-demo/as-of?at=${T1 + 60_000}`)).json()) as SiteAsOf;
    const row = during.clauses.find((c) => c.id === 'tank-level-hh')!.subjects.find((s) => s.subject === 'T101')!;
    expect(row).toMatchObject({ verdict: 'fail', since: T1, thresholds: { highHigh: 17.5 }, standard: 'oil-depot-above-ground@1.0.0' });
    expect(row.evidence).toEqual([{ point: 'T101.level', value: 17.9, quality: 'good', ts: T1, unit: 'm' }]);
    expect(during.score?.score).toBe(71.5);
    expect(during.standards).toEqual(['oil-depot-above-ground@1.0.0']);
    const before = (await (await auditor.fetch(`/api/sites/zhoushan-demo/as-of?at=${T0 + 1}`)).json()) as SiteAsOf;
    expect(before.clauses.find((c) => c.id === 'tank-level-hh')!.subjects[0]!.verdict).toBe('pass');
    expect(before.score?.score).toBe(92);
  });

  it('refuses a malformed instant, naming it', async () => {
    const res = await (await server.as('auditor')).fetch('/api/sites/zhoushan-demo/as-of?at=yesterday');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/^query\.at: expected at as milliseconds since 1970/);
  });
});

describe('clause history', () => {
  it('lists each verdict change and when and how long the clause failed', async () => {
    const res = await (await server.as('auditor')).fetch('/api/sites/zhoushan-demo/clauses/tank-level-hh/history?subject=T101');
    const body = (await res.json()) as ClauseHistory;
    expect(body.history.map((h) => [h.verdict, h.since])).toEqual([
      ['pass', T0],
      ['fail', T1],
      ['pass', T2],
    ]);
    expect(body.failures).toHaveLength(1);
    expect(body.failures[0]).toMatchObject({ from: T1, to: T2, durationMs: T2 - T1 });
  });

  it('exports the history as CSV and records the export in the audit log', async () => {
    const res = await (await server.as('auditor')).fetch('/api/sites/zhoushan-demo/clauses/tank-level-hh/history.csv?subject=T101');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="zhoushan-demo-tank-level-hh-T101-history.csv"');
    const lines = (await res.text())
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('site,clause,subject,verdict,since,until,duration_s,standard,evidence,thresholds,reason');
    expect(lines[2]).toBe(
      `zhoushan-demo,tank-level-hh,T101,fail,${new Date(T1).toISOString()},${new Date(T2).toISOString()},10800,oil-depot-above-ground@1.0.0,T101.level=17.9 (good ${new Date(T1).toISOString()}),"{""highHigh"":17.5}",`,
    );
    expect(lines).toHaveLength(4);
    expect(audited).toContainEqual(
      expect.objectContaining({ actor: 'auditor', action: 'report.export', site: 'zhoushan-demo', details: expect.objectContaining({ format: 'csv' }) }),
    );
  });
});

describe('the live risk as CSV', () => {
  it('exports each recorded change of a period with its reason, the one in force at its start first, and audits it', async () => {
    const res = await (await server.as('auditor')).fetch(`/api/sites/zhoushan-demo/risk.csv?from=${T0 + 1}&to=${T2}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await res.text())
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('site,since,until,live_risk,reason_en,reason_zh,compliance_risk,score,grade,coverage,standard');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 5))).toEqual([
      ['zhoushan-demo', new Date(T0).toISOString(), new Date(T1).toISOString(), 'blue', 'compliance score 92'],
      ['zhoushan-demo', new Date(T1).toISOString(), new Date(T2).toISOString(), 'orange', 'compliance score 71.5'],
      ['zhoushan-demo', new Date(T2).toISOString(), '', 'blue', 'compliance score 92'],
    ]);
    expect(audited).toContainEqual(expect.objectContaining({ actor: 'auditor', action: 'report.export', details: expect.objectContaining({ what: 'risk', rows: 3 }) }));
    const bad = await (await server.as('auditor')).fetch(`/api/sites/zhoushan-demo/risk.csv?from=${T2}&to=${T0}`);
    expect(bad.status).toBe(400);
  });
});

describe('the signed PDF report', () => {
  it('names the site and the score then, is signed, and the signature verifies and catches a change', async () => {
    const auditor = await server.as('auditor');
    const res = await auditor.fetch(`/api/sites/zhoushan-demo/report.pdf?at=${T1 + 60_000}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = new Uint8Array(await res.arrayBuffer());
    const text = await pdfText(pdf);
    expect(text).toContain(site.name.zh);
    expect(text).toContain(site.name.en);
    expect(text).toMatch(/Score: 71\.5/);
    expect(text).toMatch(/不符合 FAIL\s+tank-level-hh/);

    const digest = res.headers.get('x-ketwin-report-sha256')!;
    const sigRes = await auditor.fetch(`/api/reports/${digest}/signature`);
    expect(sigRes.status).toBe(200);
    const signature = (await sigRes.json()) as ReportSignature;
    expect(signature.signature).toBe(res.headers.get('x-ketwin-signature'));
    const publicKey = await (await auditor.fetch('/api/reports/public-key')).text();
    expect(verifyReport(pdf, signature, { publicKey })).toEqual({ ok: true });
    const changed = pdf.slice();
    changed[changed.length - 20] = (changed[changed.length - 20] ?? 0) ^ 1;
    expect(verifyReport(changed, signature, { publicKey }).ok).toBe(false);
    expect(verifyReport(pdf, { ...signature, signature: Buffer.alloc(64).toString('base64') }).ok).toBe(false);

    // the key lives under the data directory, readable by its owner only
    expect((await stat(join(root, 'data', 'keys', 'report-signing-key.pem'))).mode & 0o777).toBe(0o600);
    expect(audited).toContainEqual(
      expect.objectContaining({ actor: 'auditor', action: 'report.export', details: expect.objectContaining({ format: 'pdf', sha256: digest, score: 71.5 }) }),
    );
    // a user of another site does not get the signature
    expect((await (await server.as('elsewhere')).fetch(`/api/reports/${digest}/signature`)).status).toBe(403);
  });

  it('is produced in English with a notice when no CJK font is found', async () => {
    const plain = await startSecuredServer([site], {
      telemetry: store,
      verdicts: store,
      alerts: store,
      reports: { keyDir: join(root, 'keys2'), fonts: [{ file: join(root, 'no-such-font.ttc') }] },
    });
    try {
      const res = await (await plain.as('auditor')).fetch(`/api/sites/zhoushan-demo/report.pdf?at=${T1 + 60_000}`);
      expect(res.status).toBe(200);
      const text = await pdfText(new Uint8Array(await res.arrayBuffer()));
      expect(text).toContain(site.name.en);
      expect(text).toContain('Score: 71.5');
      expect(text).toMatch(/No CJK font was found/);
    } finally {
      await plain.close();
    }
  });
});

describe('evidence entry', () => {
  const drill = { kind: 'onsite-plan-drill', subject: 'zhoushan-demo', doneAt: '2026-09-20T02:00:00Z', by: '安全科 王工', reference: 'XC-2026-02', notes: '秋季演练' };

  it('records a drill for the site manager, audits it and lists it', async () => {
    const manager = await server.as('manager');
    const res = await manager.fetch('/api/sites/zhoushan-demo/evidence', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(drill) });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ ...drill, site: 'zhoushan-demo', doneAt: Date.parse(drill.doneAt), source: 'recorded', version: 1, recordedBy: 'manager' });
    expect(await store.evidence('zhoushan-demo', { kind: 'onsite-plan-drill' })).toContainEqual(expect.objectContaining({ reference: 'XC-2026-02', by: '安全科 王工' }));
    expect(audited).toContainEqual(expect.objectContaining({ actor: 'manager', action: 'inspection.record', subject: 'onsite-plan-drill:zhoushan-demo', site: 'zhoushan-demo' }));
    const list = (await (await (await server.as('auditor')).fetch('/api/sites/zhoushan-demo/evidence')).json()) as InspectionView[];
    // newest first: the demo site file has records of its own after this drill (the 1.1.0 inspections)
    expect(list.map((r) => r.doneAt)).toEqual([...list.map((r) => r.doneAt)].sort((a, b) => b - a));
    expect(list.find((r) => r.reference === 'XC-2026-02')).toMatchObject({ kind: 'onsite-plan-drill', source: 'recorded' });
    expect(list.some((r) => r.source === 'site-file' && r.kind === 'siren-test' && r.subject === 'SR1')).toBe(true);
  });

  it('refuses bad bodies with the field named, and a request without the CSRF token', async () => {
    const manager = await server.as('manager');
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      manager.fetch('/api/sites/zhoushan-demo/evidence', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const cases: [unknown, RegExp][] = [
      [{ ...drill, kind: 'Drill!' }, /^body\.kind: must be kebab-case/],
      [{ ...drill, doneAt: 'last week' }, /^body\.doneAt: expected doneAt as milliseconds since 1970 or an ISO 8601 date-time/],
      [{ ...drill, by: '' }, /^body\.by: must not be empty/],
      [{ ...drill, validUntil: '2026-01-01' }, /^body\.validUntil: must be after doneAt/],
      [{ ...drill, subject: 'T999' }, /^body\.subject: site "zhoushan-demo" has no asset "T999"/],
      [{ ...drill, doneAt: Date.now() + 86_400_000 }, /^body\.doneAt: must not be in the future/],
      [{ ...drill, extra: 1 }, /extra/],
    ];
    for (const [body, message] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    const forged = await fetch(`${server.url}/api/sites/zhoushan-demo/evidence`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: manager.cookie },
      body: JSON.stringify(drill),
    });
    expect(forged.status).toBe(403);
  });
});

describe('compare and standards', () => {
  it('puts sites side by side clause by clause, live and as of an instant', async () => {
    const auditor = await server.as('auditor');
    const live = (await (await auditor.fetch('/api/compare?sites=zhoushan-demo,zhoushan-demo-2')).json()) as Comparison;
    expect(live.at).toBeNull();
    expect(live.sites.map((s) => s.id)).toEqual(['zhoushan-demo', 'zhoushan-demo-2']);
    const row = live.clauses.find((c) => c.id === 'tank-level-hh')!;
    expect(Object.keys(row.cells)).toEqual(['zhoushan-demo', 'zhoushan-demo-2']);
    const past = (await (await auditor.fetch(`/api/compare?sites=zhoushan-demo,zhoushan-demo-2&at=${T1 + 1}`)).json()) as Comparison;
    const cells = past.clauses.find((c) => c.id === 'tank-level-hh')!.cells;
    expect(cells).toEqual({
      'zhoushan-demo': {
        verdict: 'fail',
        counts: { pass: 0, fail: 1, unknown: 0, 'not-applicable': 0 },
        subjects: [expect.objectContaining({ subject: 'T101', verdict: 'fail' })],
      },
      'zhoushan-demo-2': { verdict: 'none', counts: { pass: 0, fail: 0, unknown: 0, 'not-applicable': 0 }, subjects: [] },
    });
    // the failing subject comes with the evidence it failed on, as recorded
    expect(cells['zhoushan-demo']!.subjects[0]!.evidence.length).toBeGreaterThan(0);
    expect(past.sites[0]!.score).toBe(71.5);
    const one = await auditor.fetch('/api/compare?sites=zhoushan-demo');
    expect(one.status).toBe(400);
    expect(((await one.json()) as { error: string }).error).toBe('query.sites: name at least two sites');
  });

  it('serves the clause table of each standard', async () => {
    const auditor = await server.as('auditor');
    expect(await (await auditor.fetch('/api/standards')).json()).toEqual([{ key: 'oil-depot-above-ground@1.0.0', title: { zh: '地面油库', en: 'Above-ground oil depot' } }]);
    const md = await auditor.fetch('/api/standards/oil-depot-above-ground@1.0.0/clauses.md');
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(await md.text()).toMatch(/^# 地面油库/);
    expect((await auditor.fetch('/api/standards/oil-depot-above-ground@9.9.9/clauses.md')).status).toBe(404);
  });
});
