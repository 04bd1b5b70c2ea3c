import { DataType, DataValue, StatusCodes, Variant } from 'node-opcua';
import { describe, expect, it } from 'vitest';
import type { Point } from '../../model/index.ts';
import { dataValueToSample } from './data-value-to-sample.ts';

const state: Point = { id: 'P1.mode', asset: 'P1', name: 'mode', unit: 'state', source: 'plc', staleAfterMs: 10_000 };
const read = (value: string) =>
  dataValueToSample(
    's',
    state,
    new DataValue({ value: new Variant({ dataType: DataType.String, value }), statusCode: StatusCodes.Good, sourceTimestamp: new Date(1000) }),
    'auto',
    () => 2000,
  );

describe("a device's text on a state point", () => {
  it('is kept as the state when it can be stored', () => {
    expect(read('manual')).toEqual({ site: 's', point: 'P1.mode', value: 'manual', quality: 'good', ts: 1000 });
  });
  it('is bad, with the reason and the last good state, when it holds a NUL or a lone surrogate (no column could store it)', () => {
    expect(read('auto\u0000x')).toEqual({ site: 's', point: 'P1.mode', value: 'auto', quality: 'bad', ts: 1000, reason: 'state text must not contain the NUL character (U+0000)' });
    expect(read('a\uD800b')).toMatchObject({ quality: 'bad', reason: 'state text must not contain a lone UTF-16 surrogate' });
  });
});
