import { z } from 'zod';
import { dutiesOf, RESPONSIBLE_ROLES, unitsOfAsset, type Site } from '../../../model/index.ts';
import type { RouteTable } from '../api/route-table.ts';
import { errorSchema, siteParams } from '../api/schemas.ts';
import type { LiveTwin } from '../live-twin.ts';
import { findSite } from '../site-views.ts';
import { canSee } from '../auth/access.ts';

const bilingual = z.object({ zh: z.string(), en: z.string() });
const unitSchema = z.object({
  unit: z.string(),
  name: bilingual,
  principal: z.string(),
  technical: z.string(),
  operations: z.string(),
  members: z.array(z.string()).describe('the asset ids of the unit: its alerts are the alerts on these'),
});
const mineSchema = z
  .object({ site: z.string(), siteName: bilingual, unit: z.string(), name: bilingual, roles: z.array(z.enum(RESPONSIBLE_ROLES)), members: z.array(z.string()) })
  .describe('MyUnit');
const answerSchema = z
  .object({ units: z.array(unitSchema), mine: z.array(z.object({ site: z.string(), unit: z.string(), role: z.enum(RESPONSIBLE_ROLES) })) })
  .describe('Responsibility');

/** The site's major hazard units with their named responsible persons and member assets. */
export function siteUnits(site: Site) {
  return (site.majorHazard?.responsible ?? []).map((r) => {
    const asset = site.assets.find((a) => a.id === r.unit);
    const declared = site.majorHazard?.processUnits.find((u) => u.id === r.unit);
    return {
      ...r,
      name: asset?.name ?? declared?.name ?? { zh: r.unit, en: r.unit },
      members: site.assets.filter((a) => unitsOfAsset(site, a.id).includes(r.unit)).map((a) => a.id),
    };
  });
}

/**
 * GET /api/sites/:id/responsibility: each major hazard unit's named principal, technical and operations
 * responsible persons (包保责任人) and its member assets, and what the caller is named for; GET
 * /api/responsibility: the caller's units on every site they may see. The web app shows a named person
 * their units' alerts and tells them of each new one, on any page.
 */
export function responsibilityRoutes(api: RouteTable, live: LiveTwin): void {
  api.add(
    {
      method: 'get',
      path: '/api/sites/:id/responsibility',
      tags: ['duties'],
      params: siteParams,
      access: { kind: 'permission', permission: 'read', site: (i) => i.params.id },
      siteExists: (id) => findSite(live, id) !== undefined,
      summary: "The site's major hazard units with their named responsible persons and member assets, and the units the caller is named for",
      responses: {
        200: { description: 'units and the caller’s duties', schema: answerSchema },
        401: { description: 'not signed in', schema: errorSchema },
        403: { description: 'the user is not bound to this site', schema: errorSchema },
        404: { description: 'no such site', schema: errorSchema },
      },
    },
    ({ ctx, params, user }) => {
      const site = findSite(live, params.id)!;
      ctx.body = { units: siteUnits(site), mine: dutiesOf(site, user!.name) };
    },
  );
  api.add(
    {
      method: 'get',
      path: '/api/responsibility',
      tags: ['duties'],
      access: { kind: 'permission', permission: 'read' },
      summary: 'The major hazard units the caller is named for, on every site they may see, with their roles and member assets: the web app tells them of each new alert on these',
      responses: {
        200: { description: "the caller's units", schema: z.array(mineSchema) },
        401: { description: 'not signed in', schema: errorSchema },
      },
    },
    ({ ctx, user }) => {
      ctx.body = live
        .sites()
        .filter((site) => canSee(user!, site.id))
        .flatMap((site) => {
          const duties = dutiesOf(site, user!.name);
          return siteUnits(site)
            .filter((u) => duties.some((d) => d.unit === u.unit))
            .map((u) => ({
              site: site.id,
              siteName: site.name,
              unit: u.unit,
              name: u.name,
              roles: duties.filter((d) => d.unit === u.unit).map((d) => d.role),
              members: u.members,
            }));
        });
    },
  );
}
