/**
 * A verdict's evidence and thresholds in words, as a person reads them:
 *   en  "Crude tank 1 level 16.3 m at 5 Dec 2026 14:02:05 GMT+8"
 *   zh  "1号原油储罐 液位 16.3 米（2026-12-05 14:02:05 GMT+8）"
 * a record as its kind, date, who and until when it holds, and a threshold as its name, value and unit.
 * The raw data stays for auditors behind the page's "details" toggle.
 */
import type { EvidenceView } from './api.ts';
import type { Unit } from '../../../../model/units.ts';
import { fieldWord, FIELD_WORDS, pointWord, recordWord, unitWord } from './domain-words.ts';
import { formatPercent, formatValue, translate, type Lang } from './i18n.ts';

type Bilingual = { zh: string; en: string };

export interface EvidenceContext {
  /** asset id → its name */
  assetName: (id: string) => Bilingual | undefined;
  /** an instant in the page's language and zone */
  time: (ms: number) => string;
}

const isPlain = (v: unknown): v is number | string | boolean => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';

/** a value with its unit: "16.3 m", "是", "甲B", "1,000, 10,000"; null when it has no plain form (an object) */
export function valueWords(lang: Lang, value: unknown, unit?: Unit | null): string | null {
  if (value === null || value === undefined) return translate(lang, 'noReading');
  if (Array.isArray(value)) return value.every(isPlain) ? value.map((v) => formatValue(lang, v)).join(lang === 'zh' ? '、' : ', ') : null;
  if (!isPlain(value)) return null;
  const u = typeof value === 'number' ? unitWord(lang, unit) : '';
  return u ? `${formatValue(lang, value)} ${u}` : formatValue(lang, value);
}

/** what a piece of evidence is about: "Crude tank 1 level", "Crude tank 1 capacity", "site depot grade" */
function subjectWords(lang: Lang, point: string, ctx: EvidenceContext): { what: string; unit?: Unit } {
  const dot = point.indexOf('.');
  const head = dot < 0 ? point : point.slice(0, dot);
  const rest = dot < 0 ? '' : point.slice(dot + 1);
  const asset = ctx.assetName(head);
  if (asset) {
    // an asset attribute the clause read (static evidence), or one of the asset's points
    const field = FIELD_WORDS[`asset.${rest}`];
    return field ? { what: `${asset[lang]} ${field[lang]}`, unit: field.unit } : { what: `${asset[lang]} ${pointWord(lang, rest)}` };
  }
  if (head === 'site') return { what: `${translate(lang, 'site')} ${fieldWord(lang, rest)}` };
  return { what: rest ? `${head} ${pointWord(lang, rest)}` : head };
}

/** a record of a drill, test or inspection: "evacuation drill of 2026-11-02 by Wang (D-17): passed, valid until 2027-11-02" */
function recordSentence(lang: Lang, kind: string, value: unknown): string {
  const name = recordWord(lang, kind);
  if (value === null || value === undefined) return `${name}${lang === 'zh' ? '：' : ': '}${translate(lang, 'noRecord')}`;
  const r = value as { date?: unknown; by?: unknown; ref?: unknown; passed?: unknown; validUntil?: unknown; values?: Record<string, unknown> };
  const zh = lang === 'zh';
  const parts: string[] = [];
  if (r.passed !== undefined) parts.push(r.passed === true ? translate(lang, 'recordPassed') : translate(lang, 'recordNotPassed'));
  for (const [k, v] of Object.entries(r.values ?? {})) {
    const words = FIELD_WORDS[k]?.share && typeof v === 'number' ? formatPercent(lang, v) : valueWords(lang, v, FIELD_WORDS[k]?.unit);
    if (words !== null) parts.push(`${fieldWord(lang, k)} ${words}`);
  }
  if (typeof r.validUntil === 'string') parts.push(`${translate(lang, 'recordValidUntil')} ${r.validUntil}`);
  const who = typeof r.by === 'string' && r.by ? (zh ? `，${r.by}` : ` by ${r.by}`) : '';
  const ref = typeof r.ref === 'string' && r.ref ? (zh ? `（${r.ref}）` : ` (${r.ref})`) : '';
  const date = typeof r.date === 'string' ? (zh ? ` ${r.date}` : ` of ${r.date}`) : '';
  return `${name}${date}${who}${ref}${parts.length ? (zh ? '：' : ': ') + parts.join(zh ? '，' : ', ') : ''}`;
}

/** one reading (or static value, or record) the verdict rests on, as a sentence */
export function evidenceSentence(lang: Lang, e: EvidenceView, ctx: EvidenceContext): string {
  if (e.point.startsWith('record:')) return recordSentence(lang, e.point.slice('record:'.length), e.value);
  const { what, unit } = subjectWords(lang, e.point, ctx);
  const value = valueWords(lang, e.value, e.unit ?? unit) ?? translate(lang, 'seeDetails');
  if (e.value === null || e.value === undefined) return lang === 'zh' ? `${what}：${value}` : `${what}: ${value}`;
  const quality = e.quality === 'good' ? '' : lang === 'zh' ? `，读数${translate(lang, `quality.${e.quality}`)}` : `, ${translate(lang, `quality.${e.quality}`)} reading`;
  return lang === 'zh' ? `${what} ${value}（${ctx.time(e.ts)}${quality}）` : `${what} ${value} at ${ctx.time(e.ts)}${quality}`;
}

/**
 * The thresholds shown in words: the set-points and derived values with a plain value
 * ("high-high level 16.2 m"); the standard's parameters are stated by the requirement's text,
 * and every value, words or not, is in the details.
 */
export function thresholdWords(lang: Lang, thresholds: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(thresholds)) {
    if (name.startsWith('params.') || !(name in FIELD_WORDS)) continue;
    const words = valueWords(lang, value, FIELD_WORDS[name]?.unit);
    if (words !== null && value !== null && value !== undefined) out.push(`${fieldWord(lang, name)} ${words}`);
  }
  return out;
}
