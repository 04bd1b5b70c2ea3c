import type { LiveTwin } from '../live-twin.ts';
import { canSee } from '../auth/access.ts';
import type { RouteTable } from '../api/route-table.ts';
import { errorSchema, siteDetailSchema, siteParams, siteSummarySchema } from '../api/schemas.ts';
import { findSite, listSites, siteDetail } from '../site-views.ts';
import { z } from 'zod';

const denied = {
  401: { description: 'not signed in', schema: errorSchema },
  403: { description: 'the user is not bound to this site', schema: errorSchema },
};

/** GET /api/sites (the sites the user may see) and GET /api/sites/:id */
export function sitesRoutes(api: RouteTable, live: LiveTwin): void {
  api.add(
    {
      method: 'get',
      path: '/api/sites',
      tags: ['sites'],
      access: { kind: 'permission', permission: 'read' },
      summary: 'The sites the user may see, each with score, grade, risk, coverage and open alerts',
      responses: { 200: { description: 'site summaries', schema: z.array(siteSummarySchema) }, 401: denied[401] },
    },
    ({ ctx, user }) => {
      ctx.body = listSites(live).filter((s) => user && canSee(user, s.id));
    },
  );
  api.add(
    {
      method: 'get',
      path: '/api/sites/:id',
      tags: ['sites'],
      params: siteParams,
      access: { kind: 'permission', permission: 'read', site: (i) => i.params.id },
      siteExists: (id) => findSite(live, id) !== undefined,
      summary: 'One site: plan, assets, points, score, clauses with verdicts and evidence, alerts and latest values',
      responses: {
        200: { description: 'the site', schema: siteDetailSchema },
        ...denied,
        404: { description: 'no such site', schema: errorSchema },
      },
    },
    ({ ctx, params }) => {
      ctx.body = siteDetail(live, findSite(live, params.id)!);
    },
  );
}
