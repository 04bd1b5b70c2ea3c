// ISO 8601 durations as the standard writes them: PT30S, PT10M, P6M, P1Y, P3Y.

const PATTERN = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?!$)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export const DURATION_PATTERN = PATTERN;

/** A calendar duration: years and months move the calendar date, the rest is exact time. */
export interface Duration {
  text: string;
  years: number;
  months: number;
  /** weeks, days, hours, minutes and seconds, in ms */
  ms: number;
}

export function parseDuration(text: string): Duration | undefined {
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  const n = (i: number) => Number(m[i] ?? 0);
  return { text, years: n(1), months: n(2), ms: ((n(3) * 7 + n(4)) * 86_400 + n(5) * 3600 + n(6) * 60 + n(7)) * 1000 };
}

/** The instant `duration` after `from` (ms since epoch), counting years and months on the UTC calendar. */
export function addDuration(from: number, duration: Duration): number {
  const date = new Date(from);
  if (duration.years || duration.months) {
    const day = date.getUTCDate();
    date.setUTCDate(1);
    date.setUTCMonth(date.getUTCMonth() + duration.years * 12 + duration.months);
    // 31 March + 1 month is the last day of April, not 1 May
    const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
    date.setUTCDate(Math.min(day, last));
  }
  return date.getTime() + duration.ms;
}
