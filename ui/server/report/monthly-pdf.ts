/** The office's monthly report of a set of sites as a PDF (pdfkit): each site's month, in Chinese and English. */
import type { Logger } from 'pino';
import type { RiskColour } from '../../../model/index.ts';
import type { ReportFont } from './fonts.ts';
import { openPdf } from './pdf-document.ts';
import { minutesAfter, type MonthSiteReport, type ScoreDay } from './monthly-data.ts';

export interface MonthReportHeader {
  /** YYYY-MM */
  month: string;
  generatedAt: number;
  generatedBy: string;
  /** every standard version the sites' verdicts were reached under */
  standards: string[];
  /** the audit log's newest row when the report was made; undefined when this server was not given the log */
  auditHead: { seq: number; hash: string } | undefined;
  /** the key the .sig file names */
  keyId: string;
}

const RISK_INK: Record<RiskColour, string> = { red: '#b00020', orange: '#c25e00', yellow: '#8a6d00', blue: '#0d47a1' };
const iso = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/:\d\d\.\d+Z$/, ' UTC');

/** The day-by-day lowest score as a line over the month, 0–100. */
function drawScores(doc: PDFKit.PDFDocument, days: readonly ScoreDay[]): void {
  const width = 480;
  const height = 60;
  const x0 = doc.page.margins.left;
  const y0 = doc.y + 4;
  doc.save().lineWidth(0.5).strokeColor('#999999').rect(x0, y0, width, height).stroke();
  if (days.length > 0) {
    const step = days.length > 1 ? width / (days.length - 1) : 0;
    const y = (score: number) => y0 + height - (score / 100) * height;
    doc.lineWidth(1.2).strokeColor('#0d47a1').fillColor('#0d47a1');
    if (days.length === 1) doc.circle(x0 + width / 2, y(days[0]!.lowest), 2).fill();
    else {
      days.forEach((d, i) => (i === 0 ? doc.moveTo(x0, y(d.lowest)) : doc.lineTo(x0 + i * step, y(d.lowest))));
      doc.stroke();
    }
  }
  doc.restore();
  doc.y = y0 + height + 6;
  doc.x = x0;
}

export async function renderMonthlyPdf(
  header: MonthReportHeader,
  sites: readonly MonthSiteReport[],
  font: ReportFont | undefined,
  logger?: Logger,
): Promise<{ pdf: Buffer; cjk: boolean }> {
  const { doc, cjk, latin, bi, finish } = openPdf(
    { title: `ketwin monthly report ${header.month}`, author: header.generatedBy, createdAt: header.generatedAt },
    font,
    logger,
    'monthly report',
  );
  const zh = (s: string) => (cjk ? `${s} / ` : '');

  doc.fontSize(18).text(`${zh('月度报告')}Monthly report ${header.month}`);
  doc.fontSize(10).fillColor('#333333');
  doc.text(`${zh('站点')}Sites: ${sites.map((s) => s.site.id).join(', ')}`);
  doc.text(`${zh('生成')}Generated: ${iso(header.generatedAt)} by ${latin(header.generatedBy)}`);
  doc.text(`${zh('标准')}Standards: ${header.standards.join(', ') || '—'}`);
  doc.text(`${zh('审计链头')}Audit chain head: ${header.auditHead ? `row ${header.auditHead.seq}, ${header.auditHead.hash}` : 'not available on this server'}`);
  if (!cjk) doc.fillColor('#b00020').text('No CJK font was found on the server: Chinese text is left out of this report.');

  for (const s of sites) {
    doc.addPage().fillColor('#000000').fontSize(14).text(bi(s.site.name));
    doc
      .fontSize(10)
      .fillColor('#333333')
      .text(`${s.site.id} · ${zh('月末')}at month end: ${s.end.standards.join(', ') || '—'}`);
    const score = s.end.score;
    if (score) doc.fillColor(RISK_INK[score.risk]).text(`${zh('得分')}Score ${score.score} · ${zh('实时风险')}live risk ${score.risk} · grade ${score.grade}`);
    else doc.text('No score recorded by the end of the month.');

    doc
      .moveDown(0.5)
      .fillColor('#000000')
      .fontSize(12)
      .text(`${zh('得分历史（每日最低）')}Score history (lowest of each day)`);
    drawScores(doc, s.scores);
    doc
      .fontSize(8)
      .fillColor('#333333')
      .text(s.scores.map((d) => `${d.day.slice(8)}: ${d.lowest}`).join('  ') || 'no scores recorded this month');

    doc
      .moveDown(0.5)
      .fontSize(12)
      .fillColor('#000000')
      .text(`${zh('不符合条款')}Failed clauses at month end (${s.failed.length})`);
    for (const f of s.failed) {
      doc
        .fontSize(9)
        .fillColor('#b00020')
        .text(`${f.clause} · ${f.subject}`, { continued: true })
        .fillColor('#000000')
        .text(`  ${bi(f.title)} (${f.standard}, since ${iso(f.since)})`);
      const evidence = f.evidence.map((e) => `${e.point} = ${typeof e.value === 'object' ? JSON.stringify(e.value) : String(e.value)} (${e.quality})`);
      if (evidence.length)
        doc
          .fontSize(8)
          .fillColor('#333333')
          .text(latin(`evidence: ${evidence.join('; ')}`), { indent: 12 });
    }

    doc
      .moveDown(0.5)
      .fontSize(12)
      .fillColor('#000000')
      .text(`${zh('事件及处置')}Incidents and their handling (${s.incidents.length})`);
    for (const i of s.incidents) {
      const ack = minutesAfter(i.raisedAt, i.acknowledgedAt);
      const cleared = minutesAfter(i.raisedAt, i.clearedAt);
      doc
        .fontSize(9)
        .text(
          `${iso(i.raisedAt)} · ${i.kind} · severity ${i.severity} · ${bi(i.message)} · acknowledged ${ack === undefined ? '—' : `after ${ack} min`} · cleared ${cleared === undefined ? '—' : `after ${cleared} min`}`,
        );
    }

    doc
      .moveDown(0.5)
      .fontSize(12)
      .text(`${zh('演练与试验')}Drills and tests (${s.drills.length})`);
    for (const d of s.drills)
      doc.fontSize(9).text(latin(`${d.date} · ${d.kind}${d.subject ? ` (${d.subject})` : ''} · ${d.by}${d.ref ? ` · ${d.ref}` : ''}${d.passed ? '' : ' · NOT PASSED'}`));

    doc
      .moveDown(0.5)
      .fontSize(12)
      .text(`${zh('到期清单')}Due list at month end (${s.due.length})`);
    for (const d of s.due) {
      doc
        .fontSize(9)
        .fillColor(d.status === 'overdue' ? '#b00020' : '#000000')
        .text(`${d.status} · ${d.clause} · ${d.subject} · ${bi(d.title)} · last ${d.lastDone ?? 'never'}${d.dueAt ? ` · due ${iso(d.dueAt).slice(0, 10)}` : ''}`);
    }
  }
  doc
    .moveDown(1)
    .fontSize(8)
    .fillColor('#555555')
    .text(
      `This report is signed: its SHA-256 is signed with the Ed25519 key ${header.keyId} of this ketwin server; the signature is in the accompanying .sig file (ketwin report verify FILE).`,
    );
  return { pdf: await finish(), cjk };
}
