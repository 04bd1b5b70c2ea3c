import type { Alert, Bilingual, ClauseResult, Quality, SampleValue, SiteScore } from '../../model/index.ts';
import type { EvidenceRecord, SiteStateAsOf as StoredSiteState } from '../../db/index.ts';

/** One stored reading of a point (db's store.series has this shape). */
export interface SeriesPoint {
  ts: number;
  value: SampleValue | null;
  quality: Quality;
  reason?: string;
}

/**
 * Stored history; main.ts wires each method to the store method of the same name (the Store
 * itself fits). Without stateAsOf / clauseHistory the auditor's as-of, clause-history, report and
 * compare-as-of routes answer 404 "this server keeps no history".
 */
export interface HistoryView {
  /** readings of one point with from <= ts <= to, oldest first */
  series(site: string, point: string, from: number, to: number): Promise<SeriesPoint[]>;
  /** the verdict in force per (clause, subject) at `at`, and the score */
  stateAsOf?(site: string, at: number): Promise<SiteStateAsOf>;
  /** every verdict change of one clause on one subject, oldest first */
  clauseHistory?(site: string, clause: string, subject: string): Promise<ClauseResult[]>;
  /** every recorded score of a site (its live risk with the reason, the compliance score beside) in [from, to], oldest first */
  scoreHistory?(site: string, from: number, to: number): Promise<SiteScore[]>;
  /** every stored transition of one alert, oldest first (the rescue teams' reports are read from it) */
  alertHistory?(alertId: string): Promise<{ at: number; alert: Alert }[]>;
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
 * scores, open alarms and samples through the event stream are taken from the LiveView.
 */
export interface MetricsView {
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
}

/** What a site showed at an instant: db's store.stateAsOf. */
export type SiteStateAsOf = StoredSiteState;

/** A drill, siren test, inspection or certificate: db's EvidenceRecord. */
export type InspectionRecord = EvidenceRecord;

/**
 * Evidence records entered by managers; main.ts implements record() as store.writeEvidence plus
 * engine.updateSite(siteWithEvidence(site, [record])) so that evidence clauses see the record at once.
 */
export interface InspectionsView {
  list(site: string): Promise<InspectionRecord[]>;
  /** stores the record (a new version when one is on record under the same kind, subject and doneAt); resolves to it as stored */
  record(record: InspectionRecord): Promise<InspectionRecord | void>;
  /** every version of one record, oldest first (db's store.evidenceVersions) */
  versions?(site: string, kind: string, subject: string, doneAt: number): Promise<InspectionRecord[]>;
}

/** An action for the audit log (db's store.appendAudit takes this shape); must not throw. */
export interface AuditEntryView {
  actor: string;
  action: string;
  subject: string;
  site?: string;
  details?: Record<string, unknown>;
}
export type AuditSink = (entry: AuditEntryView) => void;

/** A loaded standard's clause table (standards' renderClauseTable), handed over by main.ts. */
export interface StandardTable {
  /** "<id>@<version>" */
  key: string;
  title?: Bilingual;
  markdown: string;
}
