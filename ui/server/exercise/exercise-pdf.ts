/** The exercise report as a PDF (pdfkit): marked EXERCISE on every page; timeline, each response time against its requirement, what was missed, comments. */
import type { Logger } from 'pino';
import { EXERCISE_OUTCOME_WORDS, EXERCISE_WHAT_WORDS, type Bilingual, type Exercise, type ExerciseTiming } from '../../../model/index.ts';
import type { ReportFont } from '../report/fonts.ts';
import { openPdf } from '../report/pdf-document.ts';

export interface ExerciseReportHeader {
  siteName: Bilingual;
  generatedAt: number;
  generatedBy: string;
  /** the standard the exercise was timed against */
  standard: string;
  keyId: string;
}

const iso = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
/** exercise time as T+mm:ss from its start */
const offset = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return `T+${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};
const OUTCOME_INK: Record<ExerciseTiming['outcome'], string> = { met: '#1b5e20', late: '#b00020', missed: '#b00020', recorded: '#333333' };

export async function renderExercisePdf(exercise: Exercise, header: ExerciseReportHeader, font: ReportFont | undefined, logger?: Logger): Promise<{ pdf: Buffer; cjk: boolean }> {
  const { doc, cjk, latin, bi, finish } = openPdf(
    { title: `[EXERCISE] ketwin exercise report ${exercise.id}`, author: header.generatedBy, createdAt: header.generatedAt },
    font,
    logger,
    'exercise report',
  );
  const zh = (s: string) => (cjk ? `${s} / ` : '');
  const mark = () =>
    doc
      .fontSize(12)
      .fillColor('#b00020')
      .text(`${zh('演练')}EXERCISE — ${zh('非真实事故')}not a real incident`, { align: 'right' })
      .fillColor('#000000');
  mark();
  doc.on('pageAdded', mark);

  doc.fontSize(18).text(`${zh('演练报告')}Exercise report`);
  doc.fontSize(10).fillColor('#333333');
  doc.text(`${zh('站点')}Site: ${bi(header.siteName)} (${exercise.site})`);
  doc.text(`${zh('情景')}Scenario: ${bi(exercise.scenarioTitle)} (${exercise.scenario})`);
  doc.text(`${zh('开始')}Started: ${iso(exercise.startedAt)} by ${latin(exercise.startedBy)}`);
  if (exercise.endedAt !== undefined) doc.text(`${zh('结束')}Ended: ${offset(exercise.endedAt - exercise.startedAt)} (${exercise.state}) by ${latin(exercise.endedBy ?? '—')}`);
  doc.text(`${zh('时间倍率')}Pace: ${exercise.speed === 1 ? 'real time' : `time-compressed ×${exercise.speed} (minutes below are exercise minutes)`}`);
  doc.text(`${zh('标准')}Standard: ${header.standard}`);
  doc.text(`${zh('生成')}Generated: ${iso(header.generatedAt)} by ${latin(header.generatedBy)}; signing key ${header.keyId}`);
  if (!cjk) doc.fillColor('#b00020').text('No CJK font was found on the server: Chinese text is left out of this report.');
  doc.fillColor('#000000').moveDown();

  doc.fontSize(13).text(`${zh('响应时间')}Response times (from the first alert)`);
  doc.fontSize(9);
  for (const t of exercise.timings) {
    const required = t.requirement ? `≤ ${t.requirement.minutes} min (${t.requirement.clause}: ${latin(t.requirement.source)})` : 'no required time in the standard';
    const got = t.minutes === undefined ? '—' : `${t.minutes} min by ${latin(t.by ?? '—')}`;
    doc.fillColor(OUTCOME_INK[t.outcome]).text(`${bi(EXERCISE_WHAT_WORDS[t.report])}: ${got} — ${bi(EXERCISE_OUTCOME_WORDS[t.outcome])}; ${zh('要求')}required ${required}`);
  }
  doc
    .fillColor('#000000')
    .moveDown(0.5)
    .fontSize(11)
    .text(`${zh('各参演队伍')}Each party (minutes from the first alert)`);
  doc.fontSize(9);
  if (exercise.parties.length === 0) doc.text('—');
  for (const p of exercise.parties) {
    const of = (s: 'acknowledged' | 'en-route' | 'on-scene') => `${bi(EXERCISE_WHAT_WORDS[s])} ${p.minutes[s] ?? '—'}`;
    doc.text(`${latin(p.by)}: ${of('acknowledged')}; ${of('en-route')}; ${of('on-scene')}`);
  }
  const missed = exercise.timings.filter((t) => t.outcome === 'missed');
  doc
    .fillColor('#000000')
    .moveDown(0.5)
    .fontSize(11)
    .text(`${zh('遗漏')}Missed: ${missed.length === 0 ? '—' : missed.map((t) => bi(EXERCISE_WHAT_WORDS[t.report])).join('; ')}`);
  doc.moveDown();

  doc.fontSize(13).text(`${zh('时间线')}Timeline`);
  doc.fontSize(9);
  for (const e of exercise.timeline) {
    const text = e.text === undefined ? '' : `: ${typeof e.text === 'string' ? latin(e.text) : bi(e.text)}`;
    doc.text(`${offset(e.at - exercise.startedAt)}  ${latin(e.by)} — ${bi(EXERCISE_WHAT_WORDS[e.what])}${e.alert ? ` [${e.alert}]` : ''}${text}`);
  }
  doc.moveDown();
  doc.fontSize(13).text(`${zh('评价与意见')}Comments`);
  doc.fontSize(9);
  if (exercise.comments.length === 0) doc.text('—');
  for (const c of exercise.comments) doc.text(`• ${latin(c)}`);
  if (exercise.filed?.length) {
    doc
      .moveDown()
      .fontSize(13)
      .text(`${zh('归档证据')}Filed as evidence`);
    doc.fontSize(9);
    for (const f of exercise.filed) doc.text(`${f.clause}: ${f.kind}, ${f.passed ? 'passed' : 'not passed'}, valid until ${iso(f.validUntil).slice(0, 10)}`);
  }
  return { pdf: await finish(), cjk };
}
