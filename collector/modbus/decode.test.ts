import { describe, expect, it } from 'vitest';
import type { Point } from '../../model/index.ts';
import { decodeRegister } from './decode.ts';
import { describeFailure } from './failure-reason.ts';
import { exceptionRefusal, expectedBytes, noDataRefusal } from './modbus-link.ts';
import type { ReadRequest } from './plan-requests.ts';

type Register = NonNullable<Point['register']>;
const reg = (type: Register['type'], scale = 1, offset = 0, table: Register['table'] = 'holding'): Register => ({ table, address: 0, type, order: 'ABCD', scale, offset });

describe('decodeRegister', () => {
  it('decodes 16-bit words, signed and unsigned', () => {
    expect(decodeRegister(reg('uint16'), [0xfffe], [], 0)).toBe(65534);
    expect(decodeRegister(reg('int16'), [0xfffe], [], 0)).toBe(-2);
    expect(decodeRegister(reg('bool'), [0, 7], [], 1)).toBe(true);
  });

  it('decodes 32-bit values high word first', () => {
    expect(decodeRegister(reg('uint32'), [0x0001, 0x0002], [], 0)).toBe(65538);
    expect(decodeRegister(reg('int32'), [0xffff, 0xfffe], [], 0)).toBe(-2);
    expect(decodeRegister(reg('float32'), [9, 0x4049, 0x0fdb], [], 1)).toBeCloseTo(Math.PI, 6);
  });

  it('applies scale then offset', () => {
    expect(decodeRegister(reg('int16', 0.1, -50), [1234], [], 0)).toBeCloseTo(73.4, 9);
    expect(decodeRegister(reg('uint16', 0.01), [25], [], 0)).toBeCloseTo(0.25, 9);
  });

  it('reads coils and discrete inputs as booleans', () => {
    expect(decodeRegister(reg('bool', 1, 0, 'coil'), [], [false, true], 1)).toBe(true);
    expect(decodeRegister(reg('uint16', 1, 0, 'discrete'), [], [false, true], 0)).toBe(false);
  });
});

describe('describeFailure', () => {
  it('names Modbus exceptions, timeouts, answers that do not parse and lost connections', () => {
    expect(describeFailure(Object.assign(new Error('x'), { modbusCode: 2 }))).toEqual({ kind: 'exception', code: 2, reason: 'modbus exception 2' });
    expect(describeFailure(new Error('Data length error, expected 9 got 5'))).toEqual({ kind: 'frame', reason: 'out of step: Data length error, expected 9 got 5' });
    expect(describeFailure({ name: 'TransactionTimedOutError', message: 'Timed out' })).toEqual({ kind: 'timeout', reason: 'timeout' });
    expect(describeFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toEqual({ kind: 'connection', reason: 'not connected (ECONNREFUSED)' });
  });
});

describe('refusals', () => {
  const read = (table: ReadRequest['table'], address: number, length: number): ReadRequest => ({ table, address, length, points: [] });
  it('names the exception and the addresses asked for, and says which are worth splitting', () => {
    expect(exceptionRefusal(2, read('holding', 550, 1))).toEqual({ kind: 'refused', reason: 'illegal data address 550 (holding, modbus exception 2)', split: true });
    expect(exceptionRefusal(6, read('input', 0, 10))).toEqual({ kind: 'refused', reason: 'server device busy (input 0–9, modbus exception 6)', split: false });
    expect(noDataRefusal(read('holding', 600, 2), 0, 4)).toEqual({ kind: 'refused', reason: 'no data for holding 600–601 (0 of 4 bytes)', split: true });
    expect(expectedBytes(read('coil', 0, 9))).toBe(2);
  });
});
