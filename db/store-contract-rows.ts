/** The rows the storage contract writes (db/*-store.contract.ts): each test passes its own site ids. */
import type { Alert, ClauseResult, Sample, SiteScore } from '../model/index.ts';

export const T0 = Date.UTC(2025, 2, 3, 8, 0, 0);
/** a range that holds every stored instant */
export const ALL = [0, Date.UTC(9999, 0, 1)] as const;
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

export function sample(site: string, i: number, point = 'T101.level'): Sample {
  return { site, point, ts: T0 + i * 1000, value: i, quality: 'good' };
}

export function result(site: string, clause: string, subject: string, verdict: ClauseResult['verdict'], since: number, standard = 'demo@1.0.0'): ClauseResult {
  return {
    site,
    clause,
    subject,
    verdict,
    since,
    evidence: [{ point: `${subject}.level`, value: since % 97, quality: 'good', ts: since }],
    thresholds: { hh: 17, unit: 'm' },
    standard,
  };
}

export function score(site: string, ts: number, value: number): SiteScore {
  return {
    site,
    ts,
    score: value,
    grade: value >= 90 ? 'A' : 'C',
    risk: value >= 90 ? 'red' : 'orange',
    // the live risk is stored with its reason beside the compliance colour: red by an open incident over an A grade
    riskReason:
      value >= 90 ? { zh: '事件未解除：T101 储罐火灾（1级）', en: 'open incident: Tank fire at T101 (severity 1)' } : { zh: `合规得分 ${value}`, en: `compliance score ${value}` },
    complianceRisk: value >= 90 ? 'blue' : 'orange',
    counts: { pass: 9, fail: 1, unknown: 2, 'not-applicable': 0 },
    coverage: 0.8,
    standard: 'demo@1.0.0',
  };
}

export function alert(site: string, id: string, state: Alert['state'], changedAt: number): Alert {
  return {
    id,
    site,
    kind: 'tank-overfill',
    severity: 2,
    state,
    raisedAt: T0,
    changedAt,
    subjects: ['T101'],
    message: { zh: '储罐液位高高', en: 'Tank level high-high' },
    actions: [{ zh: '停止进料', en: 'Stop filling' }],
    clause: 'TANK-LEVEL-HH',
    standard: 'demo@1.0.0',
  };
}
