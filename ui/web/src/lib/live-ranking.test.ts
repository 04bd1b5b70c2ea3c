import { describe, expect, it } from 'vitest';
import type { RankedSite, SiteSummary } from './api.ts';
import { liveRanking } from './live-ranking.ts';

const site = (id: string, score: number | null, risk: SiteSummary['risk']): SiteSummary => ({
  id,
  name: { zh: id, en: id },
  location: { lat: 34.7, lon: 113.6 },
  score,
  grade: null,
  risk,
  riskReason: null,
  complianceRisk: risk,
  coverage: null,
  counts: null,
  activeAlerts: 0,
  standard: null,
  onlineRate: null,
});
const recorded = (id: string, score: number | null, scoreThen: number | null): RankedSite => ({
  site: id,
  name: { zh: id, en: id },
  score,
  risk: score === null ? null : 'red',
  scoreThen,
  change: null,
  trend: [{ day: '2026-12-07', lowest: 37.23, last: 37.23, risk: 'red' }],
});

describe('liveRanking', () => {
  it('ranks by the live score and risk, not by those the record answered with when the page opened', () => {
    // the record was asked before the works' first readings (red 37.23); the live list has them since (blue 100)
    const ranking = liveRanking([site('w1', 100, 'blue'), site('w2', 37.23, 'red'), site('depot', 93.62, 'blue')], [recorded('w1', 37.23, 90), recorded('w2', 37.23, null)]);
    expect(ranking.map((r) => [r.site, r.score, r.risk, r.scoreThen, r.change])).toEqual([
      ['w2', 37.23, 'red', null, null],
      ['depot', 93.62, 'blue', null, null],
      ['w1', 100, 'blue', 90, 10],
    ]);
    expect(ranking[2]!.trend).toHaveLength(1);
    expect(ranking[1]!.trend).toEqual([]);
  });

  it('puts a site without a score first, and ranks before its history has loaded', () => {
    const ranking = liveRanking([site('b', 80, 'yellow'), site('a', null, null), site('c', 80, 'yellow')], null);
    expect(ranking.map((r) => r.site)).toEqual(['a', 'b', 'c']);
    expect(ranking.every((r) => r.scoreThen === null && r.trend.length === 0)).toBe(true);
  });

  it('leaves out a site the record names but the live list does not (the user no longer sees it)', () => {
    expect(liveRanking([site('a', 50, 'orange')], [recorded('gone', 10, 10)]).map((r) => r.site)).toEqual(['a']);
  });
});
