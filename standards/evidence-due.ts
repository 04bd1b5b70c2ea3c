import type { ClauseResult } from '../model/index.ts';

/** When an evidence clause's duty was last done and falls due again, read from its verdict. */
export interface EvidenceDue {
  /** the evidence kind the clause reads (drill, check, test …) */
  kind?: string;
  /** the clause's validFor (ISO 8601), e.g. P6M */
  validFor?: string;
  /** date of the newest record the verdict was reached on (YYYY-MM-DD); none: never done */
  lastDone?: string;
  /** the record's reference (an evaluation report, a check's record) */
  ref?: string;
  /** when it falls due again (the last record's date + validFor), ms since epoch; none without a record */
  dueAt?: number;
}

/**
 * The due date of an evidence clause on one subject, from the verdict evaluateStatic reached (its
 * record evidence carries the date and validUntil = date + validFor): the validity is computed once,
 * by the evaluator, never again here.
 */
export function evidenceDue(result: ClauseResult): EvidenceDue {
  const due: EvidenceDue = {};
  if (typeof result.thresholds['kind'] === 'string') due.kind = result.thresholds['kind'];
  if (typeof result.thresholds['validFor'] === 'string') due.validFor = result.thresholds['validFor'];
  const record = result.evidence.find((e) => e.point.startsWith('record:'));
  const value = record?.value as { date?: unknown; validUntil?: unknown; ref?: unknown } | null | undefined;
  if (!value || typeof value.date !== 'string') return due;
  due.lastDone = value.date;
  if (typeof value.ref === 'string') due.ref = value.ref;
  if (typeof value.validUntil === 'string') due.dueAt = Date.parse(`${value.validUntil}T00:00:00Z`);
  return due;
}
