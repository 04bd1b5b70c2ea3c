import { compareRanked, scoreChange } from '../../../server/rank-sites.ts';
import type { RankedSite, SiteSummary } from './api.ts';

/**
 * The overview's ranking: each site's score and risk now from the live site list — the same the counts and the
 * map read, so that the panels of one page never disagree — and its score `days` ago and its trend from the
 * record (`history`, GET /api/ranking; null while it loads, and a site it does not name has none).
 */
export function liveRanking(sites: readonly SiteSummary[], history: readonly RankedSite[] | null): RankedSite[] {
  const recorded = new Map(history?.map((r) => [r.site, r]));
  return sites
    .map((s): RankedSite => {
      const then = recorded.get(s.id);
      const scoreThen = then?.scoreThen ?? null;
      return { site: s.id, name: s.name, score: s.score, risk: s.risk, scoreThen, change: scoreChange(s.score, scoreThen), trend: then?.trend ?? [] };
    })
    .sort(compareRanked);
}
