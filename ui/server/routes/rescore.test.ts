// GET /api/sites/:id/rescore on stored data: readings and verdicts recorded under 0.1.0 in a real
// store (PGlite), re-scored through the real engine (engine/replay.ts) under 0.1.0, 1.0.0 and 1.1.0.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Sample, type Site } from '../../../model/index.ts';
import { loadStandard, type Standard } from '../../../standards/index.ts';
import { replay } from '../../../engine/index.ts';
import { createRescorer } from '../rescorer.ts';
import { openStore, type Store } from '../../../db/index.ts';
import { DEMO_SITE_FILE } from '../testing/fixture.ts';
import { startSecuredServer, type SecuredServer } from '../testing/secured-app.ts';
import type { Rescore } from '../rescore-types.ts';
import type { AuditEntry } from '../ports.ts';

const root = new URL('../../..', import.meta.url).pathname;
const T0 = 1_780_000_000_000;
const HH = 'GB50074-15.1.2-HH';
let dir: string;
let site: Site;
let v0: Standard;
let v1: Standard;
let v2: Standard;
let store: Store;
let server: SecuredServer;
const audited: AuditEntry[] = [];

/** two minutes of a depot: every point healthy each second, T201 rising past high-high for 30 s, then back */
function readings(): Sample[] {
  const out: Sample[] = [];
  for (let s = 0; s < 120; s++) {
    const ts = T0 + s * 1000;
    for (const p of site.points) {
      let value: number | boolean =
        p.unit === 'bool'
          ? p.name !== 'level_switch_hh'
          : p.name === 'level'
            ? p.asset === 'FWP1'
              ? 4.8
              : 10
            : p.name === 'gas'
              ? 1
              : p.name === 'pressure'
                ? 0.3
                : p.name.includes('level')
                  ? 90
                  : 1;
      if (p.name === 'flame' || p.name === 'sounding') value = false;
      if (p.name.endsWith('temperature')) value = 25;
      if (p.name === 'water_level') value = 0.05;
      if (p.id === 'T201.level') value = s < 30 ? 15 + s * 0.05 : 14;
      out.push({ site: site.id, point: p.id, value, quality: 'good', ts });
    }
  }
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ketwin-rescore-'));
  site = await loadSite(DEMO_SITE_FILE);
  v0 = await loadStandard(`${root}standards/oil-depot-above-ground/0.1.0.yaml`);
  v1 = await loadStandard(`${root}standards/oil-depot-above-ground/1.0.0.yaml`);
  v2 = await loadStandard(`${root}standards/oil-depot-above-ground/1.1.0.yaml`);
  store = await openStore({ dataDir: dir });
  // the record of the time: the live engine scored these readings under 0.1.0
  const samples = readings();
  const then = replay({ samples, site, standard: v0 });
  await store.writeSamples(samples);
  await store.writeResults(then.results);
  await store.writeScores(then.scores);
  server = await startSecuredServer([site], { telemetry: store, verdicts: store, rescore: createRescorer([v0, v1, v2]), audit: (e) => void audited.push(e) });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const path = (q: string) => `/api/sites/zhoushan-demo/rescore?${q}`;
const period = (from: number, to: number, standard: string) => path(`from=${from}&to=${to}&standard=${encodeURIComponent(standard)}`);

describe('GET /api/sites/:id/rescore', () => {
  it('re-scored under the version of the time, it gives what was recorded', async () => {
    const auditor = await server.as('auditor');
    const res = await auditor.fetch(period(T0 + 60_000, T0 + 119_000, v0.key));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Rescore;
    expect(body.recorded.standards).toEqual([v0.key]);
    expect(body.recorded.score?.score).toBeTypeOf('number');
    expect(body.rescored.score?.score).toBe(body.recorded.score?.score);
    expect(body.rescored.score?.standard).toBe(v0.key);
    expect(body.clauses.length).toBeGreaterThan(10);
    expect(body.clauses.filter((c) => c.changed)).toEqual([]);
    // readings from one staleness period before `from` are replayed too, and the answer says where the replay began
    expect(body.samples).toBe(site.points.length * 70);
    expect(body.replayedFrom).toBe(body.from - Math.max(...site.points.map((p) => p.staleAfterMs)));
  });

  it('re-scored under 1.0.0, it names the clauses whose verdicts differ, with the evidence of the new verdict', async () => {
    const manager = await server.as('manager');
    const res = await manager.fetch(period(T0 + 5_000, T0 + 25_000, v1.key));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Rescore;
    expect(body.standard).toBe(v1.key);
    expect(body.recorded.standards).toEqual([v0.key]);
    expect(body.rescored.score?.standard).toBe(v1.key);
    // T201 above high-high (16.2 m) at the end of the period under both versions
    const hh = body.clauses.find((c) => c.clause === HH && c.subject === 'T201');
    expect(hh?.rescored).toMatchObject({ verdict: 'fail', standard: v1.key });
    expect(hh?.rescored?.evidence.find((e) => e.point === 'T201.level')?.value).toBeCloseTo(16.2, 5);
    // 1.0.0 has clauses 0.1.0 did not: recorded nothing, re-scored something — a difference
    const added = body.clauses.filter((c) => c.recorded === null && c.rescored !== null);
    expect(added.length).toBeGreaterThan(0);
    expect(added.every((c) => c.changed)).toBe(true);
    // each difference says what the changelog 0.1.0 → 1.0.0 says of its clause; the unchanged carry no reason
    for (const c of body.clauses.filter((c) => c.changed)) expect(c.reason, c.clause).toMatchObject({ from: v0.key, to: v1.key });
    expect(added.map((c) => c.reason?.change)).toContain('added');
    expect(body.clauses.filter((c) => !c.changed).every((c) => c.reason === undefined)).toBe(true);
    const changedFirst = body.clauses.map((c) => c.changed);
    expect(changedFirst).toEqual([...changedFirst].sort((a, b) => Number(b) - Number(a)));
    expect(audited.at(-1)).toMatchObject({ actor: 'manager', action: 'history.rescore', site: 'zhoushan-demo', details: { standard: v1.key, from: T0 + 5_000 } });
  });

  it("re-scored under 1.1.0, GB 18218 is judged per storage unit: each dike with its own tanks' levels and inventory, the site by its worst unit", async () => {
    const auditor = await server.as('auditor');
    const res = await auditor.fetch(period(T0 + 5_000, T0 + 25_000, v2.key));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Rescore;
    expect(body.rescored.score?.standard).toBe(v2.key);
    const row = (clause: string, subject: string) => body.clauses.find((c) => c.clause === clause && c.subject === subject);
    // identification moved from the site to each unit: D1 holds 2 × π·80²/4 × 10 m × 0.86 t/m³ = 86,456.6 t of crude, Σ q/Q 86.46
    const d1 = row('GB18218-2018-IDENTIFICATION', 'D1');
    expect(d1?.changed).toBe(true);
    expect(d1?.rescored).toMatchObject({ verdict: 'pass', standard: v2.key });
    expect(d1?.rescored?.evidence.map((e) => e.point).sort()).toEqual(['T101.level', 'T102.level']);
    expect(d1?.rescored?.thresholds['inventory'] as number).toBeCloseTo(86_456.6, 0);
    expect(d1?.rescored?.thresholds['sumQ'] as number).toBeCloseTo(86.457, 2);
    // D3: 2 × π·28.5²/4 × 10 m × 0.85 t/m³ = 10,845 t of diesel ÷ 5,000 t
    expect(row('GB18218-2018-IDENTIFICATION', 'D3')?.rescored?.thresholds['sumQ'] as number).toBeCloseTo(2.169, 2);
    // the site's grade is its worst unit's: D2 with T201 at 16.25 m and T202 at 10 m, α 1.2 → R ≈ 1.2 × 48.3 × 2.625 ≈ 152 → 一级
    const grade = row('GB18218-2018-GRADE', 'zhoushan-demo');
    expect(grade?.rescored?.thresholds).toMatchObject({ grade: 1, alpha: 1.2 });
    expect((grade?.rescored?.thresholds['unitR'] as number[]).length).toBe(3);
    const [r1, r2, r3] = grade?.rescored?.thresholds['unitR'] as number[];
    expect(r2!).toBeGreaterThan(r1!);
    expect(r3!).toBeLessThan(10);
  });

  it("is for auditors, admins and the site's managers", async () => {
    const q = period(T0, T0 + 10_000, v1.key);
    expect((await fetch(`${server.url}${q}`)).status).toBe(401);
    for (const [who, status] of [
      ['rescue', 403],
      ['elsewhere', 403],
      ['admin', 200],
    ] as const) {
      const res = await (await server.as(who)).fetch(q);
      expect(res.status, who).toBe(status);
      if (status === 403) expect(((await res.json()) as { error: string }).error).toMatch(/may not re-score history|no access to site "zhoushan-demo"/);
      else await res.body?.cancel();
    }
  });

  it('says what is wrong with a query', async () => {
    const auditor = await server.as('auditor');
    const error = async (q: string) => {
      const res = await auditor.fetch(q);
      expect(res.status, q).toBe(400);
      return ((await res.json()) as { error: string }).error;
    };
    expect(await error(path(`from=${T0}&to=${T0 + 1000}`))).toMatch(/^query\.standard: expected standard as "<standard id>@<version>"/);
    expect(await error(period(T0, T0 + 1000, 'oil-depot-above-ground'))).toBe('query.standard: must be "<standard id>@<version>"');
    expect(await error(period(T0 + 1000, T0, v1.key))).toBe('query.to: must be after from');
    expect(await error(period(T0, T0 + 32 * 86_400_000, v1.key))).toBe('query.to: the period must be at most 31 days');
    expect(await error(path(`from=yesterday&to=${T0}&standard=${v1.key}`))).toMatch(/^query\.from: /);
    expect(await error(period(T0, T0 + 1000, 'oil-depot-above-ground@9.0.0'))).toMatch(
      /9\.0\.0 is not loaded \(loaded: oil-depot-above-ground@0\.1\.0, oil-depot-above-ground@1\.0\.0, oil-depot-above-ground@1\.1\.0\)/,
    );
    // a loaded standard the site does not declare: the flood rules of a construction site are not an oil depot's
    const flood = await loadStandard(`${root}standards/early-works-flood/1.0.0.yaml`);
    const both = await startSecuredServer([site], { telemetry: store, verdicts: store, rescore: createRescorer([v1, flood]) });
    try {
      const res = await (await both.as('auditor')).fetch(period(T0, T0 + 1000, flood.key));
      expect([res.status, await res.json()]).toEqual([400, { error: 'query.standard: zhoushan-demo is not scored by early-works-flood (it declares oil-depot-above-ground)' }]);
    } finally {
      await both.close();
    }
    // a period with more readings than one request replays
    const small = await startSecuredServer([site], { telemetry: store, verdicts: store, rescore: createRescorer([v0, v1], { maxSamples: 1000 }) });
    try {
      const res = await (await small.as('auditor')).fetch(period(T0, T0 + 60_000, v1.key));
      expect([res.status, await res.json()]).toEqual([400, { error: 'more than 1000 readings in this period: re-score a shorter one' }]);
    } finally {
      await small.close();
    }
    const unknown = await auditor.fetch(`/api/sites/atlantis/rescore?from=${T0}&to=${T0 + 1000}&standard=${v1.key}`);
    expect(unknown.status).toBe(404);
  });

  it('is in the OpenAPI document with its query', async () => {
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { parameters: { name: string }[]; 'x-permission': unknown }>>;
    };
    const op = doc.paths['/api/sites/{id}/rescore']?.['get'];
    expect(op?.parameters.map((p) => p.name)).toEqual(['id', 'from', 'to', 'standard']);
    expect(op?.['x-permission']).toBe('audit');
  });
});
