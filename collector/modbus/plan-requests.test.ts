import { describe, expect, it } from 'vitest';
import type { Point } from '../../model/index.ts';
import { loadDemoSite } from '../test-support.ts';
import { planRequests } from './plan-requests.ts';

function point(name: string, table: 'holding' | 'input' | 'coil' | 'discrete', address: number, type: NonNullable<Point['register']>['type'] = 'uint16'): Point {
  return { asset: 'A', name, id: `A.${name}`, unit: '%', source: 'rtu', staleAfterMs: 1000, register: { table, address, type, order: 'ABCD', scale: 1, offset: 0 } };
}
const shape = (points: Point[]) => planRequests(points).map((r) => [r.table, r.address, r.length, r.points.map((p) => `${p.point.name}@${p.offset}`)]);

describe('planRequests', () => {
  it('reads the demo RTU in three requests: holding 0-9, coils 0-1, discrete inputs 0-1', async () => {
    const site = await loadDemoSite();
    const requests = planRequests(site.points.filter((p) => p.source === 'rtu-fire'));
    expect(requests.map((r) => [r.table, r.address, r.length, r.points.length])).toEqual([
      ['holding', 0, 10, 5],
      ['coil', 0, 2, 2],
      ['discrete', 0, 2, 2],
    ]);
  });

  it('joins touching registers whatever the order, and never reads a gap', () => {
    expect(shape([point('c', 'holding', 3, 'float32'), point('a', 'holding', 0), point('b', 'holding', 1, 'int32'), point('d', 'holding', 6)])).toEqual([
      ['holding', 0, 5, ['a@0', 'b@1', 'c@3']],
      ['holding', 6, 1, ['d@0']],
    ]);
  });

  it('keeps tables apart', () => {
    expect(shape([point('a', 'holding', 0), point('b', 'input', 1), point('c', 'input', 0)])).toEqual([
      ['holding', 0, 1, ['a@0']],
      ['input', 0, 2, ['c@0', 'b@1']],
    ]);
  });

  it('splits at 125 registers and 2000 bits', () => {
    const words = Array.from({ length: 130 }, (_, i) => point(`w${i}`, 'holding', i));
    expect(planRequests(words).map((r) => [r.address, r.length])).toEqual([
      [0, 125],
      [125, 5],
    ]);
    const floats = Array.from({ length: 63 }, (_, i) => point(`f${i}`, 'input', i * 2, 'float32'));
    expect(planRequests(floats).map((r) => [r.address, r.length])).toEqual([
      [0, 124],
      [124, 2],
    ]);
    const bits = Array.from({ length: 2001 }, (_, i) => point(`b${i}`, 'coil', i, 'bool'));
    expect(planRequests(bits).map((r) => [r.address, r.length])).toEqual([
      [0, 2000],
      [2000, 1],
    ]);
  });

  it('shares a read between points on the same register', () => {
    expect(shape([point('a', 'holding', 4), point('b', 'holding', 4, 'int16')])).toEqual([['holding', 4, 1, ['a@0', 'b@0']]]);
  });
});
