/** Conversions between the model's contracts and table rows. */
import type { Alert, Bilingual, ClauseResult, Evidence, Quality, SampleValue, SiteScore, Verdict } from '../model/index.ts';
import type { alerts, clauseResults, siteScores } from './schema.ts';

type ResultRow = typeof clauseResults.$inferSelect;
type ScoreRow = typeof siteScores.$inferSelect;
type AlertRow = typeof alerts.$inferSelect;

export function resultToRow(r: ClauseResult): typeof clauseResults.$inferInsert {
  return {
    site: r.site,
    clause: r.clause,
    subject: r.subject,
    verdict: r.verdict,
    since: new Date(r.since),
    evidence: r.evidence,
    thresholds: r.thresholds,
    standard: r.standard,
    reason: r.reason ?? null,
  };
}

export function rowToResult(row: ResultRow): ClauseResult {
  return {
    site: row.site,
    clause: row.clause,
    subject: row.subject,
    verdict: row.verdict as Verdict,
    since: row.since.getTime(),
    evidence: row.evidence as Evidence[],
    thresholds: row.thresholds as Record<string, unknown>,
    standard: row.standard,
    ...(row.reason ? { reason: row.reason as Bilingual } : {}),
  };
}

export function scoreToRow(s: SiteScore): typeof siteScores.$inferInsert {
  return {
    site: s.site,
    ts: new Date(s.ts),
    score: s.score,
    grade: s.grade,
    risk: s.risk,
    riskReason: s.riskReason,
    complianceRisk: s.complianceRisk,
    counts: s.counts,
    coverage: s.coverage,
    standard: s.standard,
  };
}

export function rowToScore(row: ScoreRow): SiteScore {
  return {
    site: row.site,
    ts: row.ts.getTime(),
    score: row.score,
    grade: row.grade,
    risk: row.risk as SiteScore['risk'],
    // rows from before live risk (migration 0006) held the compliance colour as their risk
    riskReason: (row.riskReason as Bilingual | null) ?? { zh: `合规得分 ${row.score}，等级 ${row.grade}`, en: `compliance score ${row.score}, grade ${row.grade}` },
    complianceRisk: (row.complianceRisk as SiteScore['risk'] | null) ?? (row.risk as SiteScore['risk']),
    counts: row.counts as SiteScore['counts'],
    coverage: row.coverage,
    standard: row.standard,
  };
}

export function alertToRow(a: Alert): typeof alerts.$inferInsert {
  return {
    id: a.id,
    site: a.site,
    kind: a.kind,
    severity: a.severity,
    state: a.state,
    raisedAt: new Date(a.raisedAt),
    changedAt: new Date(a.changedAt),
    subjects: a.subjects,
    message: a.message,
    actions: a.actions,
    clause: a.clause ?? null,
    standard: a.standard ?? null,
  };
}

export function rowToAlert(row: AlertRow): Alert {
  const alert: Alert = {
    id: row.id,
    site: row.site,
    kind: row.kind,
    severity: row.severity as Alert['severity'],
    state: row.state as Alert['state'],
    raisedAt: row.raisedAt.getTime(),
    changedAt: row.changedAt.getTime(),
    subjects: row.subjects as string[],
    message: row.message as Alert['message'],
    actions: row.actions as Alert['actions'],
  };
  if (row.clause !== null) alert.clause = row.clause;
  if (row.standard !== null) alert.standard = row.standard;
  return alert;
}

/** Samples as column arrays, for one `INSERT … SELECT FROM unnest(…)` per batch. */
export interface SampleColumns {
  site: string[];
  point: string[];
  /** ms since epoch */
  ts: number[];
  valueNum: (number | null)[];
  valueBool: (boolean | null)[];
  valueText: (string | null)[];
  quality: Quality[];
  reason: (string | null)[];
}

export function samplesToColumns(samples: readonly { site: string; point: string; ts: number; value: SampleValue; quality: Quality; reason?: string }[]): SampleColumns {
  const n = samples.length;
  const cols: SampleColumns = {
    site: new Array(n),
    point: new Array(n),
    ts: new Array(n),
    valueNum: new Array(n),
    valueBool: new Array(n),
    valueText: new Array(n),
    quality: new Array(n),
    reason: new Array(n),
  };
  for (let i = 0; i < n; i++) {
    const s = samples[i]!;
    cols.site[i] = s.site;
    cols.point[i] = s.point;
    cols.ts[i] = s.ts;
    const v = s.value;
    cols.valueNum[i] = typeof v === 'number' && Number.isFinite(v) ? v : null;
    cols.valueBool[i] = typeof v === 'boolean' ? v : null;
    cols.valueText[i] = typeof v === 'string' ? v : typeof v === 'number' && !Number.isFinite(v) ? String(v) : null;
    cols.quality[i] = s.quality;
    cols.reason[i] = s.reason ?? null;
  }
  return cols;
}

export function rowToValue(num: number | null, bool: boolean | null, text: string | null): SampleValue | null {
  if (num !== null) return num;
  if (bool !== null) return bool;
  return text;
}
