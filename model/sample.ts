/** Quality of one reading, from OPC-UA StatusCode, Modbus exception or staleness. */
export const QUALITIES = ['good', 'uncertain', 'bad'] as const;
export type Quality = (typeof QUALITIES)[number];

export type SampleValue = number | boolean | string;

/** One reading of one point. */
export interface Sample {
  site: string;
  /** "<asset id>.<point name>", e.g. "T101.level" */
  point: string;
  value: SampleValue;
  quality: Quality;
  /** source timestamp, ms since epoch */
  ts: number;
  /** why the quality is not good (exception code, stale, status code name) */
  reason?: string;
}

export function pointId(asset: string, name: string): string {
  return `${asset}.${name}`;
}
