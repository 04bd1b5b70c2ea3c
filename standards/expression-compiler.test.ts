// The compiled fast path gives what cel-js gives: every expression (when, derive, compute,
// expression) of every clause of 0.1.0, 1.0.0 and 1.1.0, on every subject of every fixture case's site
// and readings, then on seeded random readings and attributes (wrong types, missing values, NaN,
// infinities, negative zero), each evaluated by both paths and compared value for value, error for error.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseSite, type Site } from '../model/index.ts';
import type { CelObject } from './cel-model.ts';
import type { CompiledClause } from './clause-compiler.ts';
import { withFastPath, type FastCel, type ParsedCel } from './expression-compiler.ts';
import { loadStandard } from './standard-loader.ts';
import type { Standard } from './standard.ts';

const DIR = new URL('./oil-depot-above-ground/', import.meta.url).pathname;
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

type Outcome = { value: unknown } | { error: string };
const outcome = (program: (ctx: Record<string, unknown>) => unknown, ctx: Record<string, unknown>): Outcome => {
  try {
    return { value: program(ctx) };
  } catch (error) {
    return { error: (error as Error).message };
  }
};
const fastOf = (program: unknown) => program as FastCel;

/**
 * Compares both paths on one program, and the program specialised for the names of `fixed` (which
 * `ctx` holds with the same values) when given; returns cel-js's outcome to carry on with.
 */
function compare(label: string, program: unknown, ctx: Record<string, unknown>, mismatches: string[], fixed?: Record<string, unknown>): Outcome {
  const fast = outcome(fastOf(program), ctx);
  const slow = outcome(fastOf(program).slow, ctx);
  if (!isDeepStrictEqual(fast, slow)) mismatches.push(`${label}: fast ${show(fast)} but cel-js ${show(slow)}`);
  if (fixed) {
    const names = Object.keys(ctx).filter((name) => !Object.hasOwn(fixed, name));
    const values = names.map((name) => ctx[name]);
    const specialised = outcome(() => fastOf(program).specialize(fixed, names)(values), ctx);
    if (!isDeepStrictEqual(specialised, slow)) mismatches.push(`${label}: specialised for ${Object.keys(fixed).join(', ')} ${show(specialised)} but cel-js ${show(slow)}`);
  }
  return slow;
}
const show = (o: Outcome) => JSON.stringify(o, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));

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
      delete target[k]; // a fixture takes an attribute away with null (as engine/clause-fixtures.test.ts)
    else target[k] = isObject(target[k]) && isObject(v) ? merge(target[k], v) : v;
  }
  return target;
}
const isObject = (v: unknown): v is CelObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const nameOf = (point: string) => point.slice(point.indexOf('.') + 1);
/** fixture sites by their patch: many cases share one */
const sites = new Map<string, Site>();

describe('expression fast path', () => {
  it('specialised for fixed names, computes what reads only them beforehand and leaves the rest to run', () => {
    const program = new Environment().registerVariable('x', 'double').registerVariable('k', 'double').parse('x < k * 2.0');
    expect(program.check().valid).toBe(true);
    const fast = withFastPath(program as unknown as ParsedCel);
    const specialised = fast.specialize({ k: 5 }, ['x']);
    expect([specialised([9]), specialised([11])]).toEqual([true, false]);
    // a fixed name whose value does not fit its type is not computed beforehand: cel-js reports it on each call
    expect(() => fast.specialize({ k: 'five' }, ['x'])([1])).toThrow(/k/);
    // as it reports a name the program is not given
    expect(() => fast.specialize({}, ['x'])([1])).toThrow(/k/);
  });

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

describe('expression fast path beyond the shipped standards', () => {
  const env = new Environment({ homogeneousAggregateLiterals: true })
    .registerVariable('x', 'double')
    .registerVariable('y', 'double')
    .registerVariable('n', 'int')
    .registerVariable('b', 'bool')
    .registerVariable('s', 'string')
    .registerVariable('l', 'list<double>')
    .registerVariable('m', 'map<string, double>')
    .registerVariable('d', 'map<string, dyn>');
  const expressions: [string, boolean][] = [
    // [expression, compiled]
    ['x < y || b', true],
    ['!(x >= y) && b', true],
    ['x / y * 2.0 - -x', true],
    ['n * n + n - 1 < 100', true], // int overflow throws in cel-js
    ['n / (n - n) > 0', true], // int division by zero
    ['n % 3 == 1', true],
    ['l[n] > x', true], // out of bounds, negative index
    ['m[s] + m["a"] >= x', true], // missing keys
    ['double(d.v) > x', true], // dyn: number, string, bool
    ['b ? x : y', true],
    ['l.map(v, v * x).filter(v, v > 1.0)[0] > 2.0', true],
    ['l.map(v, l.map(w, w + v)[0])[1] == x', true], // nested comprehensions
    ['m.map(k, m[k] * x)[0] >= y', true], // over a map's keys, in cel-js's order
    ['l.filter(v, v > x).map(v, v * y)[0] + double(size(l.filter(v, v < x))) > 1.0', true], // a filter computed beforehand when l and x are fixed
    ['l.map(v, v > x ? [v] : [y])[0][0] < 2.0', true],
    ['m.filter(k, m[k] > x).map(k, k + s)[1] == "b"', true],
    ['l.map(v, m.map(k, m[k] + v)[0])[0] < x', true], // a map's keys inside a list's
    ['s + "!" == "a!"', true],
    ['l.exists(v, v > x)', false], // errors are not fatal in a quantifier: cel-js only
    ['has(d.v)', false],
    ['n in [1, 2, 3]', false],
    ['x == 1.0 ? "one" : s', true],
  ];
  it.each(expressions)('%s', (source, compiled) => {
    const program = env.parse(source);
    expect(program.check().valid).toBe(true);
    const fast = withFastPath(program as unknown as ParsedCel);
    expect(fast.compiled).toBe(compiled);
    const random = mulberry32(source.length * 7919);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const doubles = [0, -0, 1, -1, 2.5, 1e308, NaN, Infinity, -Infinity];
    const ints = [0n, 1n, 2n, -1n, 5n, 9223372036854775807n, -9223372036854775808n, 3037000500n];
    const mismatches: string[] = [];
    for (let i = 0; i < 400; i++) {
      const ctx: Record<string, unknown> = {
        x: pick(doubles),
        y: pick(doubles),
        n: pick(ints),
        b: random() < 0.5,
        s: pick(['a', 'b', '', 'constructor']),
        l: Array.from({ length: Math.floor(random() * 4) }, () => pick(doubles)),
        m: Object.fromEntries(['a', 'b', 'toString'].filter(() => random() < 0.6).map((k) => [k, pick(doubles)])),
        d: random() < 0.8 ? { v: pick([1, 2.5, '3', true, null, -0]) } : {},
      };
      // now and then a variable of the wrong type or missing: cel-js reports it, the fast path defers
      if (random() < 0.1) ctx[pick(Object.keys(ctx))] = pick([undefined, 'z', 1, true, 1n]);
      // specialised for a random part of the context: what reads only that part is computed beforehand, a map() over a fixed list unrolled
      const fixed = Object.fromEntries(Object.entries(ctx).filter(() => random() < 0.5));
      compare(source, fast, ctx, mismatches, fixed);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});

/** A small seeded PRNG (mulberry32): the random inputs are the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
