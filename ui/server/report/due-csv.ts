/** The due list across sites as CSV (RFC 4180), one row per duty of a subject: what the office's list shows, to file or send on. */
import type { DueItem } from '../duties/due-list.ts';
import { csvCell } from './clause-csv.ts';

const HEADER = ['site', 'site_name_zh', 'site_name_en', 'status', 'clause', 'title_zh', 'title_en', 'subject', 'last_done', 'reference', 'due', 'days_left', 'valid_for', 'source'];

/** `dueAt` as the calendar day in the site's zone: the day an inspector would write */
const day = (ms: number | undefined, timeZone: string) =>
  ms === undefined ? '' : new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);

export function dueCsv(items: readonly DueItem[], timeZoneOf: (site: string) => string): string {
  const lines = [HEADER.join(',')];
  for (const d of items) {
    lines.push(
      [
        d.site,
        d.siteName.zh,
        d.siteName.en,
        d.status,
        d.clause,
        d.title.zh,
        d.title.en,
        d.subject,
        d.lastDone ?? '',
        d.ref ?? '',
        day(d.dueAt, timeZoneOf(d.site)),
        d.daysLeft === undefined ? '' : String(d.daysLeft),
        d.validFor ?? '',
        d.source,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
