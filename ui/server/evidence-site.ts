import type { Site } from '../../model/index.ts';
import type { InspectionRecord } from './ports.ts';

type SiteEvidence = Site['evidence'][number];

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** How a recorded version is cited in `ref`, and so in the evidence of every verdict reached on it. */
const VERSION_MARK = / \(v\d+ sha256:[0-9a-f]{12}\)$/;
const citation = (record: InspectionRecord): string | undefined =>
  record.version === undefined || record.hash === undefined ? record.reference : `${record.reference ?? record.kind} (v${record.version} sha256:${record.hash.slice(0, 12)})`;

/**
 * A recorded inspection in the site definition's evidence shape (date in UTC; subject left out for
 * the site itself). A stored version is cited in `ref`: "DR-1 (v2 sha256:3f2a…)".
 */
export function toSiteEvidence(site: Site, record: InspectionRecord): SiteEvidence {
  const entry: SiteEvidence = { kind: record.kind, date: day(record.doneAt), by: record.by, passed: record.passed !== false, values: record.values ?? {} };
  if (record.subject !== site.id) entry.subject = record.subject;
  const ref = citation(record);
  if (ref !== undefined) entry.ref = ref;
  if (record.notes !== undefined) entry.notes = record.notes;
  return entry;
}

/** A site definition's evidence record in the stored shape. */
export function fromSiteEvidence(site: Site, entry: SiteEvidence): InspectionRecord {
  const record: InspectionRecord = { site: site.id, kind: entry.kind, subject: entry.subject ?? site.id, doneAt: Date.parse(`${entry.date}T00:00:00Z`), by: entry.by };
  if (entry.ref !== undefined) record.reference = entry.ref;
  if (entry.notes !== undefined) record.notes = entry.notes;
  if (!entry.passed) record.passed = false;
  if (Object.keys(entry.values).length > 0) record.values = entry.values;
  return record;
}

/**
 * The site definition with the recorded inspections added to its evidence (records already there
 * — same kind, subject, date, by and reference — are not added twice). Hand the result to
 * engine.updateSite (or, one record on a running site, engine.addEvidence) so that evidence clauses see them.
 */
export function siteWithEvidence(site: Site, records: readonly InspectionRecord[]): Site {
  const keyOf = (e: SiteEvidence) => JSON.stringify([e.kind, e.subject ?? '', e.date, e.by, e.ref ?? '']);
  // a newer version of a recorded record takes the place of the one before it
  const recordOf = (e: SiteEvidence) => (e.ref !== undefined && VERSION_MARK.test(e.ref) ? JSON.stringify([e.kind, e.subject ?? '', e.date]) : undefined);
  const added: SiteEvidence[] = [];
  const replaced = new Set<string>();
  for (const record of records) {
    if (record.site !== site.id) continue;
    const entry = toSiteEvidence(site, record);
    const versioned = recordOf(entry);
    if (versioned !== undefined) replaced.add(versioned);
    added.push(entry);
  }
  const kept = site.evidence.filter((e) => {
    const r = recordOf(e);
    return r === undefined || !replaced.has(r);
  });
  const seen = new Set(kept.map(keyOf));
  const fresh = added.filter((e) => !seen.has(keyOf(e)) && (seen.add(keyOf(e)), true));
  return fresh.length || kept.length !== site.evidence.length ? { ...site, evidence: [...kept, ...fresh] } : site;
}
