import type { ClauseResult, SiteScore, Verdict } from '../../../model/index.ts';
import { VERDICTS } from '../../../model/index.ts';
import { canSee } from '../auth/access.ts';
import type { LiveTwin } from '../live-twin.ts';
import type { RouteTable } from '../api/route-table.ts';
import { ClientError } from '../errors.ts';
import { compareAnswer, compareQuery, errorSchema } from '../api/schemas.ts';
import type { CompareCell, Comparison, SubjectVerdict } from '../api-types.ts';
import { findSite, siteSummary, subjectVerdicts } from '../site-views.ts';
import type { VerdictHistory } from '../ports.ts';
import { noHistory } from './as-of.ts';

const WORST: readonly Verdict[] = ['fail', 'unknown', 'pass', 'not-applicable'];

/** subjects shown with their evidence in a cell: those of its worst verdict, so many at most */
const SHOWN = 5;

/** The worst verdict of a site on a clause, the count of each, and the subjects behind the worst one with their evidence. */
export function compareCell(results: readonly ClauseResult[], toView: (r: ClauseResult) => SubjectVerdict): CompareCell {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const r of results) counts[r.verdict] += 1;
  const verdict = WORST.find((v) => counts[v] > 0) ?? 'none';
  return {
    verdict,
    counts,
    subjects: results
      .filter((r) => r.verdict === verdict)
      .slice(0, SHOWN)
      .map(toView),
  };
}

/** GET /api/compare?sites=a,b[&at=] — sites side by side, clause by clause (live, or as of `at`). */
export function compareRoutes(api: RouteTable, options: { live: LiveTwin; verdicts: VerdictHistory | undefined }): void {
  const { live } = options;
  api.add(
    {
      method: 'get',
      path: '/api/compare',
      tags: ['audit'],
      query: compareQuery,
      access: { kind: 'permission', permission: 'read' },
      summary:
        'Sites clause by clause: per clause and site the worst verdict over its subjects, the count of each verdict, and the subjects of the worst verdict with their evidence (at most 5); live, or as of `at`',
      responses: {
        200: { description: 'the comparison', schema: compareAnswer },
        400: { description: 'fewer than two sites, or a malformed query', schema: errorSchema },
        401: { description: 'not signed in', schema: errorSchema },
        403: { description: 'the user is not bound to one of the sites', schema: errorSchema },
        404: { description: 'no such site, or (with at) this server keeps no history', schema: errorSchema },
      },
    },
    async ({ ctx, query, user }) => {
      for (const id of query.sites) {
        if (!canSee(user!, id)) throw new ClientError(403, 'forbidden', `no access to site ${JSON.stringify(id)}`);
        if (!findSite(live, id)) throw new ClientError(404, 'not-found', `unknown site ${JSON.stringify(id)}`);
      }
      const sites = query.sites.map((id) => findSite(live, id)!);
      let states: { results: readonly ClauseResult[]; score: SiteScore | undefined }[];
      if (query.at === undefined) {
        states = sites.map((s) => ({ results: live.snapshot(s.id)?.results ?? [], score: live.snapshot(s.id)?.score }));
      } else {
        const { verdicts } = options;
        if (!verdicts) throw noHistory();
        states = await Promise.all(sites.map((s) => verdicts.stateAsOf(s.id, query.at!)));
      }
      type Row = Pick<Comparison['clauses'][number], 'id' | 'title' | 'category' | 'source'>;
      const infos = new Map<string, Row>(sites.flatMap((s) => live.clauses(s.id)).map((c) => [c.id, c]));
      for (const { results } of states) {
        for (const r of results) {
          if (!infos.has(r.clause)) {
            infos.set(r.clause, { id: r.clause, title: { zh: r.clause, en: r.clause }, category: '', source: { standard: '', clause: '' } });
          }
        }
      }
      const views = sites.map((s) => subjectVerdicts(s));
      const answer: Comparison = {
        at: query.at ?? null,
        sites: sites.map((s, i) => {
          const live = siteSummary(s, undefined);
          const score = states[i]!.score;
          return score ? { ...live, score: score.score, grade: score.grade, risk: score.risk, coverage: score.coverage, counts: score.counts, standard: score.standard } : live;
        }),
        clauses: [...infos.values()].map((c) => ({
          id: c.id,
          title: c.title,
          category: c.category,
          source: c.source,
          cells: Object.fromEntries(
            sites.map((s, i) => [
              s.id,
              compareCell(
                states[i]!.results.filter((r) => r.clause === c.id),
                views[i]!,
              ),
            ]),
          ),
        })),
      };
      if (query.at === undefined) {
        answer.sites = sites.map((s) => siteSummary(s, live.snapshot(s.id)));
      }
      ctx.body = answer;
    },
  );
}
