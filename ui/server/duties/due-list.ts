import { ONLINE_RATE_KIND, type Bilingual, type ClauseInfo, type Site, type SiteSnapshot, type Verdict } from '../../../model/index.ts';
import { evidenceDue } from '../../../standards/index.ts';
import { sortDue, type DueStatus } from './due-order.ts';

export { DUE_STATUSES, sortDue, type DueStatus } from './due-order.ts';

const DAY_MS = 86_400_000;
/** a duty falling due within this many days is listed as due soon */
export const DUE_SOON_DAYS = 30;

const HOUR_MS = 3_600_000;

/** One evidence-based duty (a drill, an inspection, a check) of one subject of a site, and when it falls due. */
export interface DueItem {
  site: string;
  siteName: Bilingual;
  /** the site's IANA zone: its due days and times are written in it (the office's list spans sites) */
  timeZone: string;
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
  /** not measured yet: why (the verdict's reason) */
  reason?: Bilingual;
  /**
   * not measured yet, the online rate: the earliest instant the twin can record a first figure, ms since
   * epoch — the first full hour of the site's clock an hour after the twin began judging the clause
   * (engine/online-rate.ts records hourly once an hour has been watched); later if the first reading came later
   */
  expectedBy?: number;
}

/**
 * Every evidence clause's next due date on every subject of the site, read from the live verdicts
 * (the engine's evaluateStatic; evidenceDue reads the date and validity it recorded): overdue first,
 * then failing, then due within `soonDays`, then the rest, each by due date (never done first).
 */
export function siteDueItems(site: Site, snapshot: Pick<SiteSnapshot, 'results'> | undefined, clauses: readonly ClauseInfo[], now: number, soonDays = DUE_SOON_DAYS): DueItem[] {
  const evidence = new Map(clauses.filter((c) => c.check === 'evidence').map((c) => [c.id, c]));
  const items: DueItem[] = [];
  for (const result of snapshot?.results ?? []) {
    const clause = evidence.get(result.clause);
    if (!clause || result.verdict === 'not-applicable') continue;
    const due = evidenceDue(result);
    const item: DueItem = {
      site: site.id,
      siteName: site.name,
      timeZone: site.timeZone,
      clause: clause.id,
      subject: result.subject,
      title: clause.title,
      source: `${clause.source.standard} ${clause.source.clause}`,
      confidence: clause.confidence,
      severity: clause.severity,
      ...due,
      verdict: result.verdict,
      status: 'ok',
    };
    if (due.dueAt !== undefined) item.daysLeft = Math.round((due.dueAt - now) / DAY_MS);
    // no record and unknown, not failed: the clause says missing → unknown (static-evaluator), a figure the twin measures
    const notMeasured = due.lastDone === undefined && result.verdict === 'unknown';
    if (notMeasured) {
      if (result.reason) item.reason = result.reason;
      // the online rate's first figure comes an hour into the twin's watch; other measured figures say no time
      if (due.kind === ONLINE_RATE_KIND) item.expectedBy = nextFullHour(site.timeZone, result.since + HOUR_MS);
    }
    item.status = notMeasured
      ? 'not-measured'
      : due.dueAt === undefined || due.dueAt <= now
        ? 'overdue'
        : result.verdict === 'unknown'
          ? 'unknown'
          : result.verdict !== 'pass'
            ? 'failing'
            : due.dueAt - now <= soonDays * DAY_MS
              ? 'due-soon'
              : 'ok';
    items.push(item);
  }
  return sortDue(items);
}

/** the first full hour of the time zone's clock at or after `ms` (zones are whole or half hours off UTC: minutes and seconds tell) */
export function nextFullHour(timeZone: string | undefined, ms: number): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone, minute: '2-digit', second: '2-digit' }).formatToParts(ms).map((p) => [p.type, p.value]));
  const intoHour = (Number(parts['minute']) * 60 + Number(parts['second'])) * 1000 + (ms % 1000);
  return intoHour === 0 ? ms : ms - intoHour + HOUR_MS;
}
