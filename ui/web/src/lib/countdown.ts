import { formatDuration, type Lang } from './i18n.ts';
import { formatCountdown } from './incident-geo.ts';

/** What one countdown shows: time left, or how long past its deadline — never a negative time. */
export type CountdownShown = { overdue: false; time: string } | { overdue: true; by: string };

/**
 * Time left to a deadline ("04:59"), or past it "3 min" / "12 s" (read as "overdue by 3 min").
 * Only for a condition still present: once it has cleared the page shows no countdown at all.
 */
export function countdownShown(lang: Lang, msLeft: number): CountdownShown {
  return msLeft >= 0 ? { overdue: false, time: formatCountdown(msLeft) } : { overdue: true, by: formatDuration(lang, Math.max(1000, -msLeft)) };
}
