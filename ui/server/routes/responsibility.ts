import { z } from 'zod';
import { dutiesOf, RESPONSIBLE_ROLES, unitsOfAsset, type Site } from '../../../model/index.ts';
import type { RouteTable } from '../api/route-table.ts';
import { errorSchema, siteParams } from '../api/schemas.ts';
import type { LiveView } from '../live-view.ts';
import { findSite } from '../site-views.ts';

const bilingual = z.object({ zh: z.string(), en: z.string() });
const unitSchema = z.object({
  unit: z.string(), name: bilingual, principal: z.string(), technical: z.string(), operations: z.string(),
  members: z.array(z.string()).describe('the asset ids of the unit: its alerts are the alerts on these'),
});
const answerSchema = z.object({ units: z.array(unitSchema), mine: z.array(z.object({ site: z.string(), unit: z.string(), role: z.enum(RESPONSIBLE_ROLES) })) }).describe('Responsibility');

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
 * responsible persons (包保责任人) and its member assets, and what the caller is named for. The web app
 * shows a named person their units' alerts first and tells them of each new one.
 */
export function responsibilityRoutes(api: RouteTable, live: LiveView): void {
  api.add(
    {
      method: 'get', path: '/api/sites/:id/responsibility', tags: ['duties'], params: siteParams,
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
}
