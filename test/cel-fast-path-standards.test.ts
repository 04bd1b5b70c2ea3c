// The compiled fast path gives what cel-js gives: every expression (when, derive, compute,
// expression) of every clause of 0.1.0, 1.0.0 and 1.1.0, on every subject of every fixture case's site
// and readings, then on seeded random readings and attributes (wrong types, missing values, NaN,
// infinities, negative zero), each evaluated by both paths and compared value for value, error for error.
// (Here, not in the unit project: it takes the better part of a minute.)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseSite, type Site } from '../model/index.ts';
import type { CelObject } from '../standards/cel-model.ts';
import type { CompiledClause } from '../standards/clause-compiler.ts';
import { compare, fastOf, mulberry32 } from '../standards/cel-differential.ts';
import { loadStandard } from '../standards/standard-loader.ts';
import type { Standard } from '../standards/standard.ts';

const DIR = new URL('../standards/oil-depot-above-ground/', import.meta.url).pathname;
const DEMO = readFileSync(new URL('../sites/zhoushan-demo.yaml', import.meta.url), 'utf8');
const HEALTHY: Record<string, unknown> = {
  level: 10,
  temperature: 30,
  water_level: 0.05,
  gas: 2,
  drain_valve_open: false,
  pressure: 0.25,
  concentrate_level: 90,
  fuel_level: 90,
  ready: true,
};
const standards: Standard[] = await Promise.all(['0.1.0', '1.0.0', '1.1.0'].map((version) => loadStandard(join(DIR, `${version}.yaml`))));

interface Case {
  clause: string;
  name: string;
  site?: Record<string, unknown>;
  samples?: Record<string, unknown>;
  before?: Record<string, unknown>;
}
const cases = readdirSync(join(DIR, 'fixtures'))
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .flatMap((f) => {
    const fixture = parse(readFileSync(join(DIR, 'fixtures', f), 'utf8')) as { clause: string; cases: Case[] };
    return fixture.cases.map((c) => ({ ...c, clause: fixture.clause }));
  });

/** Every expression of `clause` on `subject`, readings from `read` (point id → value; undefined leaves it out). */
function compareClause(clause: CompiledClause, site: Site, cel: ReturnType<Standard['cel']['toCel']>, subject: string, read: (point: string) => unknown, mismatches: string[]) {
  const label = (field: string) => `${clause.id} on ${subject}, ${field}`;
  const ctx: Record<string, unknown> = { site: cel.site, params: clause.paramsValue };
  if (clause.appliesTo !== 'site') ctx['asset'] = cel.assets.get(subject);
  if (clause.programs.when) {
    const when = compare(label('when'), clause.programs.when, ctx, mismatches);
    if (!('value' in when) || when.value !== true) return;
  }
  for (const [name, program] of clause.programs.derive) {
    const derived = compare(label(`derive.${name}`), program, ctx, mismatches);
    if (!('value' in derived)) return;
    ctx[name] = derived.value;
  }
  const fixed = { ...ctx }; // what the engine specialises a live clause's programs for, per subject
  for (const b of clause.bindings) {
    if (!b.kind) ctx[b.variable] = read(`${subject}.${b.point}`);
    else {
      const map: Record<string, unknown> = {};
      for (const asset of site.assets) if (asset.kind === b.kind) map[asset.id] = read(`${asset.id}.${b.point}`);
      ctx[b.variable] = map;
    }
  }
  for (const [name, program] of clause.programs.compute) {
    const computed = compare(label(`compute.${name}`), program, ctx, mismatches, fixed);
    ctx[name] = 'value' in computed ? computed.value : undefined;
  }
  if (!clause.programs.expression) return;
  if (clause.check !== 'evidence') return void compare(label('expression'), clause.programs.expression, ctx, mismatches, fixed);
  for (const record of cel.records) compare(label(`expression on ${String(record['kind'])}`), clause.programs.expression, { ...ctx, record }, mismatches);
}

function subjectsOf(clause: CompiledClause, site: Site): string[] {
  return clause.appliesTo === 'site' ? [site.id] : site.assets.filter((a) => a.kind === clause.appliesTo).map((a) => a.id);
}

function siteFor(patch: Record<string, unknown> | undefined): Site {
  const doc = parse(DEMO) as Record<string, unknown> & { assets: { id: string }[] };
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (key === 'assets') for (const [id, change] of Object.entries(value as Record<string, CelObject>)) merge(doc.assets.find((a) => a.id === id) as CelObject, change);
    else if (key === 'addPoints') {
      const points = doc['points'] as CelObject[];
      for (const p of value as CelObject[]) if (!points.some((q) => q['asset'] === p['asset'] && q['name'] === p['name'])) points.push(p);
    } else doc[key] = isObject(doc[key]) && isObject(value) ? merge(doc[key], value) : value;
  }
  return parseSite(stringify(doc), 'fixture-site.yaml');
}
function merge(target: CelObject, change: CelObject): CelObject {
  for (const [k, v] of Object.entries(change)) {
    if (v === null)
      delete target[k]; // a fixture takes an attribute away with null (as engine/clause-fixture-test-support.ts)
    else target[k] = isObject(target[k]) && isObject(v) ? merge(target[k], v) : v;
  }
  return target;
}
const isObject = (v: unknown): v is CelObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const nameOf = (point: string) => point.slice(point.indexOf('.') + 1);
/** fixture sites by their patch: many cases share one */
const sites = new Map<string, Site>();

describe('expression fast path', () => {
  it('compiles every live expression of both standards (the ones evaluated per sample)', () => {
    for (const standard of standards)
      for (const clause of standard.clauses.filter((c) => c.check === 'live'))
        for (const [field, program] of [...clause.programs.compute, ['expression', clause.programs.expression] as const])
          expect(fastOf(program).compiled, `${standard.key} ${clause.id} ${field}`).toBe(true);
  });

  // each case runs its own clause; 0.1.0, whose clauses are few, runs all of them on every case's site
  it.each(standards.map((s) => [s.key, s] as const))('agrees with cel-js on every expression of %s over every fixture case', (_key, standard) => {
    const mismatches: string[] = [];
    let compared = 0;
    for (const c of cases) {
      const patch = JSON.stringify(c.site ?? {});
      const site = sites.get(patch) ?? sites.set(patch, siteFor(c.site)).get(patch)!;
      const cel = standard.cel.toCel(site);
      const clauses = standard.version === '0.1.0' ? standard.clauses : standard.clauses.filter((clause) => clause.id === c.clause);
      for (const readings of [c.samples ?? {}, { ...c.samples, ...c.before }]) {
        const read = (point: string) => (point in readings ? readings[point] : HEALTHY[nameOf(point)]);
        for (const clause of clauses)
          for (const subject of subjectsOf(clause, site)) {
            compareClause(clause, site, cel, subject, read, mismatches);
            compared++;
          }
      }
    }
    expect(compared).toBeGreaterThan(500);
    expect(mismatches).toEqual([]);
  });

  it.each(standards.map((s) => [s.key, s] as const))('agrees with cel-js on %s under seeded random readings and attributes', (_key, standard) => {
    const random = mulberry32(20261123);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const oddValues = [0, -0, -1, 1e308, -1e308, NaN, Infinity, -Infinity, 0.1, 1, 2, 3, 4, 1e-9, null, 'x', '1', 'constructor', '__proto__', true, false, undefined, 1n, [], {}];
    const valueFor = (sane: unknown): unknown => {
      const r = random();
      if (r < 0.6) return typeof sane === 'boolean' ? random() < 0.5 : typeof sane === 'number' ? sane * (random() * 3 - 0.5) : sane;
      if (r < 0.75) return (random() - 0.5) * 10 ** Math.floor(random() * 8);
      return pick(oddValues);
    };
    const base = siteFor(undefined);
    const mismatches: string[] = [];
    for (let round = 0; round < 300; round++) {
      // a copy of the demo whose asset attributes are now and then odd (missing, wrong type, extreme)
      const site: Site = structuredClone(base);
      for (const asset of site.assets) {
        const attributes = asset.attributes as CelObject;
        for (const key of Object.keys(attributes)) {
          if (random() > 0.05 || typeof attributes[key] === 'object') continue; // lists and objects keep their shape (toCel converts them)
          const value = valueFor(attributes[key]);
          if (value === undefined) delete attributes[key];
          else attributes[key] = value;
        }
      }
      const cel = standard.cel.toCel(site);
      const readings = new Map<string, unknown>();
      const read = (point: string) => {
        if (!readings.has(point)) readings.set(point, valueFor(HEALTHY[nameOf(point)] ?? 1));
        return readings.get(point);
      };
      for (const clause of standard.clauses) for (const subject of subjectsOf(clause, site)) compareClause(clause, site, cel, subject, read, mismatches);
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
  });
});
