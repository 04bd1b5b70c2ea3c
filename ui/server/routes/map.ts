import { z } from 'zod';
import { canSee } from '../auth/access.ts';
import { ClientError } from '../errors.ts';
import type { RouteTable } from '../api/route-table.ts';
import { errorSchema } from '../api/schemas.ts';
import type { LiveTwin } from '../live-twin.ts';
import type { RegionMap } from '../office-types.ts';
import { LAND_SOURCE, landPackageVersion, regionAround, regionLand, type Box, type Land } from '../map/land.ts';

const point = z.tuple([z.number(), z.number()]);
const mapAnswer = z
  .object({
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable().describe('[west, south, east, north] in degrees; null when the user sees no site'),
    land: z.array(z.array(z.array(point))).describe('land polygons cut to bbox, each an outer ring then its holes, points [lon, lat]'),
    footprints: z.record(z.string(), z.object({ width: z.number(), height: z.number() })).describe("each site's plan extent in metres, east and north of its location"),
    credits: z.object({ data: z.string(), edition: z.string(), scale: z.string(), licence: z.string(), package: z.string(), version: z.string() }),
  })
  .describe('RegionMap');

const mapQuery = z.strictObject({
  /** the sites whose region to draw (a cluster of them: one city); default every site the user may see */
  sites: z
    .string()
    .transform((s) => [
      ...new Set(
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(
      z
        .array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be site ids (lower-case letters, digits and -)'))
        .min(1, 'name at least one site')
        .max(500, 'at most 500 sites'),
    )
    .optional(),
});

/** cut regions kept: one per set of sites seen (the office's, a manager's own) */
const KEPT = 8;

/**
 * GET /api/map[?sites=a,b] — the land around the given sites (one city's cluster) or every site the user may see, from Natural Earth's 1:10m land installed with the
 * product (nothing is fetched): cut to the sites' box on first asking, then kept.
 */
export function mapRoutes(api: RouteTable, options: { live: LiveTwin }): void {
  const cut = new Map<string, Promise<Land>>();
  const landOf = (box: Box): Promise<Land> => {
    const key = box.join(',');
    let land = cut.get(key);
    if (!land) {
      if (cut.size >= KEPT) cut.delete(cut.keys().next().value!);
      land = regionLand(box);
      land.catch(() => cut.delete(key));
      cut.set(key, land);
    }
    return land;
  };
  api.add(
    {
      method: 'get',
      path: '/api/map',
      tags: ['sites'],
      query: mapQuery,
      access: { kind: 'permission', permission: 'read' },
      summary: 'The land and coastline around the given sites, or every site the user may see (Natural Earth 1:10m, packaged), with its credits',
      responses: {
        200: { description: 'the region: its box, the land in it and the credits', schema: mapAnswer },
        400: { description: 'a malformed list of sites', schema: errorSchema },
        401: { description: 'not signed in', schema: errorSchema },
        403: { description: 'the user is not bound to one of the sites', schema: errorSchema },
        404: { description: 'no such site', schema: errorSchema },
      },
    },
    async ({ ctx, query, user }) => {
      for (const id of query.sites ?? []) {
        if (!canSee(user!, id)) throw new ClientError(403, 'forbidden', `no access to site ${JSON.stringify(id)}`);
        if (!options.live.sites().some((s) => s.id === id)) throw new ClientError(404, 'not-found', `unknown site ${JSON.stringify(id)}`);
      }
      const seen = options.live.sites().filter((s) => canSee(user!, s.id) && (query.sites === undefined || query.sites.includes(s.id)));
      const box = regionAround(seen.map((s) => s.location));
      const answer: RegionMap = {
        bbox: box ? [...box] : null,
        land: box ? await landOf(box) : [],
        footprints: Object.fromEntries(seen.map((s) => [s.id, { width: s.plan.width, height: s.plan.height }])),
        credits: { ...LAND_SOURCE, version: await landPackageVersion() },
      };
      ctx.body = answer;
    },
  );
}
