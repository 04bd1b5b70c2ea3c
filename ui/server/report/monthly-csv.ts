/** The monthly report as CSV: one section column, then the figures of each row (RFC 4180 quoting). */
import { minutesAfter, type MonthSiteReport } from './monthly-data.ts';
import type { MonthReportHeader } from './monthly-pdf.ts';

const cell = (v: unknown): string => {
  const s = v === undefined || v === null ? '' : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const line = (...values: unknown[]) => values.map(cell).join(',');
const iso = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString());

export function monthlyReportCsv(header: MonthReportHeader, sites: readonly MonthSiteReport[]): string {
  const rows = [
    line('section', 'site', 'a', 'b', 'c', 'd', 'e', 'f'),
    line(
      'report',
      '',
      'month',
      header.month,
      'standards',
      header.standards.join(' '),
      'audit head',
      header.auditHead ? `${header.auditHead.seq} ${header.auditHead.hash}` : 'not available',
    ),
  ];
  for (const s of sites) {
    const id = s.site.id;
    rows.push(line('site', id, s.site.name.zh, s.site.name.en, 'score at month end', s.end.score?.score ?? '', 'live risk', s.end.score?.risk ?? ''));
    for (const d of s.scores) rows.push(line('score-day', id, d.day, d.lowest, d.last, d.risk));
    for (const f of s.failed)
      rows.push(line('failed', id, f.clause, f.subject, f.title.en, f.standard, iso(f.since), f.evidence.map((e) => `${e.point}=${cell(e.value)} (${e.quality})`).join('; ')));
    for (const i of s.incidents) {
      rows.push(line('incident', id, i.id, i.kind, i.severity, iso(i.raisedAt), minutesAfter(i.raisedAt, i.acknowledgedAt) ?? '', minutesAfter(i.raisedAt, i.clearedAt) ?? ''));
    }
    for (const d of s.drills) rows.push(line('drill', id, d.kind, d.subject ?? id, d.date, d.by, d.ref ?? '', d.passed));
    for (const d of s.due) rows.push(line('due', id, d.clause, d.subject, d.status, d.lastDone ?? '', iso(d.dueAt), d.title.en));
  }
  return `${rows.join('\r\n')}\r\n`;
}
