import type { Alert, ClauseResult, Quality, Sample, SampleValue, SiteScore } from '../model/index.ts';
import type { AuditEntry, AuditRecord } from './audit.ts';
import type { DeadLetter, Lane } from './dead-letters.ts';
import type { SignInDecision, SignInPolicy } from './sign-in-limits.ts';
import type { RetentionPolicy, RetentionTable } from './retention.ts';

/** One stored reading of a point, as the UI charts it. */
export interface SeriesPoint {
  ts: number;
  value: SampleValue | null;
  quality: Quality;
  /** why the quality is not good, when the source said */
  reason?: string;
}

/** A chart's worth of one point: raw readings for short spans, time buckets for long ones. */
export type Chart =
  | { resolution: 'raw'; points: SeriesPoint[] }
  | { resolution: '1m' | '1h'; buckets: ChartBucket[] };

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

/** What a site showed at an instant: the verdict in force per (clause, subject), and the score. */
export interface SiteStateAsOf {
  site: string;
  at: number;
  results: ClauseResult[];
  score: SiteScore | undefined;
  /** the standard versions the verdicts were reached under */
  standards: string[];
}

/** A drill, siren test, inspection or certificate, as the standard's evidence clauses read it. */
export interface EvidenceRecord {
  site: string;
  /** drill, siren-test, inspection, certificate, … */
  kind: string;
  /** an asset id, or the site id for site-wide records */
  subject: string;
  doneAt: number;
  by: string;
  validUntil?: number;
  /** an attachment: file name, document number or URL */
  reference?: string;
  notes?: string;
  /** set by the store: 1 for the first upload under (site, kind, subject, doneAt), then 2, 3, … */
  version?: number;
  /** who uploaded this version (a user name), and when */
  recordedBy?: string;
  recordedAt?: number;
  /** set by the store: sha256 (hex) of the record's content (evidenceHash) */
  hash?: string;
}

/** A time range of a site that retention keeps (an open audit, an incident inquiry). */
export interface Hold {
  id: number;
  site: string;
  from: number;
  to: number;
  reason: string;
}

/** A message waiting in the outbox. */
export interface OutboxMessage {
  id: number;
  topic: string;
  key: string;
  payload: unknown;
  createdAt: number;
  /** deliveries tried so far, this one included */
  attempts: number;
}

/** The storage contract: every backend (PGlite, PostgreSQL, TimescaleDB) passes db/store.contract.ts. */
export interface Store {
  readonly backend: 'pglite' | 'postgres';
  /** true when the TimescaleDB layer (hypertables, compression, aggregates, jobs) is in place */
  readonly timescale: boolean;
  /** Idempotent on (site, point, ts): rewriting a reading is a no-op. */
  writeSamples(samples: readonly Sample[]): Promise<void>;
  /** Appends verdict changes. */
  writeResults(results: readonly ClauseResult[]): Promise<void>;
  /** Upserts on (site, ts); the last score at an instant wins. */
  writeScores(scores: readonly SiteScore[]): Promise<void>;
  /** Upserts each alert, appends its transition and an outbox row (topic `alert`), all in one transaction. */
  writeAlerts(alerts: readonly Alert[]): Promise<void>;
  /** The latest verdict of every (clause, subject) of a site. */
  latestResults(site: string): Promise<ClauseResult[]>;
  /** every recorded verdict change of one clause on one subject, oldest first */
  clauseHistory(site: string, clause: string, subject: string): Promise<ClauseResult[]>;
  latestScore(site: string): Promise<SiteScore | undefined>;
  /** every recorded score (with its live risk) of a site with from <= ts <= to, oldest first */
  scoreHistory(site: string, from: number, to: number): Promise<SiteScore[]>;
  /** Alerts of a site that are not cleared, newest first. */
  openAlerts(site: string): Promise<Alert[]>;
  /** Every transition of one alert, oldest first. */
  alertHistory(alertId: string): Promise<{ state: Alert['state']; at: number; alert: Alert }[]>;
  /** Raw readings of one point with from <= ts <= to (ms since epoch), oldest first. */
  series(site: string, point: string, from: number, to: number): Promise<SeriesPoint[]>;
  /** One point over any span, downsampled by the span's length (raw / 1 min / 1 h), oldest first. */
  chart(site: string, point: string, from: number, to: number, options?: ChartOptions): Promise<Chart>;
  /** The verdict of every (clause, subject) and the score in force at `at` (ms since epoch). */
  stateAsOf(site: string, at: number): Promise<SiteStateAsOf>;
  /** Appends to the hash chain, serialised so that it never forks; returns the stored row. */
  appendAudit(entry: AuditEntry): Promise<AuditRecord>;
  /**
   * Appends in order in one transaction. An entry whose `details.entryId` is already in the chain
   * (a retry after a lost reply, a replayed spill file) is skipped.
   */
  appendAudits(entries: readonly AuditEntry[]): Promise<void>;
  /** The newest row of the chain, or undefined when it is empty. */
  auditHead(): Promise<AuditRecord | undefined>;
  /** Rows of the chain with seq > afterSeq, in order, at most `limit`. */
  auditRecords(afterSeq?: number, limit?: number): Promise<AuditRecord[]>;
  /** Claims up to `limit` undelivered messages for `leaseMs` (default 30 s), oldest first. */
  claimOutbox(limit: number, leaseMs?: number): Promise<OutboxMessage[]>;
  markDelivered(ids: readonly number[]): Promise<void>;
  /**
   * Append-only: a record under an existing (site, kind, subject, doneAt) becomes its next version
   * (the same content again is not a new version). Returns the records as stored, with version and hash.
   */
  writeEvidence(records: readonly EvidenceRecord[]): Promise<EvidenceRecord[]>;
  /** The latest version of each record of a site (optionally of one kind / subject) done at or before `asOf`, newest first. */
  evidence(site: string, filter?: { kind?: string; subject?: string; asOf?: number }): Promise<EvidenceRecord[]>;
  /** Every version of one record, oldest first. */
  evidenceVersions(site: string, kind: string, subject: string, doneAt: number): Promise<EvidenceRecord[]>;
  /** Rows the writer gave up on (db/dead-letters.ts). */
  writeDeadLetters(letters: readonly DeadLetter[]): Promise<void>;
  deadLetters(filter?: { lane?: Lane; afterId?: number; limit?: number }): Promise<DeadLetter[]>;
  /** Counts a sign-in attempt on `key` before the password is checked (db/sign-in-limits.ts); atomic per key. */
  signInAttempt(key: string, policy: SignInPolicy, now: number): Promise<SignInDecision>;
  signInReset(key: string): Promise<void>;
  /** Takes back one attempt (a successful sign-in from a shared client address). */
  signInRefund(key: string): Promise<void>;
  /** Lifts a lockout; false when the key had no count. */
  signInUnlock(key: string): Promise<boolean>;
  addHold(hold: Omit<Hold, 'id'>): Promise<Hold>;
  releaseHold(id: number): Promise<void>;
  /** Open holds of a site. */
  holds(site: string): Promise<Hold[]>;
  /** Deletes what `policy` no longer keeps (see db/retention.ts); rows deleted per table. */
  purge(policy: RetentionPolicy, now: number): Promise<Record<RetentionTable, number>>;
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
