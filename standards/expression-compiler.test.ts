// The compiled fast path gives what cel-js gives, on expressions beyond the shipped standards (every
// node shape it compiles, on seeded random values: wrong types, missing values, NaN, infinities,
// negative zero, int overflow), whole and specialised for a random part of the context. The shipped
// standards' every expression is compared in test/cel-fast-path-standards.test.ts.
import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { compare, mulberry32 } from './cel-differential.ts';
import { registerFunctions } from './cel-functions.ts';
import { withFastPath, type ParsedCel } from './expression-compiler.ts';

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

  it('is constant when a known operand decides && or || on either side, whatever the other one gives', () => {
    const env = new Environment().registerVariable('x', 'double').registerVariable('l', 'list<double>').registerVariable('k', 'bool');
    const fast = (source: string) => {
      const program = env.parse(source);
      expect(program.check().valid).toBe(true);
      return withFastPath(program as unknown as ParsedCel);
    };
    const decided = fast('l[3] < x || k').specialize({ k: true }, ['x', 'l']);
    expect(decided.constant).toBe(true);
    expect(decided([1, []])).toBe(true); // cel-js too: an index out of range gives way to `|| true`
    expect(fast('l[3] < x || k').slow({ x: 1, l: [], k: true })).toBe(true);
    expect(fast('k && l[0] > x').specialize({ k: false }, ['x', 'l']).constant).toBe(true);
    const open = fast('l[0] < x || k').specialize({ k: false }, ['x', 'l']);
    expect(open.constant).toBeUndefined();
    expect(() => open([1, []])).toThrow();
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
    .registerVariable('d', 'map<string, dyn>')
    .registerVariable('ks', 'list<string>')
    .registerType('Position', { ctor: class Position {}, fields: { x: 'double', y: 'double' } });
  registerFunctions(env);
  const expressions: [string, boolean][] = [
    // [expression, compiled]
    ['x < y || b', true],
    ['l[n] > x || b', true], // a known b decides either side, over an index out of range too
    ['b && m[s] > x', true],
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
    // sum/max/min of a map() unrolled over a fixed list fold its items without building the list; of an empty one, max and min are cel-js's error
    ['sum(l.map(v, v * x)) > y', true],
    ['max(l.map(v, v + x)) < y', true],
    ['min(l.filter(v, v > 0.0).map(v, v * x)) <= y', true],
    ['sum(m.map(k, m[k] * x)) + max(l.map(v, l.map(w, w * v)[0])) != y', true],
    // readings of a map at known keys scaled by known numbers, folded in one loop when the map is read by position
    ['sum(ks.map(k, m[k] * x / 2.0)) > y', true],
    ['max(ks.map(k, 2.0 * m[k] * x)) < y', true],
    ['min(ks.map(k, m[k] / x)) >= y', true],
    ['sum(ks.map(k, m[k] * x - 1.0)) + sum(ks.map(k, x * m[k])) == y', true],
    // two lists joined, each unrolled or known, folded over their items
    ['max(l.map(v, v * x) + [1.0, 2.0]) < y', true],
    ['sum(ks.map(k, m[k] * x) + l) > y', true],
    ['min(l + l.map(v, v - x)) >= y', true],
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
        ks: pick([['a', 'b'], ['b'], [], ['a', 'toString'], ['b', 'a', 'b']]),
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
