/** Shapes of the re-score answer; the web app imports these as types only. */
import type { Alert, Bilingual, ClauseResult, Sample, Site, SiteScore, SiteSnapshot, Verdict } from '../../model/index.ts';
import type { EvidenceView } from './api-types.ts';

/**
 * Re-running stored readings through the engine under a chosen standard version; main.ts passes
 * `{ standards: keys, replay: (input) => replay({ ...input, standard: <the loaded Standard of input.standard> }) }`
 * with engine/replay.ts's replay, which satisfies `replay` as it is.
 */
export interface Rescorer {
  /** "<id>@<version>" of every loaded standard */
  standards: readonly string[];
  /** most readings one request replays; default 2,000,000 (about a second of engine time) */
  maxSamples?: number;
  replay(input: { samples: readonly Sample[]; site: Site; standard: string; alerts?: readonly Alert[]; from?: number; until?: number }): {
    results: ClauseResult[];
    scores: SiteScore[];
    snapshot: SiteSnapshot;
  };
}

/** One clause on one subject: the verdict recorded at the end of the period, and the one re-scoring gives. */
export interface RescoreClause {
  clause: string;
  title: Bilingual;
  subject: string;
  subjectName: Bilingual;
  recorded: { verdict: Verdict; since: number; standard: string } | null;
  rescored: { verdict: Verdict; since: number; standard: string; evidence: EvidenceView[]; thresholds: Record<string, unknown> } | null;
  /** the verdicts differ (a clause only one side has counts as a difference) */
  changed: boolean;
}

/** GET /api/sites/:id/rescore?from=&to=&standard= */
export interface Rescore {
  site: string;
  from: number;
  to: number;
  /** re-scored under this "<id>@<version>" */
  standard: string;
  /** readings replayed (from the warm-up before `from` to `to`) */
  samples: number;
  /** what was recorded at the end of the period, and under which versions */
  recorded: { score: SiteScore | null; standards: string[] };
  /** the score re-scoring gives at the end of the period, and its lowest within the period */
  rescored: { score: SiteScore | null; lowest: SiteScore | null };
  clauses: RescoreClause[];
}
