/** Shapes of the re-score answer; the web app imports these as types only. */
import type { Alert, Bilingual, ClauseResult, Sample, Site, SiteScore, SiteSnapshot, Verdict } from '../../model/index.ts';
import type { EvidenceView } from './api-types.ts';
import type { StandardChangelog } from '../../standards/index.ts';

/**
 * Re-running stored readings through the engine under a chosen standard version, and the changelog between
 * two versions; createRescorer (rescorer.ts) makes one over the loaded standards with engine/replay.ts.
 */
export interface Rescorer {
  /** "<id>@<version>" of every loaded standard */
  standards: readonly string[];
  /** most readings one request replays; default 2,000,000 (about a second of engine time) */
  maxSamples?: number;
  replay(input: { samples: readonly Sample[]; site: Site; standard: string; alerts?: readonly Alert[]; from?: number; until?: number }): {
    /** the verdict changes emitted, in order (what the live path records) */
    results: ClauseResult[];
    scores: SiteScore[];
    snapshot: SiteSnapshot;
  };
  /** what changed between two loaded versions, clause by clause with the reasons (standards/changelog.ts); undefined when either is not loaded */
  changelog?(from: string, to: string): StandardChangelog | undefined;
  /** the secondary-disaster checks (hazards) that differ between two loaded versions; undefined when either is not loaded */
  hazardChanges?(from: string, to: string): HazardChanges | undefined;
}

/** Hazard checks one version has and the other not, or has with other parameters (by hazard kind). */
export interface HazardChanges {
  added: string[];
  removed: string[];
  changed: string[];
}

/**
 * Why a clause's verdict differs between the record and the re-score: what the standard's changelog says of the
 * clause between the version it was recorded under and the one re-scored under. `unchanged` means the clause
 * is the same in both: the difference is not the standard's (re-scoring under the version of the time gives only these).
 */
export interface RescoreReason {
  /** "<id>@<version>" recorded under → re-scored under */
  from: string;
  to: string;
  change: 'added' | 'removed' | 'changed' | 'unchanged';
  /** the clause's fields that differ (for `changed`) */
  fields?: string[];
  /** the id it had in the older version (a corrected citation renames a clause) */
  replaces?: string;
  /** the newer version's own words (the clause's `changes.why`) */
  why?: string;
  /**
   * for an `unchanged` clause under another version: the hazard checks that differ between the two. One of them can
   * change the verdict of a clause that is itself the same (1.1.0's stuck-gauge check doubts a level 1.0.0 believes)
   */
  hazards?: HazardChanges;
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
  /** for a difference: what the changelog says of the clause between the two versions */
  reason?: RescoreReason;
}

/** GET /api/sites/:id/rescore?from=&to=&standard= */
export interface Rescore {
  site: string;
  from: number;
  to: number;
  /** re-scored under this "<id>@<version>" */
  standard: string;
  /** readings replayed (from `replayedFrom` to `to`) */
  samples: number;
  /**
   * where the replay began: one staleness period before `from`, so that every point has a reading at `from`. The engine
   * starts there with no memory: what it held from earlier (a gauge it doubted, a latch) is not carried into the period
   */
  replayedFrom: number;
  /** what was recorded at the end of the period, and under which versions */
  recorded: { score: SiteScore | null; standards: string[] };
  /** the score re-scoring gives at the end of the period, and its lowest within the period */
  rescored: { score: SiteScore | null; lowest: SiteScore | null };
  clauses: RescoreClause[];
}
