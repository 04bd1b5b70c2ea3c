/**
 * A verdict's evidence and thresholds in words, as a person reads them:
 *   en  "Crude tank 1 level 16.3 m at 5 Dec 2026 14:02:05 GMT+8"
 *   zh  "1号原油储罐 液位 16.3 米（2026-12-05 14:02:05 GMT+8）"
 * a record as its kind, date, who and until when it holds, and a threshold as its name, value and unit.
 * The raw data stays for auditors behind the page's "details" toggle.
 */
import type { EvidenceView } from './api.ts';
import type { Unit } from '../../../../model/index.ts';
import { parseFigurePoints } from '../../../../model/figure-points.ts';
import { attributeValueWord, fieldUnitWord, fieldWord, FIELD_WORDS, pointWord, recordWord, unitWord } from './domain-words.ts';
import { limitsFor } from './limits.ts';
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

/** a value and the word after it: "16.3 m", "25 s", "是", "甲B", "1,000, 10,000"; null when it has no plain form (an object) */
function withUnitWord(lang: Lang, value: unknown, after: string): string | null {
  if (value === null || value === undefined) return translate(lang, 'noReading');
  if (Array.isArray(value)) {
    if (value.length === 0) return translate(lang, 'health.none');
    return value.every(isPlain) ? value.map((v) => formatValue(lang, v)).join(lang === 'zh' ? '、' : ', ') : null;
  }
  if (!isPlain(value)) return null;
  return typeof value === 'number' && after ? `${formatValue(lang, value)} ${after}` : formatValue(lang, value);
}

/** a value with its unit: "16.3 m", "是", "甲B", "1,000, 10,000"; null when it has no plain form (an object) */
export function valueWords(lang: Lang, value: unknown, unit?: Unit | null): string | null {
  return withUnitWord(lang, value, unitWord(lang, unit));
}

/** a named figure's value with its unit or its own word after it ("25 s", "96.5%") */
function fieldValueWords(lang: Lang, name: string, value: unknown): string | null {
  if (FIELD_WORDS[name]?.share && typeof value === 'number') return formatPercent(lang, value, 1);
  return withUnitWord(lang, value, fieldUnitWord(lang, name));
}

interface Subject {
  what: Part[];
  /** a figure of the site file (an asset's attribute, the site's own): a design fact, said without a time */
  field?: string;
  /** an enumerated attribute's name */
  attribute?: string;
  /** a live reading of an asset: the asset and the quantity (`T101`, `level`) */
  reading?: { asset: string; name: string };
}

/** what a piece of evidence is about: "Crude tank 1 level", "Crude tank 1 capacity", "site depot grade" */
function subjectWords(lang: Lang, point: string, ctx: EvidenceContext): Subject {
  const dot = point.indexOf('.');
  const head = dot < 0 ? point : point.slice(0, dot);
  const rest = dot < 0 ? '' : point.slice(dot + 1);
  const asset = ctx.assetName(head);
  if (asset) {
    // an asset attribute the clause read (static evidence), or one of the asset's points
    const field = FIELD_WORDS[`asset.${rest}`];
    return field
      ? { what: [words(`${asset[lang]} ${field[lang]}`)], field: `asset.${rest}`, attribute: rest }
      : { what: [words(`${asset[lang]} ${pointWord(lang, rest)}`)], reading: { asset: head, name: rest } };
  }
  if (head === 'site') return { what: [words(`${translate(lang, 'site')} ${fieldWord(lang, `site.${rest}`)}`)], field: `site.${rest}` };
  // a point of no asset the page knows: its id as it is, and the quantity in words
  return { what: rest ? [own(head), words(` ${pointWord(lang, rest)}`)] : [own(head)] };
}

/** a record of a drill, test or inspection: "evacuation drill of 2026-11-02 by Wang (D-17): passed, valid until 2027-11-02" */
function recordParts(lang: Lang, kind: string, value: unknown): Part[] {
  const zh = lang === 'zh';
  const name = recordWord(lang, kind);
  if (value === null || value === undefined) return [words(`${name}${zh ? '：' : ': '}${translate(lang, 'noRecord')}`)];
  const r = value as { date?: unknown; by?: unknown; ref?: unknown; passed?: unknown; validUntil?: unknown; values?: Record<string, unknown> };
  // a record the twin measured names the point of each figure by id (model/figure-points): said beside the figure
  const about = typeof r.ref === 'string' ? parseFigurePoints(r.ref) : null;
  const said: Part[][] = [];
  if (r.passed !== undefined) said.push([words(r.passed === true ? translate(lang, 'recordPassed') : translate(lang, 'recordNotPassed'))]);
  for (const [k, v] of Object.entries(r.values ?? {})) {
    const value = fieldValueWords(lang, k, v);
    if (value === null) continue;
    const point = about?.[k];
    said.push(point ? [words(`${fieldWord(lang, k)} ${value}${zh ? '（' : ' ('}`), own(point), words(zh ? '）' : ')')] : [words(`${fieldWord(lang, k)} ${value}`)]);
  }
  if (typeof r.validUntil === 'string') said.push([words(`${translate(lang, 'recordValidUntil')} ${r.validUntil}`)]);
  const out: Part[] = [words(name)];
  if (typeof r.date === 'string') out.push(words(zh ? ` ${r.date}` : ` of ${r.date}`));
  // who did it and their reference are their own words
  if (typeof r.by === 'string' && r.by) out.push(words(zh ? '，' : ' by '), own(r.by));
  if (typeof r.ref === 'string' && r.ref && !about) out.push(words(zh ? '（' : ' ('), own(r.ref), words(zh ? '）' : ')'));
  said.forEach((parts, i) => out.push(words(i === 0 ? (zh ? '：' : ': ') : zh ? '，' : ', '), ...parts));
  return out;
}

/** a record's reference as a list shows it: a measured record's figure points in the page's words ("online rate: T201.level"), any other as written */
export function referenceText(lang: Lang, ref: string): string {
  const about = parseFigurePoints(ref);
  if (!about) return ref;
  return Object.entries(about)
    .map(([figure, point]) => `${fieldWord(lang, figure)}${lang === 'zh' ? '：' : ': '}${point}`)
    .join(lang === 'zh' ? '；' : '; ');
}

/** The verdict's thresholds, to set a reading against its limits: the subject they belong to and their values. */
export interface Limits {
  subject: string;
  thresholds: Record<string, unknown>;
}

/** the limits of the subject's reading `name` among the thresholds (`asset.levelHighHigh` for level, `asset.alarm1` for gas) */
function readingLimits(name: string, limits: Limits): { field: string; value: number }[] {
  const attributes = Object.fromEntries(
    Object.entries(limits.thresholds)
      .filter(([k]) => k.startsWith('asset.'))
      .map(([k, v]) => [k.slice('asset.'.length), v]),
  );
  return limitsFor(name, attributes).map((l) => ({ field: `asset.${l.name}`, value: l.value }));
}

/** "is above high-high level 16.2 m" / "高于高高液位 16.2 米": the reading set against each of its limits */
function comparisonWords(lang: Lang, value: number, limits: { field: string; value: number }[]): string {
  const zh = lang === 'zh';
  const said = limits.map((l) => {
    const relation = value > l.value ? (zh ? '高于' : 'above') : value < l.value ? (zh ? '低于' : 'below') : zh ? '等于' : 'at';
    return zh
      ? `${relation}${fieldWord(lang, l.field)} ${fieldValueWords(lang, l.field, l.value)}`
      : `${relation} ${fieldWord(lang, l.field)} ${fieldValueWords(lang, l.field, l.value)}`;
  });
  return zh ? `，${said.join('，')}` : ` is ${said.join(' and ')}`;
}

/**
 * One reading (or static value, or record) the verdict rests on, as a sentence in parts. With the verdict's
 * limits, a good reading of the subject is set against them: "Crude tank 1 level 16.3 m at 14:02:05 GMT+8
 * is above high-high level 16.2 m".
 */
export function evidenceParts(lang: Lang, e: EvidenceView, ctx: EvidenceContext, limits?: Limits): Part[] {
  if (e.point.startsWith('record:')) return recordParts(lang, e.point.slice('record:'.length), e.value);
  const { what, field, attribute, reading } = subjectWords(lang, e.point, ctx);
  const zh = lang === 'zh';
  if (e.value === null || e.value === undefined) return [...what, words(`${zh ? '：' : ': '}${translate(lang, 'noReading')}`)];
  if (field) {
    // a design fact of the site file: no time, it holds until the file changes
    const named = attribute === undefined ? null : attributeValueWord(lang, attribute, e.value);
    return [...what, words(`${zh ? '：' : ': '}${named ?? fieldValueWords(lang, field, e.value) ?? translate(lang, 'seeDetails')}`)];
  }
  const value = valueWords(lang, e.value, e.unit) ?? translate(lang, 'seeDetails');
  const quality = e.quality === 'good' ? '' : zh ? `，读数${translate(lang, `quality.${e.quality}`)}` : `, ${translate(lang, `quality.${e.quality}`)} reading`;
  const against = reading && limits && reading.asset === limits.subject && e.quality === 'good' && typeof e.value === 'number' ? readingLimits(reading.name, limits) : [];
  const compared = against.length ? comparisonWords(lang, e.value as number, against) : '';
  return [...what, words(zh ? ` ${value}（${ctx.time(e.ts)}${quality}）${compared}` : ` ${value} at ${ctx.time(e.ts)}${quality}${compared}`)];
}

/** the sentence as plain text */
export function evidenceSentence(lang: Lang, e: EvidenceView, ctx: EvidenceContext, limits?: Limits): string {
  return evidenceParts(lang, e, ctx, limits)
    .map((p) => p.text)
    .join('');
}

/**
 * The thresholds shown in words: the set-points and derived values with a plain value
 * ("high-high level 16.2 m") that the evidence has not said already (a limit a reading was set against,
 * an attribute read as evidence); the standard's parameters are stated by the requirement's text, and
 * every value, words or not, is in the details.
 */
export function thresholdWords(lang: Lang, thresholds: Record<string, unknown>, evidence: readonly EvidenceView[] = [], subject?: string): string[] {
  const said = new Set<string>();
  for (const e of evidence) {
    const dot = e.point.indexOf('.');
    if (dot < 0 || e.point.startsWith('record:')) continue;
    const [asset, name] = [e.point.slice(0, dot), e.point.slice(dot + 1)];
    // an attribute of an asset said as evidence with the same value
    if (thresholds[`asset.${name}`] === e.value) said.add(`asset.${name}`);
    if (asset === subject && e.quality === 'good' && typeof e.value === 'number') for (const l of readingLimits(name, { subject, thresholds })) said.add(l.field);
  }
  const out: string[] = [];
  for (const [name, value] of Object.entries(thresholds)) {
    if (name.startsWith('params.') || !(name in FIELD_WORDS) || said.has(name)) continue;
    const words = (name.startsWith('asset.') ? attributeValueWord(lang, name.slice('asset.'.length), value) : null) ?? fieldValueWords(lang, name, value);
    // a number follows its name ("largest tank 20,000 m³"); a list, a word or a yes/no after a colon ("uncovered: VG-D1", "tanks without: none")
    if (words !== null && value !== null && value !== undefined) out.push(`${fieldWord(lang, name)}${typeof value === 'number' ? ' ' : lang === 'zh' ? '：' : ': '}${words}`);
  }
  return out;
}
