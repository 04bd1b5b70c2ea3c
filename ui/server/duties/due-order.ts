/** The order of the due list: its statuses most urgent first, the server's order, and the column a user sorts it by (on screen and in its CSV alike). */
import type { Bilingual } from '../../../model/index.ts';

/**
 * overdue (expired, or never done), not measured yet (a figure the twin measures itself, such as the
 * day's online rate: no record yet, its clause unknown — never done is a person's duty missed, this is
 * not), failing (in date but not met: no report, failed), unknown (a record the clause could not judge),
 * due soon, in date
 */
export const DUE_STATUSES = ['overdue', 'not-measured', 'failing', 'unknown', 'due-soon', 'ok'] as const;
export type DueStatus = (typeof DUE_STATUSES)[number];

/** The columns the list sorts by. */
export const DUE_SORT_KEYS = ['status', 'site', 'clause', 'dueAt', 'daysLeft'] as const;
export type DueSortKey = (typeof DUE_SORT_KEYS)[number];
export interface DueSort {
  key: DueSortKey;
  descending: boolean;
}

/** what the order reads of a due item (due-list.ts's DueItem) */
interface Ordered {
  site: string;
  siteName: Bilingual;
  clause: string;
  subject: string;
  title: Bilingual;
  status: DueStatus;
  dueAt?: number;
  daysLeft?: number;
}

const rank = (status: DueStatus) => DUE_STATUSES.indexOf(status);

/** The server's order, in place: most urgent status first, then the earliest due (never done first), then site, clause and subject. */
export function sortDue<T extends Ordered>(items: T[]): T[] {
  return items.sort(
    (a, b) =>
      rank(a.status) - rank(b.status) ||
      (a.dueAt ?? -Infinity) - (b.dueAt ?? -Infinity) ||
      a.site.localeCompare(b.site) ||
      a.clause.localeCompare(b.clause) ||
      a.subject.localeCompare(b.subject),
  );
}

/**
 * A new list of `items` (in the server's order) sorted by one column as the user chose it; equal rows keep their
 * order. Names (site, clause title) compare as the language shown reads them.
 */
export function sortDueBy<T extends Ordered>(items: readonly T[], sort: DueSort, lang: 'zh' | 'en'): T[] {
  const value = (i: T): number | string => {
    switch (sort.key) {
      case 'status':
        return rank(i.status);
      case 'site':
        return i.siteName[lang];
      case 'clause':
        return i.title[lang];
      // never done sorts first: it is the most overdue
      case 'dueAt':
        return i.dueAt ?? -Infinity;
      case 'daysLeft':
        return i.daysLeft ?? -Infinity;
    }
  };
  const collation = lang === 'zh' ? 'zh-CN' : 'en';
  return [...items].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const order = typeof x === 'string' || typeof y === 'string' ? String(x).localeCompare(String(y), collation) : x === y ? 0 : x < y ? -1 : 1;
    return sort.descending ? -order : order;
  });
}
