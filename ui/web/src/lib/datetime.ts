/**
 * The one way the web app writes an instant: one format per language, always with its time zone
 * (the site's, where the page shows a site), built from `Intl` parts so every page reads the same:
 *   zh  2026-12-05 14:03:07 GMT+8
 *   en  5 Dec 2026 14:03:07 GMT+8
 * and relative times ("3 min ago", "3分钟前") where people think in them.
 */
import type { Lang } from './i18n.ts';

/** the IANA zone of this browser: used where a page shows no single site */
let browserZone: string | undefined;
export function browserTimeZone(): string {
  return (browserZone ??= new Intl.DateTimeFormat().resolvedOptions().timeZone);
}

const INTL_LOCALE: Record<Lang, string> = { zh: 'zh-CN', en: 'en-GB' };

/** Intl formatters are costly to build and a page formats hundreds of times: one per language, zone and shape */
const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(lang: Lang, timeZone: string, shape: 'date-time' | 'time' | 'date'): Intl.DateTimeFormat {
  const key = `${lang}|${timeZone}|${shape}`;
  let f = cache.get(key);
  if (!f) {
    const date: Intl.DateTimeFormatOptions = lang === 'zh' ? { year: 'numeric', month: '2-digit', day: '2-digit' } : { year: 'numeric', month: 'short', day: 'numeric' };
    const time: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
    f = new Intl.DateTimeFormat(INTL_LOCALE[lang], {
      timeZone,
      timeZoneName: 'short',
      ...(shape === 'time' ? {} : date),
      ...(shape === 'date' ? {} : time),
    });
    cache.set(key, f);
  }
  return f;
}

function parts(lang: Lang, ms: number, timeZone: string, shape: 'date-time' | 'time' | 'date'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of formatter(lang, timeZone, shape).formatToParts(ms)) out[p.type] = p.value;
  return out;
}

function datePart(lang: Lang, p: Record<string, string>): string {
  return lang === 'zh' ? `${p['year']}-${p['month']}-${p['day']}` : `${p['day']} ${p['month']} ${p['year']}`;
}

const clockPart = (p: Record<string, string>) => `${p['hour']}:${p['minute']}:${p['second']}`;

/** "2026-12-05 14:03:07 GMT+8" / "5 Dec 2026 14:03:07 GMT+8" */
export function formatInstant(lang: Lang, ms: number, timeZone: string): string {
  const p = parts(lang, ms, timeZone, 'date-time');
  return `${datePart(lang, p)} ${clockPart(p)} ${p['timeZoneName']}`;
}

/** "14:03:07 GMT+8": for times within the day the page is about */
export function formatClock(lang: Lang, ms: number, timeZone: string): string {
  const p = parts(lang, ms, timeZone, 'time');
  return `${clockPart(p)} ${p['timeZoneName']}`;
}

/** "2026-12-05" / "5 Dec 2026": a day in the zone (due dates, the day of a record) */
export function formatDay(lang: Lang, ms: number, timeZone: string): string {
  return datePart(lang, parts(lang, ms, timeZone, 'date'));
}

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

const relativeFormats = new Map<Lang, Intl.RelativeTimeFormat>();
function relativeFormat(lang: Lang): Intl.RelativeTimeFormat {
  let f = relativeFormats.get(lang);
  if (!f) relativeFormats.set(lang, (f = new Intl.RelativeTimeFormat(INTL_LOCALE[lang], { numeric: 'auto', style: 'short' })));
  return f;
}

/** "3 min ago", "in 2 hr", "3分钟前": the largest whole unit of the distance from `now` */
export function formatRelative(lang: Lang, ms: number, now: number): string {
  const distance = ms - now;
  const [unit, size] = STEPS.find(([, size]) => Math.abs(distance) >= size) ?? STEPS.at(-1)!;
  return relativeFormat(lang).format(Math.trunc(distance / size), unit);
}

/**
 * The labels of a time axis (uPlot's `values` for a time scale, seconds in): the clock for
 * ticks within a day, the day and month where the ticks span days; in the language and zone.
 */
export function axisLabels(lang: Lang, timeZone: string): (self: unknown, ticks: number[]) => string[] {
  return (_self, ticks) => {
    const span = ticks.length > 1 ? (ticks.at(-1)! - ticks[0]!) * 1000 : 0;
    return ticks.map((t) => {
      const p = parts(lang, t * 1000, timeZone, 'date-time');
      const clock = span < 600_000 ? `${p['hour']}:${p['minute']}:${p['second']}` : `${p['hour']}:${p['minute']}`;
      if (span < 86_400_000) return clock;
      return lang === 'zh' ? `${p['month']}-${p['day']} ${clock}` : `${p['day']} ${p['month']} ${clock}`;
    });
  };
}
