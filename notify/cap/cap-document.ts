/**
 * One CAP 1.2 document for one transition of an alert: status Actual / Exercise / Test,
 * msgType Alert / Update / Cancel with the earlier messages as `references`, scope Restricted,
 * two `info` blocks (zh-CN, en-US) and the hazard zones as areas.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { awaitingClose, EXERCISE_MARK, type Alert, type Bilingual } from '../../model/index.ts';
import { siteArea, zonesToAreas, type CapArea, type SitePlace } from './area.ts';
import { capDateTime } from './identifier.ts';
import { CAP_SEVERITY, hazardWords, urgencyOf, WARNING_LEVEL } from './vocabulary.ts';

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';
export const CAP_MEDIA_TYPE = 'application/cap+xml';

export type CapMsgType = 'Alert' | 'Update' | 'Cancel';
export type CapStatus = 'Actual' | 'Exercise' | 'Test';

/** An earlier message this one refers to. */
export interface CapReference {
  sender: string;
  identifier: string;
  sent: number;
}

export interface CapDocumentInput {
  alert: Alert;
  identifier: string;
  sender: string;
  /** ms since epoch */
  sent: number;
  msgType: CapMsgType;
  references: readonly CapReference[];
  /** Test marks every message of a test installation; exercise alerts are Exercise regardless */
  test?: boolean;
  site?: SitePlace;
  /** the issuing organisation, for senderName */
  senderName?: Bilingual;
  /** who may receive it (CAP restriction) */
  restriction?: string;
}

const LANGUAGES = [
  ['zh-CN', 'zh'],
  ['en-US', 'en'],
] as const;

export function capStatus(alert: Alert, test = false): CapStatus {
  if (alert.exercise === true) return 'Exercise';
  return test ? 'Test' : 'Actual';
}

export function buildCapDocument(input: CapDocumentInput): string {
  const { alert } = input;
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(CAP_NAMESPACE, 'alert');
  const status = capStatus(alert, input.test);
  text(root, 'identifier', input.identifier);
  text(root, 'sender', input.sender);
  text(root, 'sent', capDateTime(input.sent));
  text(root, 'status', status);
  text(root, 'msgType', input.msgType);
  text(root, 'source', `ketwin ${alert.site}`);
  text(root, 'scope', 'Restricted');
  text(root, 'restriction', input.restriction ?? `rescue teams, emergency platforms and the civil air defence office of ${alert.site} / 仅限救援队伍、应急平台与人防办`);
  if (status === 'Exercise') text(root, 'note', 'Exercise (drill): no real incident / 演练信息，非真实事件');
  if (input.references.length > 0) {
    text(root, 'references', input.references.map((r) => `${r.sender},${r.identifier},${capDateTime(r.sent)}`).join(' '));
  }
  text(
    root,
    'incidents',
    [alert.id, alert.incident?.cause]
      .filter((x): x is string => x !== undefined)
      .map((x) => x.replace(/\s/g, '_'))
      .join(' '),
  );
  const areas = alert.incident && alert.incident.zones.features.length > 0 ? zonesToAreas(alert.incident.zones.features) : input.site ? [siteArea(input.site)] : [];
  for (const [language, lang] of LANGUAGES) info(root, input, lang, language, areas);
  return root.end({ prettyPrint: true });
}

function info(root: XMLBuilder, input: CapDocumentInput, lang: 'zh' | 'en', language: string, areas: CapArea[]): void {
  const { alert } = input;
  const cancel = input.msgType === 'Cancel';
  const words = hazardWords(alert);
  const el = root.ele('info');
  text(el, 'language', language);
  for (const c of words.category) text(el, 'category', c);
  text(el, 'event', words.event[lang]);
  for (const r of cancel ? (['AllClear'] as const) : words.response) text(el, 'responseType', r);
  text(el, 'urgency', urgencyOf(alert, input.sent, cancel));
  text(el, 'severity', CAP_SEVERITY[alert.severity]);
  text(el, 'certainty', cancel ? 'Observed' : words.certainty);
  text(el, 'audience', lang === 'zh' ? '救援队伍（人防专业队）与应急平台' : 'rescue teams and emergency platforms');
  const code = el.ele('eventCode');
  text(code, 'valueName', 'ketwin:kind');
  text(code, 'value', alert.incident?.hazard ?? alert.kind);
  text(el, 'effective', capDateTime(input.sent));
  text(el, 'onset', capDateTime(alert.raisedAt));
  if (input.senderName) text(el, 'senderName', input.senderName[lang]);
  text(el, 'headline', headline(input, lang, words.event[lang]));
  text(el, 'description', description(alert, lang));
  const actions = alert.actions.map((a, i) => `${i + 1}. ${a[lang]}`).join('\n');
  if (!cancel && actions !== '') text(el, 'instruction', actions);
  for (const [name, value] of parameters(alert, lang)) {
    const p = el.ele('parameter');
    text(p, 'valueName', name);
    text(p, 'value', value);
  }
  for (const area of areas) {
    const a = el.ele('area');
    text(a, 'areaDesc', area.desc[lang]);
    for (const polygon of area.polygons) text(a, 'polygon', polygon);
    for (const circle of area.circles) text(a, 'circle', circle);
  }
}

function headline(input: CapDocumentInput, lang: 'zh' | 'en', event: string): string {
  const where = input.site?.name[lang] ?? input.alert.site;
  const subjects = input.alert.subjects.join(', ');
  // an exercise's every message says so first, its all clear too
  const prefix = `${input.alert.exercise === true ? EXERCISE_MARK[lang] : ''}${input.msgType === 'Cancel' ? (lang === 'zh' ? '解除：' : 'All clear: ') : ''}`;
  const line = lang === 'zh' ? `${prefix}${where} ${subjects} ${event}` : `${prefix}${event} at ${where}${subjects ? ` (${subjects})` : ''}`;
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}

const RISK_WORDS: Record<NonNullable<Alert['siteRisk']>['risk'], Bilingual> = {
  red: { zh: '红', en: 'red' },
  orange: { zh: '橙', en: 'orange' },
  yellow: { zh: '黄', en: 'yellow' },
  blue: { zh: '蓝', en: 'blue' },
};

function description(alert: Alert, lang: 'zh' | 'en'): string {
  const lines = [alert.message[lang]];
  if (awaitingClose(alert)) lines.push(lang === 'zh' ? '条件已解除，待人工关闭' : 'Condition cleared, awaiting close');
  if (alert.siteRisk) {
    const { risk, reason } = alert.siteRisk;
    lines.push(lang === 'zh' ? `站点实时风险：${RISK_WORDS[risk].zh}（${reason.zh}）` : `Site live risk: ${RISK_WORDS[risk].en} (${reason.en})`);
  }
  const incident = alert.incident;
  if (incident) {
    if (incident.affected.length > 0) lines.push(`${lang === 'zh' ? '受影响设施' : 'Affected'}: ${incident.affected.join(', ')}`);
    for (const i of incident.inventory) lines.push(`${lang === 'zh' ? '存量' : 'Inventory'} ${i.asset}: ${i.tonnes} t ${i.product}`);
    if (incident.wind)
      lines.push(lang === 'zh' ? `风：${incident.wind.speedMs} m/s，来自 ${incident.wind.fromDeg}°` : `Wind: ${incident.wind.speedMs} m/s from ${incident.wind.fromDeg}°`);
    for (const c of incident.countdowns) lines.push(`${c.label[lang]}: ${capDateTime(c.deadline)}`);
    for (const c of incident.unknownCountdowns ?? []) lines.push(lang === 'zh' ? `${c.label.zh}：未知（${c.reason.zh}）` : `${c.label.en}: unknown (${c.reason.en})`);
  }
  const t = alert.transition;
  if (t && (t.action === 'acknowledge' || t.action === 'respond')) {
    lines.push(lang === 'zh' ? `${t.by} 已响应${t.status ? `（${t.status}）` : ''}` : `Acknowledged by ${t.by}${t.status ? ` (${t.status})` : ''}`);
  }
  return lines.join('\n');
}

function parameters(alert: Alert, lang: 'zh' | 'en'): [string, string][] {
  const out: [string, string][] = [
    ['ketwin:alertId', alert.id],
    ['ketwin:site', alert.site],
    ['warningLevel', WARNING_LEVEL[alert.severity][lang]],
    ['ketwin:state', alert.state],
  ];
  if (alert.transition) out.push(['ketwin:transition', `${alert.transition.action} by ${alert.transition.by}`]);
  // the site's live risk as this message leaves: the same colour and words as every screen shows
  if (alert.siteRisk) out.push(['ketwin:siteRisk', alert.siteRisk.risk], ['ketwin:siteRiskReason', alert.siteRisk.reason[lang]]);
  if (awaitingClose(alert)) out.push(['ketwin:condition', 'cleared, awaiting close']);
  const incident = alert.incident;
  if (incident) {
    for (const i of incident.inventory) out.push([`inventory:${i.asset}`, `${i.tonnes} t ${i.product}`]);
    for (const c of incident.countdowns) out.push([`countdown:${c.kind}`, capDateTime(c.deadline)]);
    // a countdown that cannot run now: named beside the others, with why, so that a reader never takes its absence for no danger
    for (const c of incident.unknownCountdowns ?? []) out.push([`countdownUnknown:${c.kind}`, c.reason[lang]]);
    if (incident.wind) out.push(['windSpeedMs', String(incident.wind.speedMs)], ['windFromDeg', String(incident.wind.fromDeg)]);
    if (incident.affected.length > 0) out.push(['affected', incident.affected.join(' ')]);
  }
  return out;
}

function text(parent: XMLBuilder, name: string, value: string): void {
  parent.ele(name).txt(value);
}
