/** A clause's verdict history as CSV (RFC 4180), one row per verdict change. */
import type { ClauseResult } from '../../../model/index.ts';

const HEADER = ['site', 'clause', 'subject', 'verdict', 'since', 'until', 'duration_s', 'standard', 'evidence', 'thresholds', 'reason'];

/** Quotes when needed, and defuses cells a spreadsheet would run as a formula. */
export function csvCell(raw: string): string {
  const cell = /^[=+@\t\r]|^-(?![\d.])/.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** `history` oldest first; each verdict lasts until the next one (or is still in force). */
export function clauseHistoryCsv(history: readonly ClauseResult[]): string {
  const sorted = [...history].sort((a, b) => a.since - b.since);
  const lines = [HEADER.join(',')];
  sorted.forEach((r, i) => {
    const until = sorted[i + 1]?.since;
    const evidence = r.evidence.map((e) => `${e.point}=${typeof e.value === 'string' ? e.value : JSON.stringify(e.value)} (${e.quality} ${iso(e.ts)})`).join('; ');
    lines.push(
      [
        r.site,
        r.clause,
        r.subject,
        r.verdict,
        iso(r.since),
        until === undefined ? '' : iso(until),
        until === undefined ? '' : String((until - r.since) / 1000),
        r.standard,
        evidence,
        JSON.stringify(r.thresholds),
        r.reason ? `${r.reason.en} / ${r.reason.zh}` : '',
      ]
        .map(csvCell)
        .join(','),
    );
  });
  return `${lines.join('\r\n')}\r\n`;
}
