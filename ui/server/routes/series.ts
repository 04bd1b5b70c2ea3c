import type { LiveTwin } from '../live-twin.ts';
import type { RouteTable } from '../api/route-table.ts';
import { ClientError } from '../errors.ts';
import { errorSchema, seriesAnswer, seriesParams, seriesQuery } from '../api/schemas.ts';
import { findSite } from '../site-views.ts';
import { thinSeries } from '../thin-series.ts';
import type { TelemetryHistory } from '../ports.ts';
import { systemClock } from '../../../model/index.ts';

export interface SeriesRouteOptions {
  live: LiveTwin;
  telemetry: TelemetryHistory | undefined;
  /** longest range one request may ask for; default 31 days */
  maxRangeMs?: number;
  /** readings beyond this are thinned (peaks kept); default 4,000 */
  maxPoints?: number;
  now?: () => number;
}

/** GET /api/sites/:id/points/:point/series?from&to — stored readings of one point, for trend charts. */
export function seriesRoutes(api: RouteTable, options: SeriesRouteOptions): void {
  const { live } = options;
  const maxRange = options.maxRangeMs ?? 31 * 86_400_000;
  const now = options.now ?? systemClock.now;
  api.add(
    {
      method: 'get',
      path: '/api/sites/:id/points/:point/series',
      tags: ['sites'],
      params: seriesParams,
      query: seriesQuery,
      access: { kind: 'permission', permission: 'read', site: (i) => i.params.id },
      siteExists: (id) => findSite(live, id) !== undefined,
      summary: 'Stored readings of one point between from and to (ms since 1970; to defaults to now), thinned to keep peaks',
      responses: {
        200: { description: 'the readings, oldest first', schema: seriesAnswer },
        400: { description: 'a malformed or too long range', schema: errorSchema },
        401: { description: 'not signed in', schema: errorSchema },
        403: { description: 'the user is not bound to this site', schema: errorSchema },
        404: { description: 'no such site or point, or no history store', schema: errorSchema },
      },
    },
    async ({ ctx, params, query }) => {
      const site = findSite(live, params.id)!;
      if (!site.points.some((p) => p.id === params.point)) {
        throw new ClientError(404, 'not-found', `site ${JSON.stringify(site.id)} has no point ${JSON.stringify(params.point)}`);
      }
      const to = query.to ?? now();
      if (to <= query.from) throw new ClientError(400, 'bad-request', 'query.to: must be after from');
      if (to - query.from > maxRange) {
        throw new ClientError(400, 'bad-request', `query.from: the range may span at most ${Math.round(maxRange / 86_400_000)} days`);
      }
      if (!options.telemetry) throw new ClientError(404, 'not-found', 'this server keeps no history');
      const rows = await options.telemetry.series(site.id, params.point, query.from, to);
      const points = thinSeries(rows, options.maxPoints ?? 4_000);
      ctx.body = {
        site: site.id,
        point: params.point,
        from: query.from,
        to,
        thinned: points.length < rows.length,
        points: points.map((p) => ({ ts: p.ts, value: p.value, quality: p.quality })),
      };
    },
  );
}
