/** A site's live risk over a period as CSV (RFC 4180), one row per recorded change: what every screen showed. */
import type { SiteScore } from '../../../model/index.ts';
import { csvCell } from './clause-csv.ts';

const HEADER = ['site', 'since', 'until', 'live_risk', 'reason_en', 'reason_zh', 'compliance_risk', 'score', 'grade', 'coverage', 'standard'];
const iso = (ms: number) => new Date(ms).toISOString();

/** `scores` oldest first; each lasts until the next one (the last one until `to`, or is still in force). */
export function riskHistoryCsv(scores: readonly SiteScore[]): string {
  const lines = [HEADER.join(',')];
  scores.forEach((s, i) => {
    const until = scores[i + 1]?.ts;
    lines.push(
      [
        s.site,
        iso(s.ts),
        until === undefined ? '' : iso(until),
        s.risk,
        s.riskReason.en,
        s.riskReason.zh,
        s.complianceRisk,
        String(s.score),
        s.grade,
        String(s.coverage),
        s.standard,
      ]
        .map(csvCell)
        .join(','),
    );
  });
  return `${lines.join('\r\n')}\r\n`;
}
