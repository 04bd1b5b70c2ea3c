import type { Logger } from 'pino';
import type { EvidenceRecord, Sample, Site, TransferDeclaration } from '../../model/index.ts';
import type { Standard } from '../../standards/index.ts';
import type { AlarmSpec } from '../alarms/alarm-book.ts';

/** What a hazard model is given: the site, its standard, the scheduler's clock and the alarm book's condition. */
export interface HazardContext {
  site: Site;
  standard: Standard;
  /** scheduler time, ms: the only clock a model reads */
  now(): number;
  /** the latest accepted sample of a point, if any */
  latest(pointId: string): Sample | undefined;
  /** raises / updates (active) or returns (inactive) the alarm held under `key` */
  condition(key: string, spec: AlarmSpec | undefined, active: boolean, at: number): void;
  /**
   * starts (a reason) or ends (undefined) doubting a point's readings: while doubted, the twin holds
   * its good readings as uncertain with the reason, so the clauses reading it turn unknown
   */
  suspect(pointId: string, reason: string | undefined): void;
  /**
   * a record the twin measured itself (a valve's stroke time, a day's online rate): the evidence
   * clauses of its kind are judged on it at once, and it is stored with the site's other records
   */
  record(entry: EvidenceRecord): void;
  /** runs `work` after `delayMs` of scheduler time (a model's delay-on); unsubscribe cancels it */
  schedule(work: () => void, delayMs: number): { unsubscribe(): void };
  logger: Logger;
}

/** A hazard model on one subject: the points it reads and what it does with each accepted sample. */
export interface HazardWatcher {
  points: string[];
  /** `at`: the scheduler's now, which the site's points already read for the sample (context.now() when not given) */
  onSample(sample: Sample, at?: number): void;
  /** a transfer a person declared (a model that reads transfers: the stuck-gauge check); absent elsewhere */
  onTransfer?(declaration: TransferDeclaration): void;
}
