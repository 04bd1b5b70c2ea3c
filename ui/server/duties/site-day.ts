import type { Site } from '../../../model/index.ts';

/** The site's local date (YYYY-MM-DD, in its time zone) at an instant: the day a daily commitment is for. */
export function siteDay(site: Pick<Site, 'timeZone'>, at: number): string {
  // en-CA writes dates as YYYY-MM-DD
  return new Intl.DateTimeFormat('en-CA', { timeZone: site.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
