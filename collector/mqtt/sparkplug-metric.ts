import type { Point } from '../../model/index.ts';
import { pointValue } from './reading.ts';
import type { SampleValue } from '../../model/index.ts';

/** A 64-bit integer as protobufjs decodes it (a `long` Long). */
interface LongLike {
  low: number;
  high: number;
}

function isLong(value: unknown): value is LongLike {
  return typeof value === 'object' && value !== null && typeof (value as LongLike).low === 'number' && typeof (value as LongLike).high === 'number';
}

/**
 * A decoded Long as a number. Sparkplug carries every integer unsigned on the wire; the metric's datatype
 * says whether the bits are a signed value (Int64: two's complement) or not (UInt64, DateTime).
 */
export function longToNumber(value: LongLike, signed: boolean): number {
  return (signed ? value.high : value.high >>> 0) * 2 ** 32 + (value.low >>> 0);
}

/** Sparkplug's integer types, whose values may come as Longs */
const SIGNED = new Set(['Int8', 'Int16', 'Int32', 'Int64']);
const SCALAR = new Set(['Int8', 'Int16', 'Int32', 'Int64', 'UInt8', 'UInt16', 'UInt32', 'UInt64', 'Float', 'Double', 'Boolean', 'String', 'Text', 'UUID', 'DateTime']);

/** A time field of the payload (ms since the epoch, as a Long or a number); undefined when absent. */
export function sparkplugTime(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  return isLong(value) ? longToNumber(value, false) : undefined;
}

/** A metric's value as the point's sample value, or why it is not one (a null, a wrong type, a structured value). */
export function metricPointValue(point: Point, type: string, value: unknown, isNull: boolean): { value: SampleValue } | { bad: string } {
  if (isNull || value === null || value === undefined) return { bad: `null ${type} value` };
  if (!SCALAR.has(type)) return { bad: `${type} value where ${point.unit === 'bool' ? 'a boolean' : 'a number'} was expected` };
  const scalar = isLong(value) ? longToNumber(value, SIGNED.has(type)) : value;
  return pointValue(point, scalar);
}
