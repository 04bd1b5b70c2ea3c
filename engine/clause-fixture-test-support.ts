// Every clause of each shipped version of the standard against its fixtures: small data files under
// standards/oil-depot-above-ground/fixtures/<clause id>.yaml, each with at least one passing
// and one failing case (site data and samples in, verdict and evidence out). A clause a version
// changes has its own fixture under fixtures/<version>/<clause id>.yaml, which serves that version
// in place of the shared one (later versions fall back to the shared file). One table-driven test file
// per version (clause-fixtures-<version>.test.ts, so the versions run side by side), this their suite.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualTimeScheduler, type SchedulerLike } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseSite, type Sample, type SampleValue } from '../model/index.ts';
import { loadStandard, parseDuration, type Standard } from '../standards/index.ts';
import { createEngine } from './index.ts';

const DIR = new URL('../standards/oil-depot-above-ground/', import.meta.url).pathname;
const FIXTURES = join(DIR, 'fixtures');
const DEMO = readFileSync(new URL('../sites/zhoushan-demo.yaml', import.meta.url), 'utf8');
/** the day the fixtures are evaluated on unless a case says otherwise */
const DEFAULT_AT = '2026-11-23T00:00:00Z';
/** a healthy reading for every point name of the demo depot */
const HEALTHY: Record<string, SampleValue> = {
  level: 10,
  temperature: 30,
  water_level: 0.05,
  gas: 2,
  drain_valve_open: false,
  pressure: 0.25,
  concentrate_level: 90,
  fuel_level: 90,
  ready: true,
  running: false,
  wind_speed: 3,
  wind_direction: 90,
  air_temperature: 20,
};

interface Case {
  name: string;
  subject: string;
  verdict: 'pass' | 'fail' | 'unknown' | 'not-applicable';
  /** ISO date-time the engine's clock reads */
  at?: string;
  /** merged into the demo site: `assets` by asset id, other sections by key (lists are replaced); null removes a key */
  site?: Record<string, unknown>;
  /** readings that differ from the healthy ones, by point id */
  samples?: Record<string, SampleValue>;
  /** how long the readings hold before the verdict is read (ISO 8601), for delay-on / delay-off */
  after?: string;
  /** a reading before `samples`, to start from (e.g. a failure the deadband must hold) */
  before?: Record<string, SampleValue>;
  evidence?: Record<string, unknown>[];
  thresholds?: Record<string, unknown>;
  /** why the verdict is unknown (e.g. "not monitored: … is not mapped") */
  reason?: { zh: string; en: string };
}
interface Fixture {
  clause: string;
  cases: Case[];
}

/** the versions with fixtures: each has its test file */
export const VERSIONS = ['1.0.0', '1.1.0'];

function readFixtures(dir: string) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ file: f, ...(parse(readFileSync(join(dir, f), 'utf8')) as Fixture) }));
}
export const shared = readFixtures(FIXTURES);

/** the fixtures serving one version: its own directory's, and the shared ones for clauses it has no own fixture for */
function fixturesFor(version: string, clauseIds: Set<string>) {
  const own = readFixtures(join(FIXTURES, version));
  const ownIds = new Set(own.map((f) => f.clause));
  return [...own, ...shared.filter((f) => !ownIds.has(f.clause) && clauseIds.has(f.clause))].sort((a, b) => a.clause.localeCompare(b.clause));
}

function siteFor(patch: Record<string, unknown> | undefined) {
  const doc = parse(DEMO) as Record<string, unknown> & { assets: { id: string }[] };
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (key === 'assets') {
      for (const [id, change] of Object.entries(value as Record<string, Record<string, unknown>>)) {
        const asset = doc.assets.find((a) => a.id === id);
        if (!asset) throw new Error(`fixture patches asset ${id}, which the demo does not have`);
        merge(asset, change);
      }
    } else if (key === 'addPoints') (doc['points'] as unknown[]).push(...(value as unknown[]));
    else doc[key] = isObject(doc[key]) && isObject(value) ? merge(doc[key] as Record<string, unknown>, value) : value;
  }
  return parseSite(stringify(doc), 'fixture-site.yaml');
}

function merge(target: Record<string, unknown>, change: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(change)) {
    if (v === null)
      delete target[k]; // a fixture takes an attribute away with null
    else target[k] = isObject(target[k]) && isObject(v) ? merge(target[k] as Record<string, unknown>, v) : v;
  }
  return target;
}
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** the fixture sites by their patch: many cases share one, and a site is read-only to the engine */
const sites = new Map<string, ReturnType<typeof siteFor>>();
const cachedSite = (patch: Record<string, unknown> | undefined) => {
  const key = JSON.stringify(patch ?? {});
  return sites.get(key) ?? sites.set(key, siteFor(patch)).get(key)!;
};

/** Runs the engine over one case on virtual time; returns the clause's result on the case's subject. */
function run(standard: Standard, clause: string, c: Case) {
  const site = cachedSite(c.site);
  const t0 = Date.parse(c.at ?? DEFAULT_AT);
  const afterMs = c.after ? parseDuration(c.after)!.ms : 0;
  const virtual = new VirtualTimeScheduler(undefined, afterMs + 2000);
  const scheduler: SchedulerLike = { now: () => t0 + virtual.now(), schedule: virtual.schedule.bind(virtual) as SchedulerLike['schedule'] };
  // the clause alone (its verdict rests on its own reads, the hazard models and the evidence, not on the other clauses): a case builds a twin of one clause, not of all of them
  const engine = createEngine({ sites: [site], standards: [{ ...standard, clauses: standard.clauses.filter((c) => c.id === clause) }], scheduler });
  const feed = (overrides: Record<string, SampleValue> = {}) => {
    const ts = scheduler.now();
    for (const p of site.points) {
      const value = overrides[p.id] ?? HEALTHY[p.name] ?? 1;
      engine.ingest({ site: site.id, point: p.id, value, quality: 'good', ts } satisfies Sample);
    }
  };
  if (c.before) {
    feed({ ...c.samples, ...c.before });
    virtual.schedule(() => feed(c.samples), 1);
  } else feed(c.samples);
  // readings keep arriving (every 5 s) while the case waits, so nothing goes stale
  for (let ms = 5000; ms <= afterMs; ms += 5000) virtual.schedule(() => feed(c.samples), ms);
  virtual.flush();
  const result = engine.snapshot(site.id)!.results.find((r) => r.clause === clause && r.subject === c.subject);
  engine.dispose();
  return result;
}

/** The fixture suite of one version: a fixture file with a passing and a failing case for each clause, and each case's verdict. */
export async function fixtureSuite(version: string): Promise<void> {
  const standard = await loadStandard(join(DIR, `${version}.yaml`));
  describe(`every clause of oil-depot-above-ground@${version} against its fixtures`, () => {
    const ids = standard.clauses.map((c) => c.id).sort();
    const fixtures = fixturesFor(version, new Set(ids));

    it('has a fixture file with a passing and a failing case for every clause, and none for a clause it lacks', () => {
      expect(fixtures.map((f) => f.clause).sort()).toEqual(ids);
      for (const f of fixtures) {
        expect(f.file, 'file named after its clause').toBe(`${f.clause}.yaml`);
        const verdicts = f.cases.map((c) => c.verdict);
        expect(verdicts, f.clause).toContain('pass');
        expect(verdicts, f.clause).toContain('fail');
      }
    });

    const cases = fixtures.flatMap((f) => f.cases.map((c) => [f.clause, c.name, c] as const));
    it.each(cases)('%s: %s', (clause, _name, c) => {
      const result = run(standard, clause, c);
      expect(result, `no result for ${clause} on ${c.subject}`).toBeDefined();
      expect(result!.verdict).toBe(c.verdict);
      expect(result!.standard).toBe(`oil-depot-above-ground@${version}`);
      if (c.thresholds) expect(result!.thresholds).toMatchObject(c.thresholds);
      if (c.evidence) expect(result!.evidence).toEqual(expect.arrayContaining(c.evidence.map((e) => expect.objectContaining(e))));
      if (c.reason) expect(result!.reason).toEqual(c.reason);
    });
  });
}

/** Every shared fixture serves a clause of some version (a fixture left behind by a removed clause is an error). */
export async function orphanFixtures(): Promise<string[]> {
  const standards = await Promise.all(VERSIONS.map((v) => loadStandard(join(DIR, `${v}.yaml`))));
  const all = new Set(standards.flatMap((s) => s.clauses.map((c) => c.id)));
  return shared.map((f) => f.clause).filter((id) => !all.has(id));
}
