import type { Quality, SampleValue } from '../../model/index.ts';

/** One stored reading of a point (db's store.series has this shape). */
export interface SeriesPoint {
  ts: number;
  value: SampleValue | null;
  quality: Quality;
  reason?: string;
}

/** Stored history for trend charts; main.ts wires it to the store's series(). */
export interface HistoryView {
  /** readings of one point with from <= ts <= to, oldest first */
  series(site: string, point: string, from: number, to: number): Promise<SeriesPoint[]>;
}

export interface HealthCheck {
  /** e.g. "db", "source:plc-tankfarm" */
  name: string;
  ok: boolean;
  /** shown to admins only */
  detail?: string;
}

/** Readiness of the parts the server depends on; main.ts implements it (db reachable, sources connected). */
export interface HealthView {
  checks(): Promise<HealthCheck[]>;
}

export interface SourceMetrics {
  id: string;
  site: string;
  connected: boolean;
  /** samples delivered since start */
  samples?: number;
}

/**
 * Figures the server cannot see on the live events; main.ts implements it. Verdict counts,
 * scores, open alarms and samples through the event stream are taken from the LiveView.
 */
export interface MetricsView {
  /** samples ingested by the engine since start, all sites */
  samplesIngested?(): number;
  /** the database writer's buffer */
  writer?(): { buffered: number; written: number; dropped: number };
  /** how far the database writer is behind the newest sample, ms */
  dbLagMs?(): number;
  sources?(): SourceMetrics[];
}
