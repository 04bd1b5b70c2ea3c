import type { Bilingual } from '../../model/index.ts';
import type {
  AlertStore,
  AuditEntry as StoredAuditEntry,
  RecordedEvidence,
  SeriesPoint as StoredSeriesPoint,
  SiteStateAsOf as StoredSiteState,
  TelemetryStore,
  VerdictStore,
} from '../../db/index.ts';

/** One stored reading of a point: db's SeriesPoint. */
export type SeriesPoint = StoredSeriesPoint;

/**
 * Stored readings: what the server takes of db's TelemetryStore (main.ts passes the store). Without
 * it the series and re-score routes answer 404 "this server keeps no history".
 */
export type TelemetryHistory = Pick<TelemetryStore, 'series'>;

/**
 * Recorded verdicts and scores: what the server takes of db's VerdictStore. Without it the auditor's
 * as-of, clause-history, risk CSV, report-as-of, compare-as-of and re-score routes answer 404.
 */
export type VerdictHistory = Pick<VerdictStore, 'stateAsOf' | 'clauseHistory' | 'scoreHistory'>;

/** Stored alert transitions: what the server takes of db's AlertStore (the rescue teams' reports are read back from them). */
export type AlertHistory = Pick<AlertStore, 'alertHistory' | 'alertTransitionsOf'>;

export interface HealthCheck {
  /** e.g. "db", "source:plc-tankfarm" */
  name: string;
  ok: boolean;
  /** shown to admins only */
  detail?: string;
}

/** Readiness of the parts the server depends on; main.ts implements it (db reachable, sources connected). */
export interface ReadinessChecks {
  checks(): Promise<HealthCheck[]>;
}

export interface WebhookMetrics {
  subscriber: string;
  pending: number;
  delivered: number;
  /** dead letters waiting for their automatic retry, and those that stay dead */
  deadWaiting: number;
  deadFinal: number;
  /** dead letters put back in the queue by their schedule since start */
  autoRetries: number;
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
 * scores, open alarms and samples through the event stream are taken from the LiveTwin.
 */
export interface MetricsSource {
  /** samples ingested by the engine since start, all sites */
  samplesIngested?(): number;
  /** the database writer's buffer; rows it moved to the dead letters, per lane; audit entries on disk not yet stored */
  writer?(): { buffered: number; written: number; dropped: number; deadLetters?: Record<string, number>; auditPending?: number };
  /** webhook delivery per subscriber (notify/'s deliveryStatus) */
  webhooks?(): WebhookMetrics[];
  /** how far the database writer is behind the newest sample, ms */
  dbLagMs?(): number;
  sources?(): SourceMetrics[];
  /** the collector's store-and-forward buffer between the sources and the engine and writer */
  collectorBuffer?(): { depth: number; onDisk: number; dropped: number };
  /** the durable queues (queue/): the collector buffer, the writer's spill and audit lanes, the notifier's journal */
  queues?(): QueueMetrics[];
}

/** One durable queue's figures (queue/'s QueueStats). */
export interface QueueMetrics {
  queue: string;
  /** rows kept: not yet acked by every consumer */
  rows: number;
  bytes: number;
  segments: number;
  /** rows dropped at the queue's bound, since start */
  dropped: number;
  /** damaged lines skipped, since start */
  corrupt: number;
}

/** What a site showed at an instant: db's store.stateAsOf. */
export type SiteStateAsOf = StoredSiteState;

/** A drill, siren test, inspection or certificate: db's RecordedEvidence. */
export type InspectionRecord = RecordedEvidence;

/**
 * Evidence records entered by managers; main.ts implements record() as store.writeEvidence plus
 * engine.addEvidence(site, toSiteEvidence(site, record)) so that evidence clauses see the record at once, in place.
 */
export interface InspectionLog {
  list(site: string): Promise<InspectionRecord[]>;
  /** stores the record (a new version when one is on record under the same kind, subject and doneAt); resolves to it as stored */
  record(record: InspectionRecord): Promise<InspectionRecord | void>;
  /** every version of one record, oldest first (db's store.evidenceVersions) */
  versions?(site: string, kind: string, subject: string, doneAt: number): Promise<InspectionRecord[]>;
}

/** An action for the audit log: db's AuditEntry (the writer stamps `at` when left out); the sink must not throw. */
export type AuditEntry = StoredAuditEntry;
export type AuditSink = (entry: AuditEntry) => void;

/** A loaded standard's clause table (standards' renderClauseTable), handed over by main.ts. */
export interface StandardTable {
  /** "<id>@<version>" */
  key: string;
  title?: Bilingual;
  markdown: string;
}
