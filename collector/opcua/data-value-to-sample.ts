import type { DataValue } from 'node-opcua';
import type { Point, Quality, Sample, SampleValue } from '../../model/index.ts';

/** Turns one OPC-UA DataValue of a point into a Sample: quality from the StatusCode, ts from the source timestamp. */
export function dataValueToSample(site: string, point: Point, dataValue: DataValue, lastValue: SampleValue | undefined, now: () => number): Sample {
  const status = dataValue.statusCode;
  const quality: Quality = status.isGood() ? 'good' : status.isBad() ? 'bad' : 'uncertain';
  const ts = dataValue.sourceTimestamp?.getTime() ?? dataValue.serverTimestamp?.getTime() ?? now();
  const value = toSampleValue(dataValue.value?.value, point) ?? lastValue ?? (point.unit === 'bool' ? false : Number.NaN);
  const sample: Sample = { site, point: point.id, value, quality, ts };
  if (quality !== 'good') sample.reason = status.name;
  return sample;
}

function toSampleValue(raw: unknown, point: Point): SampleValue | undefined {
  if (typeof raw === 'boolean') return point.unit === 'bool' ? raw : Number(raw);
  if (typeof raw === 'number') return point.unit === 'bool' ? raw !== 0 : raw;
  if (typeof raw === 'bigint') return Number(raw);
  if (typeof raw === 'string') return raw;
  if (Array.isArray(raw) && raw.length === 2 && raw.every((n) => typeof n === 'number')) {
    // Int64/UInt64 arrive as [high, low] 32-bit words
    return raw[0]! * 2 ** 32 + raw[1]!;
  }
  return undefined;
}
