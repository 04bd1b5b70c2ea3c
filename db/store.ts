import type { Alert, ClauseResult, Quality, Sample, SampleValue, SiteScore } from '../model/index.ts';

/** One stored reading of a point, as the UI charts it. */
export interface SeriesPoint {
  ts: number;
  value: SampleValue | null;
  quality: Quality;
  /** why the quality is not good, when the source said */
  reason?: string;
}

/** The storage contract: every backend (PGlite, PostgreSQL) passes db/store.contract.ts. */
export interface Store {
  readonly backend: 'pglite' | 'postgres';
  /** Idempotent on (site, point, ts): rewriting a reading is a no-op. */
  writeSamples(samples: readonly Sample[]): Promise<void>;
  /** Appends verdict changes. */
  writeResults(results: readonly ClauseResult[]): Promise<void>;
  /** Upserts on (site, ts); the last score at an instant wins. */
  writeScores(scores: readonly SiteScore[]): Promise<void>;
  /** Upserts each alert and appends its transition, all in one transaction. */
  writeAlerts(alerts: readonly Alert[]): Promise<void>;
  /** The latest verdict of every (clause, subject) of a site. */
  latestResults(site: string): Promise<ClauseResult[]>;
  /** every recorded verdict change of one clause on one subject, oldest first */
  clauseHistory(site: string, clause: string, subject: string): Promise<ClauseResult[]>;
  latestScore(site: string): Promise<SiteScore | undefined>;
  /** Alerts of a site that are not cleared, newest first. */
  openAlerts(site: string): Promise<Alert[]>;
  /** Every transition of one alert, oldest first. */
  alertHistory(alertId: string): Promise<{ state: Alert['state']; at: number; alert: Alert }[]>;
  /** Raw readings of one point with from <= ts <= to (ms since epoch), oldest first. */
  series(site: string, point: string, from: number, to: number): Promise<SeriesPoint[]>;
  close(): Promise<void>;
}

export type StoreErrorCode = 'INVALID_OPTIONS' | 'CONNECT_FAILED' | 'MIGRATION_FAILED' | 'CLOSED' | 'DRAIN_TIMEOUT';

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}
