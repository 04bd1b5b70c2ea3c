import { DataType, VariantArrayType, type DataValue, type Variant } from 'node-opcua';
import { textProblem, type Point, type Quality, type Sample, type SampleValue } from '../../model/index.ts';

/**
 * Turns one OPC-UA DataValue of a point into a Sample: quality from the StatusCode, ts from the
 * source timestamp. A value the point cannot hold (an array, text or a structure where a number
 * was expected) is `bad` with the reason, keeping the last value; a 64-bit integer is decoded
 * signed or unsigned as its DataType says, exactly up to 2^53 and beyond that as the nearest
 * double with a note in `reason`.
 */
export function dataValueToSample(site: string, point: Point, dataValue: DataValue, lastValue: SampleValue | undefined, now: () => number): Sample {
  const status = dataValue.statusCode;
  const ts = dataValue.sourceTimestamp?.getTime() ?? dataValue.serverTimestamp?.getTime() ?? now();
  const fallback = lastValue ?? (point.unit === 'bool' ? false : Number.NaN);
  if (!status.isGood()) {
    // a Bad or Uncertain status may still carry a value; the status is the reason either way
    const quality: Quality = status.isBad() ? 'bad' : 'uncertain';
    const converted = convert(dataValue.value, point);
    if (typeof converted !== 'object') return { site, point: point.id, value: converted, quality, ts, reason: status.name };
    if ('value' in converted) return { site, point: point.id, value: converted.value, quality, ts, reason: `${status.name}; ${converted.note}` };
    return { site, point: point.id, value: fallback, quality: 'bad', ts, reason: dataValue.value?.value == null ? status.name : `${status.name}; ${converted.refused}` };
  }
  const value = convert(dataValue.value, point);
  if (typeof value !== 'object') return { site, point: point.id, value, quality: 'good', ts };
  if ('refused' in value) return { site, point: point.id, value: fallback, quality: 'bad', ts, reason: value.refused };
  return { site, point: point.id, value: value.value, quality: 'good', ts, reason: value.note };
}

type Converted = SampleValue | { refused: string } | { value: number; note: string };

/** The variant's value as the point holds it; an object when it cannot be held, or needs a note. */
function convert(variant: Variant | null | undefined, point: Point): Converted {
  const raw: unknown = variant?.value;
  if (raw === null || raw === undefined || variant!.dataType === DataType.Null) return { refused: `no value where ${expected(point)} was expected` };
  if (variant!.arrayType !== VariantArrayType.Scalar) {
    const count = (raw as ArrayLike<unknown>).length ?? 0;
    return { refused: `${variant!.arrayType === VariantArrayType.Matrix ? 'matrix' : 'array'} of ${count} where ${expected(point)} was expected` };
  }
  const type = variant!.dataType;
  if (point.unit === 'bool') {
    if (typeof raw === 'boolean') return raw;
    if (typeof raw === 'number') return raw !== 0;
    if (type === DataType.Int64 || type === DataType.UInt64) return int64(raw as [number, number], type === DataType.Int64) !== 0n;
    return { refused: `${describe(raw, type)} where a boolean was expected` };
  }
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  if (type === DataType.Int64 || type === DataType.UInt64) return wide(int64(raw as [number, number], type === DataType.Int64), DataType[type]);
  if (typeof raw === 'bigint') return wide(raw, 'integer');
  // a multi-state point may carry its state as text; a measured quantity never does
  if (typeof raw === 'string' && point.unit === 'state') {
    // text no database column can hold is the device's fault: the reading is bad, said so, not stored as it came
    const problem = textProblem(raw);
    return problem ? { refused: `state text ${problem}` } : raw;
  }
  return { refused: `${describe(raw, type)} where ${expected(point)} was expected` };
}

const expected = (point: Point) => (point.unit === 'bool' ? 'a boolean' : point.unit === 'state' ? 'a number or text' : 'a number');

function describe(raw: unknown, type: DataType): string {
  if (typeof raw === 'string') return `text ${JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw)}`;
  return `a value of type ${DataType[type] ?? typeof raw}`;
}

/** Int64 and UInt64 arrive as [high, low] unsigned 32-bit words. */
function int64([high, low]: [number, number], signed: boolean): bigint {
  const bits = (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
  return signed ? BigInt.asIntN(64, bits) : bits;
}

/** A double holds every integer up to 2^53 exactly; past that the nearest one is taken, and said. */
function wide(integer: bigint, type: string): number | { value: number; note: string } {
  const value = Number(integer);
  if (Number.isSafeInteger(value)) return value;
  const carried = BigInt(value);
  const off = carried - integer;
  return { value, note: `${type} ${integer} is past 2^53, where doubles skip integers: carried as ${carried} (${off === 0n ? 'exact' : `off by ${off < 0n ? -off : off}`})` };
}
