import type { Environment } from '@marcbachmann/cel-js';

// The functions expressions may call beyond CEL's own. Each is pure and total over valid
// input; a function that cannot answer throws, and the clause is then `unknown`.

/**
 * A fold of a list's numbers from `start`: `sum`, `max` and `min`, the functions the GB 18218 sums over a
 * unit's tanks call on every tick. The fast path (expression-compiler.ts) runs the same fold straight over
 * an unrolled map()'s items, without building the list, when it finds one of these handlers.
 */
export interface ListFold {
  start: number;
  add: (a: number, b: number) => number;
  /** max and min of nothing have no answer */
  needsItems: boolean;
}

function foldList(name: string, { start, add, needsItems }: ListFold) {
  return (list: unknown[]): number => {
    if (needsItems && list.length === 0) throw new RangeError(`${name}() of an empty list`);
    // the same left fold as Math.max(...list) / a reduce from 0, so the same result, without copying the list
    let value = start;
    for (let i = 0; i < list.length; i++) value = add(value, Number(list[i]));
    return value;
  };
}

const SUM: ListFold = { start: 0, add: (a, b) => a + b, needsItems: false };
const MAX: ListFold = { start: -Infinity, add: Math.max, needsItems: true };
const MIN: ListFold = { start: Infinity, add: Math.min, needsItems: true };
const sum = foldList('sum', SUM);
const max = foldList('max', MAX);
const min = foldList('min', MIN);

/** the fold each list function runs, by its handler as registered (what cel-js's type check resolves a call to) */
export const LIST_FOLDS: ReadonlyMap<unknown, ListFold> = new Map<unknown, ListFold>([
  [sum, SUM],
  [max, MAX],
  [min, MIN],
]);

/** `step(x, bounds, values)`: the value of the last band whose lower bound x reaches; bounds rise. */
export function step(x: number, bounds: unknown[], values: unknown[]): number {
  if (bounds.length === 0 || bounds.length !== values.length) throw new RangeError('step() needs as many values as bounds');
  let found: number | undefined;
  for (let i = 0; i < bounds.length; i++) {
    const bound = Number(bounds[i]);
    if (i > 0 && bound <= Number(bounds[i - 1])) throw new RangeError('step() bounds must rise');
    if (x >= bound) found = Number(values[i]);
  }
  if (found === undefined) throw new RangeError(`step(): ${x} is below the first bound ${String(bounds[0])}`);
  return found;
}

/** Shortest distance from (x, y) to the edges of a closed polygon. */
export function outlineDistance(x: number, y: number, outline: readonly { x: number; y: number }[]): number {
  if (outline.length < 2) throw new RangeError('outlineDistance() needs a polygon');
  let best = Infinity;
  for (let i = 0; i < outline.length; i++) {
    const a = outline[i]!;
    const b = outline[(i + 1) % outline.length]!;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const length2 = dx * dx + dy * dy;
    const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - a.x) * dx + (y - a.y) * dy) / length2));
    best = Math.min(best, Math.hypot(x - (a.x + t * dx), y - (a.y + t * dy)));
  }
  return best;
}

/** Registers every function on `env`; the signatures are what the type checker sees. */
export function registerFunctions(env: Environment): void {
  env.registerFunction('max(list<double>): double', max);
  env.registerFunction('min(list<double>): double', min);
  env.registerFunction('sum(list<double>): double', sum);
  env.registerFunction('hypot(double, double): double', (a: number, b: number) => Math.hypot(a, b));
  env.registerFunction('circleArea(double): double', (d: number) => (Math.PI * d * d) / 4);
  env.registerFunction('circumference(double): double', (d: number) => Math.PI * d);
  env.registerFunction('step(double, list<double>, list<double>): double', step);
  env.registerFunction('outlineDistance(double, double, list<Position>): double', outlineDistance);
}

/** What the clause table and README say about each function. */
export const FUNCTION_DOCS: Record<string, string> = {
  'max(list)': 'largest of a list of numbers (error on an empty list)',
  'min(list)': 'smallest of a list of numbers (error on an empty list)',
  'sum(list)': 'sum of a list of numbers (0 for an empty list)',
  'hypot(dx, dy)': 'distance for coordinate differences',
  'circleArea(d)': 'area of a circle of diameter d',
  'circumference(d)': 'circumference of a circle of diameter d',
  'step(x, bounds, values)': 'value of the last band whose lower bound x reaches (bounds rise)',
  'outlineDistance(x, y, outline)': 'shortest distance from a point to the edges of a polygon',
};
