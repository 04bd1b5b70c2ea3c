import type { Site } from '../../model/index.ts';
import type { InspectionRecord } from './views.ts';

type SiteEvidence = Site['evidence'][number];

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A recorded inspection in the site definition's evidence shape (date in UTC; subject left out for the site itself). */
export function toSiteEvidence(site: Site, record: InspectionRecord): SiteEvidence {
  const entry: SiteEvidence = { kind: record.kind, date: day(record.doneAt), by: record.by, passed: true, values: {} };
  if (record.subject !== site.id) entry.subject = record.subject;
  if (record.reference !== undefined) entry.ref = record.reference;
  if (record.notes !== undefined) entry.notes = record.notes;
  return entry;
}

/** A site definition's evidence record in the stored shape. */
export function fromSiteEvidence(site: Site, entry: SiteEvidence): InspectionRecord {
  const record: InspectionRecord = { site: site.id, kind: entry.kind, subject: entry.subject ?? site.id, doneAt: Date.parse(`${entry.date}T00:00:00Z`), by: entry.by };
  if (entry.ref !== undefined) record.reference = entry.ref;
  if (entry.notes !== undefined) record.notes = entry.notes;
  return record;
}

/**
 * The site definition with the recorded inspections added to its evidence (records already there
 * — same kind, subject, date, by and reference — are not added twice). Hand the result to
 * engine.updateSite so that evidence clauses see them.
 */
export function siteWithEvidence(site: Site, records: readonly InspectionRecord[]): Site {
  const keyOf = (e: SiteEvidence) => JSON.stringify([e.kind, e.subject ?? '', e.date, e.by, e.ref ?? '']);
  const seen = new Set(site.evidence.map(keyOf));
  const added: SiteEvidence[] = [];
  for (const record of records) {
    if (record.site !== site.id) continue;
    const entry = toSiteEvidence(site, record);
    if (seen.has(keyOf(entry))) continue;
    seen.add(keyOf(entry));
    added.push(entry);
  }
  return added.length ? { ...site, evidence: [...site.evidence, ...added] } : site;
}
