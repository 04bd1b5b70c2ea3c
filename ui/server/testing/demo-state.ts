import type { ClauseInfo, ClauseResult, Site, SiteScore, Verdict } from '../../../model/index.ts';
import { VERDICTS } from '../../../model/index.ts';

const STANDARD = 'oil-depot-above-ground@0.1.0-test';

/** Three clause descriptions shaped like the standard's, for tests of the UI only. */
export function demoClauses(): ClauseInfo[] {
  const base = { standard: STANDARD, check: 'live' as const, severity: 2 as const, weight: 10 };
  return [
    {
      ...base,
      id: 'tank-level-hh',
      title: { zh: '储罐液位不超过高高液位', en: 'Tank level below high-high' },
      requirement: { zh: '液位低于高高液位设定值', en: 'Level stays below the high-high set-point' },
      source: { standard: 'GB 50074-2014', clause: '15.1.1' },
      confidence: 'confirmed',
      category: 'overfill',
      appliesTo: 'tank',
      severity: 1,
    },
    {
      ...base,
      id: 'gas-first-alarm',
      title: { zh: '可燃气体浓度低于一级报警值', en: 'Combustible gas below first alarm' },
      requirement: { zh: '可燃气体浓度低于25%LEL', en: 'Combustible gas under 25 %LEL' },
      source: { standard: 'GB/T 50493-2019', clause: '5.5.2' },
      confidence: 'confirmed',
      category: 'gas',
      appliesTo: 'gas-detector',
    },
    {
      ...base,
      id: 'dike-capacity',
      title: { zh: '防火堤有效容量不小于最大储罐容量', en: 'Dike capacity at least the largest tank' },
      requirement: { zh: '有效容量 ≥ 罐组内最大储罐容量', en: 'Effective capacity ≥ largest tank in the group' },
      source: { standard: 'GB 50074-2014', clause: '6.5.1' },
      confidence: 'unconfirmed',
      category: 'containment',
      appliesTo: 'dike',
      check: 'design',
    },
  ];
}

/** A plausible current state: every tank, detector and dike judged, one tank unknown. */
export function demoResults(site: Site, now: number): ClauseResult[] {
  const results: ClauseResult[] = [];
  const since = now - 3_600_000;
  for (const asset of site.assets) {
    if (asset.kind === 'tank') {
      const unknown = asset.id === site.assets.filter((a) => a.kind === 'tank').at(-1)?.id;
      const level = Math.round(asset.attributes.levelHigh * 0.6 * 100) / 100;
      results.push({
        site: site.id,
        clause: 'tank-level-hh',
        subject: asset.id,
        since,
        standard: STANDARD,
        verdict: unknown ? 'unknown' : 'pass',
        evidence: [{ point: `${asset.id}.level`, value: level, quality: unknown ? 'bad' : 'good', ts: now - 1_000 }],
        thresholds: { levelHighHigh: asset.attributes.levelHighHigh },
      });
    } else if (asset.kind === 'gas-detector') {
      results.push({
        site: site.id,
        clause: 'gas-first-alarm',
        subject: asset.id,
        since,
        standard: STANDARD,
        verdict: 'pass',
        evidence: [{ point: `${asset.id}.gas`, value: 1.2, quality: 'good', ts: now - 1_000 }],
        thresholds: { firstAlarm: 25 },
      });
    } else if (asset.kind === 'dike') {
      const largest = Math.max(0, ...site.assets.flatMap((a) => (a.kind === 'tank' && a.attributes.dike === asset.id ? [a.attributes.capacity] : [])));
      const capacity = asset.attributes.effectiveCapacity;
      results.push({
        site: site.id,
        clause: 'dike-capacity',
        subject: asset.id,
        since,
        standard: STANDARD,
        verdict: capacity >= largest ? 'pass' : 'fail',
        evidence: [{ point: `${asset.id}.effectiveCapacity`, value: capacity, quality: 'good', ts: since }],
        thresholds: { largestTank: largest },
      });
    }
  }
  return results;
}

/** Weighted share of passing clauses; unknown earns nothing. */
export function demoScore(site: string, results: ClauseResult[], clauses: ClauseInfo[], now: number): SiteScore {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  let earned = 0;
  let possible = 0;
  for (const r of results) {
    counts[r.verdict] += 1;
    if (r.verdict === 'not-applicable') continue;
    const weight = clauses.find((c) => c.id === r.clause)?.weight ?? 1;
    possible += weight;
    if (r.verdict === 'pass') earned += weight;
  }
  const score = possible === 0 ? 0 : Math.round((earned / possible) * 100);
  const applicable = results.length - counts['not-applicable'];
  return {
    site,
    ts: now,
    score,
    standard: STANDARD,
    counts,
    grade: score >= 90 ? 'A' : score >= 75 ? 'B' : score >= 60 ? 'C' : 'D',
    risk: score >= 90 ? 'blue' : score >= 75 ? 'yellow' : score >= 60 ? 'orange' : 'red',
    riskReason: { zh: `合规得分 ${score}`, en: `compliance score ${score}` },
    complianceRisk: score >= 90 ? 'blue' : score >= 75 ? 'yellow' : score >= 60 ? 'orange' : 'red',
    coverage: applicable === 0 ? 0 : (applicable - counts.unknown) / applicable,
  };
}
