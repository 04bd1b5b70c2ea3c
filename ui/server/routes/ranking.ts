import { z } from 'zod';
import { RISK_COLOURS } from '../../../model/index.ts';
import { canSee } from '../auth/access.ts';
import type { RouteTable } from '../api/route-table.ts';
import { errorSchema } from '../api/schemas.ts';
import type { LiveTwin } from '../live-twin.ts';
import type { VerdictHistory } from '../ports.ts';
import { scoreDays } from '../report/monthly-data.ts';
import type { RankedSite } from '../office-types.ts';
import { compareRanked, scoreChange } from '../rank-sites.ts';

export type { RankedSite };

const DAY_MS = 86_400_000;

export const rankingQuery = z.strictObject({
  /** how far back the trend goes, in days */
  days: z.coerce.number().int('must be a whole number of days').min(1, 'must be at least 1').max(366, 'must be at most 366').default(90),
});

const rankedSchema = z
  .object({
    site: z.string(),
    name: z.object({ zh: z.string(), en: z.string() }),
    score: z.number().nullable(),
    risk: z.enum(RISK_COLOURS).nullable(),
    scoreThen: z.number().nullable(),
    change: z.number().nullable(),
    trend: z.array(z.object({ day: z.string(), lowest: z.number(), last: z.number(), risk: z.enum(RISK_COLOURS) })),
  })
  .describe('RankedSite');

/**
 * GET /api/ranking?days=90 — the sites the user may see ranked by their live score, lowest first (a site without a
 * score first of all: it cannot be judged), each with its score `days` ago and the lowest score of each day since.
 */
export function rankingRoutes(api: RouteTable, options: { live: LiveTwin; verdicts: VerdictHistory | undefined; now: () => number }): void {
  const { live } = options;
  api.add(
    {
      method: 'get',
      path: '/api/ranking',
      tags: ['audit'],
      query: rankingQuery,
      access: { kind: 'permission', permission: 'read' },
      summary:
        'The sites the user may see ranked by live score, lowest first, each with its trend over the last `days` (default 90) from the record (none on a server that keeps no record)',
      responses: {
        200: { description: 'the ranking', schema: z.array(rankedSchema) },
        400: { description: 'a malformed query', schema: errorSchema },
        401: { description: 'not signed in', schema: errorSchema },
      },
    },
    async ({ ctx, query, user }) => {
      const { verdicts } = options;
      const now = options.now();
      const since = now - query.days * DAY_MS;
      const ranked: RankedSite[] = [];
      for (const site of live.sites().filter((s) => canSee(user!, s.id))) {
        const score = live.snapshot(site.id)?.score;
        // a server that keeps no record still ranks by the live score; the trend and the score then need the record
        const then = verdicts ? (await verdicts.stateAsOf(site.id, since)).score : undefined;
        ranked.push({
          site: site.id,
          name: site.name,
          score: score?.score ?? null,
          risk: score?.risk ?? null,
          scoreThen: then?.score ?? null,
          change: scoreChange(score?.score ?? null, then?.score ?? null),
          trend: verdicts ? scoreDays(await verdicts.scoreHistory(site.id, since, now)) : [],
        });
      }
      ctx.body = ranked.sort(compareRanked);
    },
  );
}
