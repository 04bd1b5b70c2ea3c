import { VERDICTS, worseRisk, type Bilingual, type RiskColour, type SiteScore, type Verdict } from '../model/index.ts';

/** How a standard turns verdicts into a score, a grade and a compliance colour. */
export interface ScoreRules {
  bands: { min: number; grade: string; risk: RiskColour }[];
  /** a failing clause of these severities makes the site red whatever its score, if its number is confirmed */
  forceRedSeverities: number[];
  /** a failing clause of these severities whose data is lost holds the last known colour until a good reading clears it */
  holdSeverities: number[];
  /** "<id>@<version>" */
  standard: string;
  /** how a held risk names the time its data was lost (the site's zone); ISO 8601 UTC when absent */
  formatTime?: (ms: number) => string;
}

/** A failing clause whose data was lost: the colour it held the site at, and since when. */
export interface HeldRisk {
  clause: string;
  subject: string;
  /** when the data was lost (the unknown verdict's since) */
  since: number;
  risk: RiskColour;
}

/** Running weights and counts of one site's verdicts. */
export interface Tally {
  weights: Record<Verdict, number>;
  counts: Record<Verdict, number>;
  /** failing clause-subjects whose severity forces red, by key */
  redFailures: Map<string, { clause: string; subject: string; severity: number }>;
  /** failing clause-subjects gone unknown, holding the colour they left the site at, by key */
  held: Map<string, HeldRisk>;
}

export interface Scored {
  weight: number;
  severity: number;
  /**
   * whether the clause's number was checked against the primary text: an `unconfirmed` clause is scored
   * like any other, but cannot alone make the site red (only a failing confirmed clause forces red)
   */
  confidence: 'confirmed' | 'unconfirmed';
}

/** One verdict change of one clause on one subject. */
export interface VerdictChange {
  clause: string;
  subject: string;
  since: number;
  from: Verdict | undefined;
  to: Verdict;
}

const zeroes = (): Record<Verdict, number> => Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
const keyOf = (clause: string, subject: string) => `${clause}\u0000${subject}`;

export function createTally(): Tally {
  return { weights: zeroes(), counts: zeroes(), redFailures: new Map(), held: new Map() };
}

/**
 * Moves one clause-on-subject from `change.from` (undefined when new) to `change.to`. `lastRisk` is the
 * site's compliance colour before the change: a failing clause of a hold severity that goes unknown
 * keeps the site at it (missing data never lowers risk) until the clause has a verdict again.
 */
export function applyVerdict(tally: Tally, clause: Scored, change: VerdictChange, rules: ScoreRules, lastRisk?: RiskColour): void {
  const { from, to } = change;
  const key = keyOf(change.clause, change.subject);
  if (from !== undefined) {
    tally.weights[from] -= clause.weight;
    tally.counts[from] -= 1;
  }
  tally.weights[to] += clause.weight;
  tally.counts[to] += 1;
  if (to === 'fail' && clause.confidence === 'confirmed' && rules.forceRedSeverities.includes(clause.severity))
    tally.redFailures.set(key, { clause: change.clause, subject: change.subject, severity: clause.severity });
  else tally.redFailures.delete(key);
  if (to !== 'unknown') tally.held.delete(key);
  else if (from === 'fail' && lastRisk !== undefined && rules.holdSeverities.includes(clause.severity))
    tally.held.set(key, { clause: change.clause, subject: change.subject, since: change.since, risk: lastRisk });
}

/** 100 × Σweight(pass) / Σweight(pass, fail, unknown); not-applicable is left out, unknown earns nothing. */
export function computeScore(site: string, ts: number, tally: Tally, rules: ScoreRules): SiteScore {
  const { weights, counts } = tally;
  const scored = weights.pass + weights.fail + weights.unknown;
  const score = scored > 0 ? Math.round((10_000 * weights.pass) / scored) / 100 : 0;
  const band = rules.bands.find((b) => score >= b.min) ?? rules.bands[rules.bands.length - 1]!;
  const applicable = counts.pass + counts.fail + counts.unknown;
  const { risk, reason } = complianceRisk(score, band, tally, rules);
  return {
    site,
    ts,
    score,
    grade: band.grade,
    risk,
    riskReason: reason,
    complianceRisk: risk,
    counts: { ...counts },
    coverage: applicable > 0 ? Math.round((10_000 * (counts.pass + counts.fail)) / applicable) / 10_000 : 0,
    standard: rules.standard,
  };
}

/** The worst of the score band, a failing force-red clause and every held risk, with what drives it. */
function complianceRisk(score: number, band: ScoreRules['bands'][number], tally: Tally, rules: ScoreRules): { risk: RiskColour; reason: Bilingual } {
  const forced = tally.redFailures.values().next().value;
  let risk: RiskColour = forced ? 'red' : band.risk;
  for (const held of tally.held.values()) risk = worseRisk(risk, held.risk);
  if (forced && risk === 'red') {
    const more = tally.redFailures.size - 1;
    return {
      risk,
      reason: {
        zh: `${forced.subject} 不符合 ${forced.clause}（严重度 ${forced.severity}）${more > 0 ? `，另有 ${more} 项` : ''}`,
        en: `${forced.clause} fails on ${forced.subject} (severity ${forced.severity})${more > 0 ? `, and ${more} more` : ''}`,
      },
    };
  }
  const held = [...tally.held.values()].filter((h) => h.risk === risk).sort((a, b) => a.since - b.since)[0];
  if (held && risk !== band.risk) {
    const at = (rules.formatTime ?? ((ms: number) => new Date(ms).toISOString()))(held.since);
    return {
      risk,
      reason: {
        zh: `保持：数据于 ${at} 中断（${held.subject} ${held.clause} 此前不符合）`,
        en: `held: data lost at ${at} (${held.clause} on ${held.subject} was failing)`,
      },
    };
  }
  // unknown results earn nothing: say so, or a site without readings reads as merely badly kept
  const unknown = tally.counts.unknown;
  const without = unknown > 0 ? { zh: `（其中 ${unknown} 项无有效数据，按未达标计）`, en: ` (${unknown} without good data, counted as not met)` } : { zh: '', en: '' };
  return { risk, reason: { zh: `合规得分 ${score}，等级 ${band.grade}${without.zh}`, en: `compliance score ${score}, grade ${band.grade}${without.en}` } };
}

/** Same score in everything but its timestamp. */
export function sameScore(a: SiteScore, b: SiteScore): boolean {
  return (
    a.score === b.score &&
    a.grade === b.grade &&
    a.risk === b.risk &&
    a.complianceRisk === b.complianceRisk &&
    a.riskReason.en === b.riskReason.en &&
    a.coverage === b.coverage &&
    a.standard === b.standard &&
    VERDICTS.every((v) => a.counts[v] === b.counts[v])
  );
}
