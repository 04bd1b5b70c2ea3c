/** The compliance report of one site as of an instant, as a PDF (pdfkit), in Chinese and English. */
import type { Logger } from 'pino';
import type { Bilingual, RiskColour, SiteScore, Verdict } from '../../../model/index.ts';
import type { ClauseView } from '../api-types.ts';
import type { ReportFont } from './fonts.ts';
import { openPdf } from './pdf-document.ts';

export interface ReportData {
  site: { id: string; name: Bilingual };
  /** the instant the verdicts are as of */
  at: number;
  generatedAt: number;
  generatedBy: string;
  score: SiteScore | null;
  standards: string[];
  clauses: ClauseView[];
  /** the signing key the .sig file will name */
  keyId: string;
}

export interface PdfResult {
  pdf: Buffer;
  /** false when no CJK font was found: Chinese text is left out, and the report says so */
  cjk: boolean;
}

const VERDICT: Record<Verdict, Bilingual> = {
  pass: { zh: '符合', en: 'PASS' },
  fail: { zh: '不符合', en: 'FAIL' },
  unknown: { zh: '未知', en: 'UNKNOWN' },
  'not-applicable': { zh: '不适用', en: 'N/A' },
};
const ORDER: Record<Verdict, number> = { fail: 0, unknown: 1, pass: 2, 'not-applicable': 3 };
const RISK_INK: Record<RiskColour, string> = { red: '#b00020', orange: '#c25e00', yellow: '#8a6d00', blue: '#0d47a1' };
const RISK_WORD: Record<RiskColour, string> = { red: '红', orange: '橙', yellow: '黄', blue: '蓝' };
const COLOUR: Record<Verdict, string> = { fail: '#b00020', unknown: '#8a6d00', pass: '#1b5e20', 'not-applicable': '#555555' };

const iso = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');

function value(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(3).replace(/0+$/, '');
  if (typeof v === 'string') return v;
  return JSON.stringify(v) ?? String(v);
}

/** Renders the report; a missing CJK font gives an English-only report with a notice, never an error. */
export async function renderPdfReport(data: ReportData, font: ReportFont | undefined, logger?: Logger): Promise<PdfResult> {
  const { doc, cjk, latin, bi, finish } = openPdf(
    { title: `ketwin compliance report ${data.site.id} ${iso(data.at)}`, author: data.generatedBy, createdAt: data.generatedAt },
    font,
    logger,
    'report',
  );

  doc.fontSize(18).text(cjk ? '合规报告 / Compliance report' : 'Compliance report');
  doc.moveDown(0.3).fontSize(14).text(bi(data.site.name));
  doc.fontSize(10).fillColor('#333333');
  doc.text(`${cjk ? '站点 / ' : ''}Site: ${data.site.id}`);
  doc.text(`${cjk ? '截至 / ' : ''}As of: ${iso(data.at)}`);
  doc.text(`${cjk ? '生成 / ' : ''}Generated: ${iso(data.generatedAt)} by ${latin(data.generatedBy)}`);
  doc.text(`${cjk ? '标准 / ' : ''}Standard: ${data.standards.length ? data.standards.join(', ') : '—'}`);
  if (!cjk) doc.fillColor('#b00020').text('No CJK font was found on the server: Chinese text is left out of this report (install fonts-wqy-microhei or fonts-noto-cjk).');
  doc.moveDown(0.6).fillColor('#000000').fontSize(13);
  const s = data.score;
  // the live risk first, with what drives it; the compliance score and its colour beside it, never instead
  if (s) {
    doc.fillColor(RISK_INK[s.risk]).text(`${cjk ? '实时风险 / ' : ''}Live risk: ${cjk ? `${RISK_WORD[s.risk]} / ` : ''}${s.risk.toUpperCase()}`);
    doc.fontSize(10).text(bi(s.riskReason)).fillColor('#000000').fontSize(13).moveDown(0.3);
  }
  doc.text(
    s
      ? `${cjk ? '得分 / ' : ''}Score: ${s.score}    ${cjk ? '等级 / ' : ''}Grade: ${s.grade}    ${cjk ? '合规风险 / ' : ''}Compliance colour: ${s.complianceRisk}    ${cjk ? '数据覆盖 / ' : ''}Coverage: ${Math.round(s.coverage * 100)} %`
      : `${cjk ? '得分 / ' : ''}Score: — (no score recorded by then)`,
  );
  if (s) doc.fontSize(10).text(`pass ${s.counts.pass} · fail ${s.counts.fail} · unknown ${s.counts.unknown} · not applicable ${s.counts['not-applicable']}`);

  const rows = data.clauses
    .flatMap((clause) => clause.subjects.map((subject) => ({ clause, subject })))
    .sort((a, b) => ORDER[a.subject.verdict] - ORDER[b.subject.verdict] || a.clause.id.localeCompare(b.clause.id) || a.subject.subject.localeCompare(b.subject.subject));
  doc
    .moveDown(0.8)
    .fontSize(13)
    .fillColor('#000000')
    .text(cjk ? '条款 / Clauses' : 'Clauses');
  for (const { clause, subject } of rows) {
    doc.moveDown(0.35).fontSize(10).fillColor(COLOUR[subject.verdict]);
    doc.text(`${cjk ? VERDICT[subject.verdict].zh + ' ' : ''}${VERDICT[subject.verdict].en}`, { continued: true }).fillColor('#000000');
    doc.text(`  ${clause.id} · ${bi(subject.subjectName)} (${subject.subject}) · since ${iso(subject.since)}`);
    doc
      .fontSize(9)
      .fillColor('#333333')
      .text(`${bi(clause.title)} — ${latin(`${clause.source.standard} ${clause.source.clause}`)}`, { indent: 12 });
    const evidence = subject.evidence.map((e) => `${e.point} = ${value(e.value)}${e.unit ? ` ${e.unit}` : ''} (${e.quality}, ${iso(e.ts)})`);
    const thresholds = Object.entries(subject.thresholds).map(([k, v]) => `${k} = ${value(v)}`);
    if (evidence.length) doc.text(latin(`evidence: ${evidence.join('; ')}`), { indent: 12 });
    if (thresholds.length) doc.text(latin(`thresholds: ${thresholds.join('; ')}`), { indent: 12 });
    doc.text(`standard: ${subject.standard}`, { indent: 12 });
  }
  if (rows.length === 0) doc.fontSize(10).text('No verdicts were recorded by then.');

  doc
    .moveDown(1)
    .fontSize(8)
    .fillColor('#555555')
    .text(`This report is signed: its SHA-256 is signed with the Ed25519 key ${data.keyId} of this ketwin server; the signature is in the accompanying .sig file.`);
  return { pdf: await finish(), cjk };
}
