import { Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
import type { ClauseResult, SiteScore, Verdict } from '../../model/index.ts';
import { applyVerdict, computeScore, createTally, sameScore, type ScoreRules, type Scored } from '../score.ts';

export interface SiteScoreOptions {
  site: string;
  rules: ScoreRules;
  /** weight and severity of each clause id */
  clauses: ReadonlyMap<string, Scored>;
  /** the verdicts the site starts from */
  initial: readonly ClauseResult[];
  scheduler: SchedulerLike;
  /** called with the score before any change, so the owner can show it */
  onInitial?: (score: SiteScore) => void;
}

/** Keeps a site's tally of verdicts and emits its score (with its compliance colour, held while data is lost) whenever it changes. */
export function siteScore(options: SiteScoreOptions): OperatorFunction<ClauseResult, SiteScore> {
  const { site, rules, clauses, scheduler } = options;
  return (source) =>
    new Observable<SiteScore>((subscriber) => {
      const tally = createTally();
      const verdicts = new Map<string, Verdict>();
      const keyOf = (r: ClauseResult) => `${r.clause}\u0000${r.subject}`;
      for (const r of options.initial) {
        applyVerdict(tally, clauses.get(r.clause)!, { clause: r.clause, subject: r.subject, since: r.since, from: undefined, to: r.verdict }, rules);
        verdicts.set(keyOf(r), r.verdict);
      }
      let last = computeScore(site, scheduler.now(), tally, rules);
      options.onInitial?.(last);
      return source.subscribe({
        next(result) {
          const clause = clauses.get(result.clause);
          if (!clause || result.site !== site) return;
          const key = keyOf(result);
          const change = { clause: result.clause, subject: result.subject, since: result.since, from: verdicts.get(key), to: result.verdict };
          applyVerdict(tally, clause, change, rules, last.complianceRisk);
          verdicts.set(key, result.verdict);
          const next = computeScore(site, result.since, tally, rules);
          if (sameScore(next, last)) return;
          last = next;
          subscriber.next(next);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
