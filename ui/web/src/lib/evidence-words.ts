/**
 * A verdict's evidence and thresholds in words, as a person reads them:
 *   en  "Crude tank 1 level 16.3 m at 5 Dec 2026 14:02:05 GMT+8"
 *   zh  "1号原油储罐 液位 16.3 米（2026-12-05 14:02:05 GMT+8）"
 * a record as its kind, date, who and until when it holds, and a threshold as its name, value and unit.
 * The raw data stays for auditors behind the page's "details" toggle.
 */
import type { EvidenceView } from './api.ts';
import type { Unit } from '../../../../model/index.ts';
import { attributeValueWord, fieldWord, FIELD_WORDS, pointWord, recordWord, unitWord } from './domain-words.ts';
import { formatPercent, formatValue, translate, type Lang } from './i18n.ts';

type Bilingual = { zh: string; en: string };

export interface EvidenceContext {
  /** asset id → its name */
  assetName: (id: string) => Bilingual | undefined;
  /** an instant in the page's language and zone */
  time: (ms: number) => string;
}

/** a piece of a sentence: the page's words, or someone's own (a name, a reference) that are not the page's to translate */
export interface Part {
  text: string;
  own?: true;
}
const words = (text: string): Part => ({ text });
const own = (text: string): Part => ({ text, own: true });

const isPlain = (v: unknown): v is number | string | boolean => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';

/** a value with its unit: "16.3 m", "是", "甲B", "1,000, 10,000"; null when it has no plain form (an object) */
export function valueWords(lang: Lang, value: unknown, unit?: Unit | null): string | null {
  if (value === null || value === undefined) return translate(lang, 'noReading');
  if (Array.isArray(value)) return value.every(isPlain) ? value.map((v) => formatValue(lang, v)).join(lang === 'zh' ? '、' : ', ') : null;
  if (!isPlain(value)) return null;
  const u = typeof value === 'number' ? unitWord(lang, unit) : '';
  return u ? `${formatValue(lang, value)} ${u}` : formatValue(lang, value);
}

/** what a piece of evidence is about: "Crude tank 1 level", "Crude tank 1 capacity", "site depot grade"; `attribute` names an enumerated one */
function subjectWords(lang: Lang, point: string, ctx: EvidenceContext): { what: Part[]; unit?: Unit; attribute?: string } {
  const dot = point.indexOf('.');
  const head = dot < 0 ? point : point.slice(0, dot);
  const rest = dot < 0 ? '' : point.slice(dot + 1);
  const asset = ctx.assetName(head);
  if (asset) {
    // an asset attribute the clause read (static evidence), or one of the asset's points
    const field = FIELD_WORDS[`asset.${rest}`];
    return field ? { what: [words(`${asset[lang]} ${field[lang]}`)], unit: field.unit, attribute: rest } : { what: [words(`${asset[lang]} ${pointWord(lang, rest)}`)] };
  }
  if (head === 'site') return { what: [words(`${translate(lang, 'site')} ${fieldWord(lang, `site.${rest}`)}`)], unit: FIELD_WORDS[`site.${rest}`]?.unit };
  // a point of no asset the page knows: its id as it is, and the quantity in words
  return { what: rest ? [own(head), words(` ${pointWord(lang, rest)}`)] : [own(head)] };
}

/** a record of a drill, test or inspection: "evacuation drill of 2026-11-02 by Wang (D-17): passed, valid until 2027-11-02" */
function recordParts(lang: Lang, kind: string, value: unknown): Part[] {
  const zh = lang === 'zh';
  const name = recordWord(lang, kind);
  if (value === null || value === undefined) return [words(`${name}${zh ? '：' : ': '}${translate(lang, 'noRecord')}`)];
  const r = value as { date?: unknown; by?: unknown; ref?: unknown; passed?: unknown; validUntil?: unknown; values?: Record<string, unknown> };
  const said: string[] = [];
  if (r.passed !== undefined) said.push(r.passed === true ? translate(lang, 'recordPassed') : translate(lang, 'recordNotPassed'));
  for (const [k, v] of Object.entries(r.values ?? {})) {
    const value = FIELD_WORDS[k]?.share && typeof v === 'number' ? formatPercent(lang, v) : valueWords(lang, v, FIELD_WORDS[k]?.unit);
    if (value !== null) said.push(`${fieldWord(lang, k)} ${value}`);
  }
  if (typeof r.validUntil === 'string') said.push(`${translate(lang, 'recordValidUntil')} ${r.validUntil}`);
  const out: Part[] = [words(name)];
  if (typeof r.date === 'string') out.push(words(zh ? ` ${r.date}` : ` of ${r.date}`));
  // who did it and their reference are their own words
  if (typeof r.by === 'string' && r.by) out.push(words(zh ? '，' : ' by '), own(r.by));
  if (typeof r.ref === 'string' && r.ref) out.push(words(zh ? '（' : ' ('), own(r.ref), words(zh ? '）' : ')'));
  if (said.length) out.push(words((zh ? '：' : ': ') + said.join(zh ? '，' : ', ')));
  return out;
}

/** one reading (or static value, or record) the verdict rests on, as a sentence in parts */
export function evidenceParts(lang: Lang, e: EvidenceView, ctx: EvidenceContext): Part[] {
  if (e.point.startsWith('record:')) return recordParts(lang, e.point.slice('record:'.length), e.value);
  const { what, unit, attribute } = subjectWords(lang, e.point, ctx);
  const zh = lang === 'zh';
  if (e.value === null || e.value === undefined) return [...what, words(`${zh ? '：' : ': '}${translate(lang, 'noReading')}`)];
  const named = attribute === undefined ? null : attributeValueWord(lang, attribute, e.value);
  const value = named ?? valueWords(lang, e.value, e.unit ?? unit) ?? translate(lang, 'seeDetails');
  const quality = e.quality === 'good' ? '' : zh ? `，读数${translate(lang, `quality.${e.quality}`)}` : `, ${translate(lang, `quality.${e.quality}`)} reading`;
  return [...what, words(zh ? ` ${value}（${ctx.time(e.ts)}${quality}）` : ` ${value} at ${ctx.time(e.ts)}${quality}`)];
}

/** the sentence as plain text */
export function evidenceSentence(lang: Lang, e: EvidenceView, ctx: EvidenceContext): string {
  return evidenceParts(lang, e, ctx)
    .map((p) => p.text)
    .join('');
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
    const said = (name.startsWith('asset.') ? attributeValueWord(lang, name.slice('asset.'.length), value) : null) ?? valueWords(lang, value, FIELD_WORDS[name]?.unit);
    if (said !== null && value !== null && value !== undefined) out.push(`${fieldWord(lang, name)} ${said}`);
  }
  return out;
}
