import { expect } from 'vitest';
import type { Point } from '../../../model/index.ts';
import type { Recorder } from '../../test-support.ts';
import type { PymodbusSpec } from './pymodbus.ts';

/** Every register type in every byte/word order, scaled input registers, coils and discrete inputs: what the pymodbus slave holds and what the collector must read. */
const TYPES = [
  ['int16', -1234],
  ['uint16', 54321],
  ['int32', -123456789],
  ['uint32', 3_000_000_000],
  ['float32', 3.14159],
  ['float64', -12345.678901234],
] as const;
const ORDERS = ['ABCD', 'CDAB', 'BADC', 'DCBA'] as const;

export type Row = { point: Point; expected: number | boolean };
export const rows: Row[] = [];
export const spec: PymodbusSpec = { holding: [], input: [], coil: [], discrete: [] };
const point = (name: string, register: Point['register']): Point => ({ asset: 'PY', name, id: `PY.${name}`, unit: '%', source: 'py', staleAfterMs: 10_000, register });

let address = 0;
for (const [type, value] of TYPES) {
  for (const order of ORDERS) {
    rows.push({ point: point(`${type}_${order.toLowerCase()}`, { table: 'holding', address, type, order, scale: 1, offset: 0 }), expected: value });
    spec.holding.push([address, type, order, value]);
    address += type === 'float64' ? 4 : type.endsWith('16') ? 1 : 2;
  }
}
// input registers, with scale and offset: raw 2345 × 0.1 − 40 = 194.5
spec.input.push([10, 'int16', 'ABCD', 2345], [12, 'float32', 'CDAB', 61.5]);
rows.push({ point: point('scaled', { table: 'input', address: 10, type: 'int16', order: 'ABCD', scale: 0.1, offset: -40 }), expected: 194.5 });
rows.push({ point: point('input_float', { table: 'input', address: 12, type: 'float32', order: 'CDAB', scale: 1, offset: 0 }), expected: 61.5 });
for (const [table, addr, value] of [
  ['coil', 0, true],
  ['coil', 1, false],
  ['coil', 5, true],
  ['discrete', 2, true],
  ['discrete', 3, false],
] as const) {
  spec[table].push([addr, value]);
  rows.push({ point: point(`${table}_${addr}`, { table, address: addr, type: 'bool', order: 'ABCD', scale: 1, offset: 0 }), expected: value });
}

/** The latest sample of each row is good and holds the value pymodbus encoded. */
export function expectDecoded(recorder: Recorder, picked: Row[]): void {
  for (const { point: p, expected } of picked) {
    const sample = recorder.latest(p.id);
    expect(sample?.quality, `${p.id}: ${sample?.reason}`).toBe('good');
    if (typeof expected === 'boolean') expect(sample!.value, p.id).toBe(expected);
    else if (p.register!.type === 'float32') expect(sample!.value as number, p.id).toBeCloseTo(expected, 4);
    else expect(sample!.value as number, p.id).toBeCloseTo(expected, 9);
  }
}
