import { EngineError } from '../engine-errors.ts';

/** The yearly siren test's day and window, in the site's own time zone. */
export interface TestDay {
  month: number;
  day: number;
}
export interface TestHours {
  /** minutes after local midnight */
  fromMin: number;
  toMin: number;
}
/** One year's test window, ms since epoch; `date` its local day (YYYY-MM-DD) */
export interface TestWindow {
  start: number;
  end: number;
  date: string;
}

const DAY_RE = /^(\d{2})-(\d{2})$/;
const HOURS_RE = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

/** "MM-DD"; `where` names the site file's place for the error */
export function parseTestDay(text: unknown, where: string): TestDay {
  const m = typeof text === 'string' ? DAY_RE.exec(text) : null;
  const month = Number(m?.[1]);
  const day = Number(m?.[2]);
  if (!m || month < 1 || month > 12 || day < 1 || day > 31 || day > daysIn(month))
    throw new EngineError('ENGINE_HAZARD_PARAM', `${where} must be a day of the year MM-DD such as 09-18, not ${JSON.stringify(text)}`);
  return { month, day };
}

/** "HH:MM-HH:MM" within one day, the first before the second */
export function parseTestHours(text: unknown, where: string): TestHours {
  const m = typeof text === 'string' ? HOURS_RE.exec(text) : null;
  const [h1, m1, h2, m2] = m ? m.slice(1).map(Number) : [];
  const fromMin = h1! * 60 + m1!;
  const toMin = h2! * 60 + m2!;
  if (!m || h1! > 23 || h2! > 24 || m1! > 59 || m2! > 59 || toMin > 24 * 60 || !(fromMin < toMin))
    throw new EngineError('ENGINE_HAZARD_PARAM', `${where} must be a window HH:MM-HH:MM within one day, the start first, such as 10:00-10:40, not ${JSON.stringify(text)}`);
  return { fromMin, toMin };
}

// 29 February is allowed: a year without it has no test that year
const daysIn = (month: number) => [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;

/** The first test window that ends after `after`: this year's if it is not over, else the next year that has the day. */
export function nextTestWindow(after: number, day: TestDay, hours: TestHours, timeZone: string): TestWindow {
  const year = Number(localParts(after, timeZone).year);
  for (let y = year - 1; y <= year + 8; y++) {
    if (!exists(y, day)) continue;
    const end = zonedTime(y, day, hours.toMin, timeZone);
    if (end > after) return { start: zonedTime(y, day, hours.fromMin, timeZone), end, date: `${y}-${pad(day.month)}-${pad(day.day)}` };
  }
  throw new RangeError(`no test day ${pad(day.month)}-${pad(day.day)} within eight years of ${new Date(after).toISOString()}`);
}

const pad = (n: number) => String(n).padStart(2, '0');
const exists = (y: number, d: TestDay) => new Date(Date.UTC(y, d.month - 1, d.day)).getUTCMonth() === d.month - 1;

const formats = new Map<string, Intl.DateTimeFormat>();
function localParts(ms: number, timeZone: string): Record<string, string> {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timeZone, format);
  }
  return Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, p.value]));
}

/** how far the zone's clock is ahead of UTC at `ms` */
function offsetAt(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const local = Date.UTC(Number(p['year']), Number(p['month']) - 1, Number(p['day']), Number(p['hour']), Number(p['minute']), Number(p['second']));
  return local - Math.floor(ms / 1000) * 1000;
}

/** the instant the zone's clock reads `minutes` after midnight of the day */
function zonedTime(year: number, day: TestDay, minutes: number, timeZone: string): number {
  const guess = Date.UTC(year, day.month - 1, day.day, 0, minutes);
  const first = guess - offsetAt(guess, timeZone);
  const second = guess - offsetAt(first, timeZone);
  return second;
}
