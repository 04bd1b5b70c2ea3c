/** Evidence records as stored: append-only versions, each with the sha256 of its content. */
import { createHash } from 'node:crypto';
import { canonicalJson } from './audit.ts';
import type * as schema from './schema.ts';
import type { RecordedEvidence } from './evidence-store.ts';
import { systemClock } from '../model/index.ts';

/** sha256 (hex) over the canonical JSON of what the record says (not who uploaded it or when). */
export function evidenceHash(r: RecordedEvidence): string {
  const { site, kind, subject, doneAt, by, validUntil, reference, notes } = r;
  // a record that passed with no figures hashes as it did before they could be stored
  const measured = r.passed === false || Object.keys(r.values ?? {}).length > 0 ? { passed: r.passed !== false, values: r.values ?? {} } : {};
  return createHash('sha256')
    .update(canonicalJson({ site, kind, subject, doneAt, by, validUntil, reference, notes, ...measured }))
    .digest('hex');
}

export function evidenceRow(r: RecordedEvidence, version: number, hash: string): typeof schema.evidenceRecords.$inferInsert {
  return {
    site: r.site,
    kind: r.kind,
    subject: r.subject,
    doneAt: new Date(r.doneAt),
    by: r.by,
    validUntil: r.validUntil === undefined ? null : new Date(r.validUntil),
    reference: r.reference ?? null,
    notes: r.notes ?? null,
    version,
    hash,
    recordedBy: r.recordedBy ?? null,
    recordedAt: new Date(r.recordedAt ?? systemClock.now()),
    passed: r.passed !== false,
    values: r.values ?? {},
  };
}

export function toEvidence(r: typeof schema.evidenceRecords.$inferSelect): RecordedEvidence {
  const e: RecordedEvidence = { site: r.site, kind: r.kind, subject: r.subject, doneAt: r.doneAt.getTime(), by: r.by, version: r.version };
  if (r.validUntil !== null) e.validUntil = r.validUntil.getTime();
  if (r.reference !== null) e.reference = r.reference;
  if (r.notes !== null) e.notes = r.notes;
  if (r.recordedBy !== null) e.recordedBy = r.recordedBy;
  if (r.recordedAt !== null) e.recordedAt = r.recordedAt.getTime();
  if (r.hash !== null) e.hash = r.hash;
  if (!r.passed) e.passed = false;
  if (Object.keys(r.values).length > 0) e.values = r.values;
  return e;
}
