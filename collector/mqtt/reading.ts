import type { Point, SampleValue } from '../../model/index.ts';

/** What a message said of one point: a value, or why it could not give one. */
export type Reading = { point: Point; ts: number; value: SampleValue; bad?: undefined } | { point: Point; ts: number; bad: string; value?: undefined };

/** How a payload value is named in a reason: `text "12.5"`, `boolean true`, `object`, `array of 3`, `null`. */
export function describeValue(raw: unknown): string {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return `array of ${raw.length}`;
  if (typeof raw === 'string') return `text ${JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw)}`;
  if (typeof raw === 'number') return Number.isFinite(raw) ? `number ${raw}` : `number ${String(raw)}`;
  if (typeof raw === 'boolean') return `boolean ${String(raw)}`;
  return typeof raw;
}

/**
 * The payload's value as the point's sample value, or the reason it is not one: a `bool` point takes a
 * boolean, a `state` point a finite number or a text, any other point a finite number. Text is never
 * parsed into a number.
 */
export function pointValue(point: Point, raw: unknown): { value: SampleValue } | { bad: string } {
  if (point.unit === 'bool') return typeof raw === 'boolean' ? { value: raw } : { bad: `${describeValue(raw)} where a boolean was expected` };
  if (typeof raw === 'number' && Number.isFinite(raw)) return { value: raw };
  if (point.unit === 'state' && typeof raw === 'string') return { value: raw };
  return { bad: `${describeValue(raw)} where ${point.unit === 'state' ? 'a number or a text' : 'a number'} was expected` };
}
