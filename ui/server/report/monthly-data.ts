/** What the office's monthly report says of each site: gathered from the record, the site's evidence and its incidents. */
import type { Alert, Bilingual, ClauseInfo, ClauseResult, RiskColour, Site, SiteScore } from '../../../model/index.ts';
import { siteDueItems, type DueItem } from '../duties/due-list.ts';
import type { AlertHistory, VerdictHistory } from '../ports.ts';

/** One day of the month: the lowest score, the last, and the worst live risk recorded that day. */
export interface ScoreDay {
  day: string;
  lowest: number;
  last: number;
  risk: RiskColour;
}

/** One incident (a hazard alert) raised in the month, and how it was handled. */
export interface MonthIncident {
  id: string;
  kind: string;
  severity: Alert['severity'];
  message: Bilingual;
  subjects: string[];
  raisedAt: number;
  /** first acknowledged (by a person), ms since epoch */
  acknowledgedAt?: number;
  clearedAt?: number;
}

/** A drill or test done in the month (the site's evidence records). */
export interface MonthDrill {
  kind: string;
  subject?: string;
  date: string;
  by: string;
  ref?: string;
  passed: boolean;
}

export interface MonthSiteReport {
  site: { id: string; name: Bilingual };
  scores: ScoreDay[];
  /** the record at the end of the month */
  end: { score: SiteScore | null; standards: string[] };
  /** the clauses failing at the end of the month, with their evidence */
  failed: (ClauseResult & { title: Bilingual })[];
  incidents: MonthIncident[];
  drills: MonthDrill[];
  /** the due list as of the end of the month: overdue, failing, due within 30 days */
  due: DueItem[];
}

export interface MonthReportSources {
  verdicts: VerdictHistory;
  /** incidents; without it the report says none were read */
  alerts: AlertHistory | undefined;
  clauses: (site: string) => readonly ClauseInfo[];
  /** hazard kinds the site's standard models (its incidents' kinds) */
  hazardKinds: (site: string) => readonly string[];
}

const RISK_ORDER: Record<RiskColour, number> = { red: 0, orange: 1, yellow: 2, blue: 3 };
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** [start, end) of a month "YYYY-MM" in UTC. */
export function monthBounds(month: string): { from: number; to: number } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return { from: Date.UTC(y, m - 1, 1), to: Date.UTC(y, m, 1) };
}

export function scoreDays(scores: readonly SiteScore[]): ScoreDay[] {
  const days = new Map<string, ScoreDay>();
  for (const s of scores) {
    const day = dayOf(s.ts);
    const d = days.get(day);
    if (!d) days.set(day, { day, lowest: s.score, last: s.score, risk: s.risk });
    else {
      d.lowest = Math.min(d.lowest, s.score);
      d.last = s.score;
      if (RISK_ORDER[s.risk] < RISK_ORDER[d.risk]) d.risk = s.risk;
    }
  }
  return [...days.values()];
}

async function incidentsOf(sources: MonthReportSources, site: string, from: number, to: number): Promise<MonthIncident[]> {
  if (!sources.alerts) return [];
  const byId = new Map<string, MonthIncident>();
  for (const kind of sources.hazardKinds(site)) {
    for (const t of await sources.alerts.alertTransitionsOf(site, kind, from, to - 1)) {
      const a = t.alert;
      if (a.exercise === true) continue; // an exercise's incidents are never real incidents' statistics
      const incident = byId.get(a.id) ?? { id: a.id, kind: a.kind, severity: a.severity, message: a.message, subjects: a.subjects, raisedAt: a.raisedAt };
      if (t.state === 'acknowledged' && incident.acknowledgedAt === undefined) incident.acknowledgedAt = t.at;
      if (t.state === 'cleared' && incident.clearedAt === undefined) incident.clearedAt = t.at;
      byId.set(a.id, incident);
    }
  }
  return [...byId.values()].sort((a, b) => a.raisedAt - b.raisedAt);
}

/** Everything the monthly report says of one site for [from, to). */
export async function monthSiteReport(site: Site, from: number, to: number, sources: MonthReportSources): Promise<MonthSiteReport> {
  const end = await sources.verdicts.stateAsOf(site.id, to - 1);
  const clauses = sources.clauses(site.id);
  const titles = new Map(clauses.map((c) => [c.id, c.title]));
  const inMonth = (date: string) => {
    const ms = Date.parse(`${date}T00:00:00Z`);
    return ms >= from && ms < to;
  };
  return {
    site: { id: site.id, name: site.name },
    scores: scoreDays(await sources.verdicts.scoreHistory(site.id, from, to - 1)),
    end: { score: end.score ?? null, standards: end.standards },
    failed: end.results
      .filter((r) => r.verdict === 'fail')
      .map((r) => ({ ...r, title: titles.get(r.clause) ?? { zh: r.clause, en: r.clause } }))
      .sort((a, b) => a.clause.localeCompare(b.clause) || a.subject.localeCompare(b.subject)),
    incidents: await incidentsOf(sources, site.id, from, to),
    drills: site.evidence
      .filter((e) => inMonth(e.date) && (e.kind.endsWith('-drill') || e.kind === 'siren-test'))
      .map((e) => ({ kind: e.kind, date: e.date, by: e.by, passed: e.passed, ...(e.subject ? { subject: e.subject } : {}), ...(e.ref ? { ref: e.ref } : {}) }))
      .sort((a, b) => a.date.localeCompare(b.date)),
    due: siteDueItems(site, { results: end.results }, clauses, to, 30).filter((d) => d.status !== 'ok'),
  };
}

/** minutes from raise to a moment, one decimal; undefined when it did not happen */
export const minutesAfter = (raisedAt: number, at: number | undefined) => (at === undefined ? undefined : Math.round((at - raisedAt) / 6_000) / 10);
