import { z } from 'zod';
import { RESPONSE_STATUSES, type Alert, type Site } from '../../../model/index.ts';
import { canSee } from '../auth/access.ts';
import type { RouteTable } from '../api/route-table.ts';
import { alertParams, errorSchema } from '../api/schemas.ts';
import { ClientError } from '../errors.ts';
import type { ResponseLog } from '../incident-responses.ts';
import type { IncidentSummary, IncidentView } from '../incident-types.ts';
import type { LiveTwin } from '../live-twin.ts';

const responseSchema = z.object({ status: z.enum(RESPONSE_STATUSES), by: z.string(), at: z.number() });
const incidentSchema = z
  .object({
    site: z.object({ id: z.string(), name: z.object({ zh: z.string(), en: z.string() }) }).loose(),
    alert: z.object({ id: z.string(), site: z.string(), incident: z.object({ hazard: z.string() }).loose() }).loose(),
    responses: z.array(responseSchema),
  })
  .describe('Incident');

const isIncident = (a: Alert) => a.incident !== undefined && a.state !== 'cleared';

/** GET /api/incidents (open incidents of the user's sites), GET /api/incidents/:id (one, with its site's plan size). */
export function incidentRoutes(api: RouteTable, options: { live: LiveTwin; responses: ResponseLog }): void {
  const { live, responses } = options;
  const find = (id: string): { site: Site; alert: Alert } | undefined => {
    for (const site of live.sites()) {
      const alert = live.snapshot(site.id)?.alerts.find((a) => a.id === id && isIncident(a));
      if (alert) return { site, alert };
    }
    return undefined;
  };

  api.add(
    {
      method: 'get',
      path: '/api/incidents',
      tags: ['incidents'],
      access: { kind: 'permission', permission: 'read' },
      summary: 'Open secondary-disaster incidents (overfill, fire, gas cloud, …) of the sites the user may see, most severe first, with what responders reported',
      responses: {
        200: { description: 'the incidents', schema: z.array(incidentSchema) },
        401: { description: 'not signed in', schema: errorSchema },
      },
    },
    async ({ ctx, user }) => {
      const open = live
        .sites()
        .filter((site) => canSee(user!, site.id))
        .flatMap((site) => (live.snapshot(site.id)?.alerts ?? []).filter(isIncident).map((alert) => ({ site: { id: site.id, name: site.name }, alert })));
      const list: IncidentSummary[] = await Promise.all(open.map(async (i) => ({ ...i, responses: await responses.of(i.alert.id) })));
      ctx.body = list.sort((a, b) => a.alert.severity - b.alert.severity || b.alert.raisedAt - a.alert.raisedAt);
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/incidents/:id',
      tags: ['incidents'],
      params: alertParams,
      access: { kind: 'permission', permission: 'read', site: (i) => find(i.params.id)?.site.id },
      summary: 'One open incident: what, where (zones in WGS84 and on the plan), inventory, wind, countdowns, actions, and what responders reported',
      responses: {
        200: { description: 'the incident', schema: incidentSchema },
        400: { description: 'a malformed id', schema: errorSchema },
        401: { description: 'not signed in', schema: errorSchema },
        403: { description: 'the incident is on a site the user is not bound to', schema: errorSchema },
        404: { description: 'no open incident with this id (it may have been cleared)', schema: errorSchema },
      },
    },
    async ({ ctx, params }) => {
      const found = find(params.id);
      if (!found) throw new ClientError(404, 'not-found', `no open incident ${JSON.stringify(params.id)}`);
      const { site, alert } = found;
      const answer: IncidentView = {
        site: { id: site.id, name: site.name, location: site.location, timeZone: site.timeZone, plan: site.plan },
        alert,
        responses: await responses.of(alert.id),
      };
      ctx.body = answer;
    },
  );
}
