import { z } from 'zod';
import type { RouteTable } from '../api/route-table.ts';
import { errorSchema, siteParams } from '../api/schemas.ts';
import type { LiveTwin } from '../live-twin.ts';
import { findSite } from '../site-views.ts';

/** The shape of EdgeStatus (edge-types.ts) for the OpenAPI document. */
export const edgeStatusSchema = z
  .object({
    site: z.string(),
    edge: z.string().optional().describe("the edge's id, new at each of its starts; absent while none was heard"),
    heardAt: z.number().optional().describe('ms since epoch: when the bus stored its last health beat'),
    silent: z.boolean().describe('no beat for silentAfterMs'),
    silentAfterMs: z.number(),
    link: z.enum(['up', 'down']).optional(),
    backlog: z.object({ samples: z.number(), onDisk: z.number(), dropped: z.number() }).partial().optional(),
    published: z.number().optional(),
    sources: z.array(z.object({ id: z.string(), online: z.boolean(), samples: z.number().optional() })),
  })
  .describe('EdgeStatus');

/** GET /api/sites/:id/edge — the edge at the depot that reads the site's devices (under `ketwin central`), as its last health beat said. */
export function edgeRoutes(api: RouteTable, live: LiveTwin): void {
  api.add(
    {
      method: 'get',
      path: '/api/sites/:id/edge',
      tags: ['sites'],
      params: siteParams,
      access: { kind: 'permission', permission: 'read', site: (i) => i.params.id },
      siteExists: (id) => findSite(live, id) !== undefined,
      summary: "The edge reading the site's devices at the depot: when it was last heard, silent or not, its link, its backlog and its devices",
      responses: {
        200: { description: 'the edge as its last health beat said', schema: edgeStatusSchema },
        204: { description: "no edge: this server reads the site's devices itself (a page asks without knowing, so this is no error)" },
        401: { description: 'not signed in', schema: errorSchema },
        403: { description: 'the user is not bound to this site', schema: errorSchema },
        404: { description: 'no such site', schema: errorSchema },
      },
    },
    ({ ctx, params }) => {
      const edge = live.edge?.(params.id);
      if (edge) ctx.body = edge;
      else ctx.status = 204;
    },
  );
}
