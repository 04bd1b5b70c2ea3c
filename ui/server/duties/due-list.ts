import type { Bilingual, ClauseInfo, Site, SiteSnapshot, Verdict } from '../../../model/index.ts';
import { evidenceDue } from '../../../standards/index.ts';

const DAY_MS = 86_400_000;
/** a duty falling due within this many days is listed as due soon */
export const DUE_SOON_DAYS = 30;

/** overdue (expired, or never done), failing (in date but not met: no report, failed), due soon, in date */
export type DueStatus = 'overdue' | 'failing' | 'due-soon' | 'ok';
const ORDER: Record<DueStatus, number> = { overdue: 0, failing: 1, 'due-soon': 2, ok: 3 };

/** One evidence-based duty (a drill, an inspection, a check) of one subject of a site, and when it falls due. */
export interface DueItem {
  site: string;
  siteName: Bilingual;
  clause: string;
  /** asset id, or the site id */
  subject: string;
  title: Bilingual;
  source: string;
  confidence: 'confirmed' | 'unconfirmed';
  severity: number;
  kind?: string;
  validFor?: string;
  /** date of the newest record (YYYY-MM-DD); none: never done */
  lastDone?: string;
  ref?: string;
  /** the last record's date + validFor, ms since epoch; none without a record */
  dueAt?: number;
  /** days from now to dueAt, rounded (negative: overdue by so many) */
  daysLeft?: number;
  verdict: Verdict;
  status: DueStatus;
}

/**
 * Every evidence clause's next due date on every subject of the site, read from the live verdicts
 * (the engine's evaluateStatic; evidenceDue reads the date and validity it recorded): overdue first,
 * then failing, then due within `soonDays`, then the rest, each by due date (never done first).
 */
export function siteDueItems(site: Site, snapshot: SiteSnapshot | undefined, clauses: readonly ClauseInfo[], now: number, soonDays = DUE_SOON_DAYS): DueItem[] {
  const evidence = new Map(clauses.filter((c) => c.check === 'evidence').map((c) => [c.id, c]));
  const items: DueItem[] = [];
  for (const result of snapshot?.results ?? []) {
    const clause = evidence.get(result.clause);
    if (!clause || result.verdict === 'not-applicable') continue;
    const due = evidenceDue(result);
    const item: DueItem = {
      site: site.id, siteName: site.name, clause: clause.id, subject: result.subject, title: clause.title,
      source: `${clause.source.standard} ${clause.source.clause}`, confidence: clause.confidence, severity: clause.severity,
      ...due, verdict: result.verdict, status: 'ok',
    };
    if (due.dueAt !== undefined) item.daysLeft = Math.round((due.dueAt - now) / DAY_MS);
    item.status =
      due.dueAt === undefined || due.dueAt <= now ? 'overdue'
        : result.verdict !== 'pass' ? 'failing'
          : due.dueAt - now <= soonDays * DAY_MS ? 'due-soon'
            : 'ok';
    items.push(item);
  }
  return sortDue(items);
}

export function sortDue(items: DueItem[]): DueItem[] {
  return items.sort((a, b) => ORDER[a.status] - ORDER[b.status] || (a.dueAt ?? -Infinity) - (b.dueAt ?? -Infinity) || a.site.localeCompare(b.site) || a.clause.localeCompare(b.clause) || a.subject.localeCompare(b.subject));
}
