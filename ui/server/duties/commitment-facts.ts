import type { Bilingual, ClauseInfo, Quality, Site, SiteSnapshot } from '../../../model/index.ts';
import type { Standard } from '../../../standards/index.ts';
import { siteDueItems, type DueItem } from './due-list.ts';

export interface IncidentFact {
  id: string;
  kind: string;
  hazard: string;
  severity: number;
  subjects: string[];
  message: Bilingual;
  raisedAt: number;
}

export interface StalePointFact {
  point: string;
  /** 'missing': no reading since the twin started */
  quality: Quality | 'missing';
  reason?: string;
  /** the reading's time */
  ts?: number;
}

export interface LightningFact {
  alertId: string;
  /** warning level 1–3 (from the alert's severity through the standard's levelSeverity) */
  level?: number;
  severity: number;
  message: Bilingual;
}

/** What the live twin says about a site at one instant: what a daily commitment is signed against. */
export interface CommitmentFacts {
  at: number;
  /** incidents not yet closed (a lightning warning among them), exercises aside */
  openIncidents: IncidentFact[];
  /** points a safety-critical clause reads whose reading is not good now */
  staleSafetyPoints: StalePointFact[];
  /** drills, inspections and checks past their due date (or never done) */
  overdue: DueItem[];
  /** figures the twin measures itself (the day's online rate) with no record yet: unknown, so they stand against "all normal" */
  notMeasured: DueItem[];
  /** the lightning warning standing now, if any */
  lightning: LightningFact | null;
  /** each thing that stands against "all normal", in words; empty: the site may be declared normal */
  standing: Bilingual[];
}

/**
 * The facts a daily safety commitment is pre-filled with and judged against, from the live twin: open
 * incidents, stale safety points (those a clause of the standard's safety-critical severities reads),
 * overdue drills and inspections (the due list), and the lightning warning level.
 */
export function commitmentFacts(site: Site, snapshot: SiteSnapshot | undefined, clauses: readonly ClauseInfo[], standard: Standard | undefined, now: number): CommitmentFacts {
  const alerts = (snapshot?.alerts ?? []).filter((a) => a.incident !== undefined && a.state !== 'cleared' && a.exercise !== true);
  const openIncidents: IncidentFact[] = alerts.map((a) => ({
    id: a.id,
    kind: a.kind,
    hazard: a.incident!.hazard,
    severity: a.severity,
    subjects: a.subjects,
    message: a.message,
    raisedAt: a.raisedAt,
  }));

  const levels = standard?.hazards['lightning']?.params['levelSeverity']?.value;
  const warning = openIncidents.find((i) => i.hazard === 'lightning');
  const lightning: LightningFact | null = warning
    ? {
        alertId: warning.id,
        severity: warning.severity,
        message: warning.message,
        ...(Array.isArray(levels) && levels.includes(warning.severity) ? { level: levels.indexOf(warning.severity) + 1 } : {}),
      }
    : null;

  const critical = new Set<number>(standard?.liveRisk.criticalSeverities ?? [1, 2, 3, 4]);
  const safety = new Set(clauses.filter((c) => c.check === 'live' && critical.has(c.severity)).map((c) => c.id));
  const mapped = new Set(site.points.map((p) => p.id));
  const read = new Set<string>();
  for (const r of snapshot?.results ?? []) if (safety.has(r.clause)) for (const e of r.evidence) if (mapped.has(e.point)) read.add(e.point);
  const staleSafetyPoints: StalePointFact[] = [];
  for (const point of [...read].sort()) {
    const sample = snapshot?.values[point];
    if (!sample) staleSafetyPoints.push({ point, quality: 'missing' });
    else if (sample.quality !== 'good') staleSafetyPoints.push({ point, quality: sample.quality, ts: sample.ts, ...(sample.reason ? { reason: sample.reason } : {}) });
  }

  const due = siteDueItems(site, snapshot, clauses, now);
  const overdue = due.filter((d) => d.status === 'overdue');
  const notMeasured = due.filter((d) => d.status === 'not-measured');

  const standing: Bilingual[] = [];
  for (const i of openIncidents) if (i.hazard !== 'lightning') standing.push({ zh: `事件未关闭：${i.message.zh}`, en: `open incident: ${i.message.en}` });
  if (lightning)
    standing.push({
      zh: `雷电预警${lightning.level ? ` ${lightning.level} 级` : ''}：${lightning.message.zh}`,
      en: `lightning warning${lightning.level ? ` level ${lightning.level}` : ''}: ${lightning.message.en}`,
    });
  if (staleSafetyPoints.length > 0) {
    const names = staleSafetyPoints.map((p) => p.point).join(', ');
    standing.push({ zh: `安全监测点无有效读数：${names}`, en: `safety points without a good reading: ${names}` });
  }
  for (const d of overdue) {
    const what = `${d.title.en}${d.subject === site.id ? '' : ` (${d.subject})`}`;
    const whatZh = `${d.title.zh}${d.subject === site.id ? '' : `（${d.subject}）`}`;
    standing.push(
      d.dueAt === undefined
        ? { zh: `从未完成：${whatZh}`, en: `never done: ${what}` }
        : { zh: `已逾期：${whatZh}，应于 ${new Date(d.dueAt).toISOString().slice(0, 10)} 前完成`, en: `overdue: ${what}, due ${new Date(d.dueAt).toISOString().slice(0, 10)}` },
    );
  }
  // missing data is never compliance: what the twin has not measured yet cannot be declared normal
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone: site.timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  for (const d of notMeasured) {
    const at = d.expectedBy === undefined ? undefined : clock.format(d.expectedBy);
    standing.push({
      zh: `尚未测得：${d.title.zh}${at ? `，最早于 ${at} 首次测得` : ''}`,
      en: `not measured yet: ${d.title.en}${at ? `, first measurement at ${at} at the earliest` : ''}`,
    });
  }
  return { at: now, openIncidents, staleSafetyPoints, overdue, notMeasured, lightning, standing };
}
