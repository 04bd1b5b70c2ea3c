/** Every UI string, in Chinese and English (the catalogue is strings.ts), and the formats of numbers and durations. */
import type { Lang } from './lang.ts';
import { strings } from './strings.ts';

export type { Lang } from './lang.ts';

export type StringKey = keyof typeof strings;

/** every key of the catalogue (the completeness test walks them) */
export const STRING_KEYS = Object.keys(strings) as StringKey[];

export function translate(lang: Lang, key: StringKey): string {
  return strings[key][lang];
}

/** Chinese for browsers whose first language is Chinese, otherwise English. */
export function defaultLang(languages: readonly string[]): Lang {
  return languages[0]?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** built once per language and shape: an Intl formatter costs far more to build than to use, and the site page formats hundreds of values as it opens */
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: Lang, shape: 'percent' | 'plain', digits = 0): Intl.NumberFormat {
  const key = `${lang}|${shape}|${digits}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', shape === 'percent' ? { style: 'percent', maximumFractionDigits: digits } : { maximumFractionDigits: 2 });
    numberFormats.set(key, f);
  }
  return f;
}

/** a share 0..1 as a percentage, whole by default ("96%"); `digits` where a tenth decides (99.4% is under 99.5%) */
export function formatPercent(lang: Lang, share: number, digits = 0): string {
  return numberFormat(lang, 'percent', digits).format(share);
}

export function formatValue(lang: Lang, value: unknown): string {
  if (typeof value === 'number') return numberFormat(lang, 'plain').format(value);
  if (typeof value === 'boolean') return value ? (lang === 'zh' ? '是' : 'yes') : lang === 'zh' ? '否' : 'no';
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** "2 d 3 h", "45 min", "12 s" */
export function formatDuration(lang: Lang, ms: number): string {
  const s = Math.round(ms / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const zh = lang === 'zh';
  if (d > 0) return zh ? `${d}天${h}小时` : `${d} d ${h} h`;
  if (h > 0) return zh ? `${h}小时${m}分` : `${h} h ${m} min`;
  if (m > 0) return zh ? `${m}分` : `${m} min`;
  return zh ? `${s}秒` : `${s} s`;
}

/** ms since 1970 as the value of an <input type="datetime-local"> (the browser's local time) */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
