// Test support for the differential tests of the CEL fast path against cel-js
// (standards/expression-compiler.test.ts, test/cel-fast-path-standards.test.ts): both paths run on
// the same program and context, compared value for value, error for error.
import { isDeepStrictEqual } from 'node:util';
import type { FastCel } from './expression-compiler.ts';

export type Outcome = { value: unknown } | { error: string };
export const outcome = (program: (ctx: Record<string, unknown>) => unknown, ctx: Record<string, unknown>): Outcome => {
  try {
    return { value: program(ctx) };
  } catch (error) {
    return { error: (error as Error).message };
  }
};
export const fastOf = (program: unknown) => program as FastCel;

/**
 * Compares both paths on one program, and the program specialised for the names of `fixed` (which
 * `ctx` holds with the same values) when given; returns cel-js's outcome to carry on with.
 */
export function compare(label: string, program: unknown, ctx: Record<string, unknown>, mismatches: string[], fixed?: Record<string, unknown>): Outcome {
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
export const show = (o: Outcome) => JSON.stringify(o, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));

/** A small seeded PRNG (mulberry32): the random inputs are the same on every run. */
export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
