import type { ClauseResult, SiteScore } from '../model/index.ts';

/** What a site showed at an instant: the verdict in force per (clause, subject), and the score. */
export interface SiteStateAsOf {
  site: string;
  at: number;
  results: ClauseResult[];
  score: SiteScore | undefined;
  /** the standard versions the verdicts were reached under */
  standards: string[];
}

/** The engine's verdict changes and site scores, and the state they describe at any instant. */
export interface VerdictStore {
  /** Appends verdict changes; a change already recorded is not recorded again. */
  writeResults(results: readonly ClauseResult[]): Promise<void>;
  /** Upserts on (site, ts); the last score at an instant wins. */
  writeScores(scores: readonly SiteScore[]): Promise<void>;
  /** The latest verdict of every (clause, subject) of a site. */
  latestResults(site: string): Promise<ClauseResult[]>;
  /** every recorded verdict change of one clause on one subject, oldest first */
  clauseHistory(site: string, clause: string, subject: string): Promise<ClauseResult[]>;
  latestScore(site: string): Promise<SiteScore | undefined>;
  /** every recorded score (with its live risk) of a site with from <= ts <= to, oldest first */
  scoreHistory(site: string, from: number, to: number): Promise<SiteScore[]>;
  /** The verdict of every (clause, subject) and the score in force at `at` (ms since epoch). */
  stateAsOf(site: string, at: number): Promise<SiteStateAsOf>;
}
