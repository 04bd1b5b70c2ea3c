import { VERDICTS, type RiskColour, type SiteScore, type Verdict } from '../model/index.ts';

/** How a standard turns verdicts into a score, a grade and a risk colour. */
export interface ScoreRules {
  bands: { min: number; grade: string; risk: RiskColour }[];
  forceRedSeverities: number[];
  /** "<id>@<version>" */
  standard: string;
}

/** Running weights and counts of one site's verdicts. */
export interface Tally {
  weights: Record<Verdict, number>;
  counts: Record<Verdict, number>;
  /** failing clauses whose severity forces red */
  redFailures: number;
}

export interface Scored {
  weight: number;
  severity: number;
}

const zeroes = (): Record<Verdict, number> => Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;

export function createTally(): Tally {
  return { weights: zeroes(), counts: zeroes(), redFailures: 0 };
}

/** Moves one clause-on-subject from verdict `from` (undefined when new) to `to`. */
export function applyVerdict(tally: Tally, clause: Scored, from: Verdict | undefined, to: Verdict, rules: ScoreRules): void {
  const forcesRed = rules.forceRedSeverities.includes(clause.severity);
  if (from !== undefined) {
    tally.weights[from] -= clause.weight;
    tally.counts[from] -= 1;
    if (from === 'fail' && forcesRed) tally.redFailures -= 1;
  }
  tally.weights[to] += clause.weight;
  tally.counts[to] += 1;
  if (to === 'fail' && forcesRed) tally.redFailures += 1;
}

/** 100 × Σweight(pass) / Σweight(pass, fail, unknown); not-applicable is left out, unknown earns nothing. */
export function computeScore(site: string, ts: number, tally: Tally, rules: ScoreRules): SiteScore {
  const { weights, counts } = tally;
  const scored = weights.pass + weights.fail + weights.unknown;
  const score = scored > 0 ? Math.round((10_000 * weights.pass) / scored) / 100 : 0;
  const band = rules.bands.find((b) => score >= b.min) ?? rules.bands[rules.bands.length - 1]!;
  const applicable = counts.pass + counts.fail + counts.unknown;
  return {
    site,
    ts,
    score,
    grade: band.grade,
    risk: tally.redFailures > 0 ? 'red' : band.risk,
    counts: { ...counts },
    coverage: applicable > 0 ? Math.round((10_000 * (counts.pass + counts.fail)) / applicable) / 10_000 : 0,
    standard: rules.standard,
  };
}

/** Same score in everything but its timestamp. */
export function sameScore(a: SiteScore, b: SiteScore): boolean {
  return (
    a.score === b.score &&
    a.grade === b.grade &&
    a.risk === b.risk &&
    a.coverage === b.coverage &&
    a.standard === b.standard &&
    VERDICTS.every((v) => a.counts[v] === b.counts[v])
  );
}
