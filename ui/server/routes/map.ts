import { z } from 'zod';
import { canSee } from '../auth/access.ts';
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

/** cut regions kept: one per set of sites seen (the office's, a manager's own) */
const KEPT = 8;

/**
 * GET /api/map — the land around the sites the user may see, from Natural Earth's 1:10m land installed with the
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
      access: { kind: 'permission', permission: 'read' },
      summary: 'The land and coastline around the sites the user may see (Natural Earth 1:10m, packaged), with its credits',
      responses: {
        200: { description: 'the region: its box, the land in it and the credits', schema: mapAnswer },
        401: { description: 'not signed in', schema: errorSchema },
      },
    },
    async ({ ctx, user }) => {
      const seen = options.live.sites().filter((s) => canSee(user!, s.id));
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
