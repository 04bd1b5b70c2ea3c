import type { Quality, Sample, SampleValue } from '../model/index.ts';

/** One stored reading of a point, as the UI charts it. */
export interface SeriesPoint {
  ts: number;
  value: SampleValue | null;
  quality: Quality;
  /** why the quality is not good, when the source said */
  reason?: string;
}

/** A point's stored reading, named: what a site's newest readings are made of. */
export interface PointReading extends SeriesPoint {
  point: string;
}

/** A chart's worth of one point: raw readings for short spans, time buckets for long ones. */
export type Chart = { resolution: 'raw'; points: SeriesPoint[] } | { resolution: '1m' | '1h'; buckets: ChartBucket[] };

/** Numeric readings of one time bucket (start ts); non-numeric readings count in n only. */
export interface ChartBucket {
  ts: number;
  avg: number | null;
  min: number | null;
  max: number | null;
  n: number;
}

/** Spans up to `rawMaxMs` are raw, up to `minuteMaxMs` in 1-minute buckets, beyond in 1-hour buckets. */
export interface ChartOptions {
  rawMaxMs?: number;
  minuteMaxMs?: number;
}

/** Raw telemetry: the readings of every point, written in batches and read back over time. */
export interface TelemetryStore {
  /** Idempotent on (site, point, ts): rewriting a reading is a no-op. */
  writeSamples(samples: readonly Sample[]): Promise<void>;
  /** Raw readings of one point with from <= ts <= to (ms since epoch), oldest first. */
  series(site: string, point: string, from: number, to: number): Promise<SeriesPoint[]>;
  /**
   * The newest reading of every point of a site with from <= ts <= to, in one query, oldest first (ties by
   * point). A point without a reading in the span is absent; one whose newest row has no value comes with value null.
   */
  newestReadings(site: string, from: number, to: number): Promise<PointReading[]>;
  /** One point over any span, downsampled by the span's length (raw / 1 min / 1 h), oldest first. */
  chart(site: string, point: string, from: number, to: number, options?: ChartOptions): Promise<Chart>;
}
