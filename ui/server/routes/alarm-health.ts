import { z } from 'zod';
import type { RouteTable } from '../api/route-table.ts';
import { errorSchema, siteParams } from '../api/schemas.ts';
import { ClientError } from '../errors.ts';
import type { LiveTwin } from '../live-twin.ts';
import { findSite } from '../site-views.ts';

const bilingual = z.object({ zh: z.string(), en: z.string() });
const contributor = { key: z.string(), kind: z.string(), subjects: z.array(z.string()), message: bilingual, severity: z.number().int().min(1).max(4) };

/** The shape of AlarmHealth (model/alarm-health.ts) for the OpenAPI document. */
export const alarmHealthSchema = z
  .object({
    site: z.string(),
    at: z.number().describe('ms since epoch: when these figures are for'),
    since: z.number().describe('when counting began; period figures cover max(since, at − period) .. at'),
    thresholds: z
      .object({
        windowMs: z.number(),
        floodAlarms: z.number(),
        floodEndBelow: z.number(),
        chatterWindowMs: z.number(),
        chatterCount: z.number(),
        standingAfterMs: z.number(),
        topContributors: z.number(),
        periodMs: z.number(),
        source: z.string(),
      })
      .describe("from the standard's alarms.health section (EEMUA 191 / ISA-18.2)"),
    lastWindow: z.number().describe('annunciations (raise and re-alarm) in the last window'),
    period: z.object({
      annunciations: z.number(),
      averagePerWindow: z.number(),
      peakPerWindow: z.number(),
      windows: z.number(),
      floodedWindows: z.number(),
      floodShare: z.number().describe('EEMUA 191 target: under 0.01'),
    }),
    flood: z.object({ active: z.boolean(), since: z.number().optional(), count: z.number().optional() }),
    floods: z.array(z.object({ start: z.number(), end: z.number().optional(), count: z.number() })),
    chattering: z.array(z.object({ ...contributor, count: z.number(), lastChatterAt: z.number(), active: z.boolean() })),
    standing: z.array(z.object({ ...contributor, id: z.string(), state: z.string(), activeSince: z.number(), forMs: z.number() })),
    top: z.array(z.object({ ...contributor, count: z.number() })),
  })
  .describe('AlarmHealth');

/** GET /api/sites/:id/alarm-health — the site's alarm-system health now; the `health` events of the site's stream carry the same figures as they change. */
export function alarmHealthRoutes(api: RouteTable, live: LiveTwin): void {
  api.add(
    {
      method: 'get',
      path: '/api/sites/:id/alarm-health',
      tags: ['alarms'],
      params: siteParams,
      access: { kind: 'permission', permission: 'read', site: (i) => i.params.id },
      siteExists: (id) => findSite(live, id) !== undefined,
      summary: 'Alarm-system health of a site (EEMUA 191 / ISA-18.2): annunciations per 10 min, floods, chattering and standing alarms, top contributors',
      responses: {
        200: { description: 'the figures now', schema: alarmHealthSchema },
        401: { description: 'not signed in', schema: errorSchema },
        403: { description: 'the user is not bound to this site', schema: errorSchema },
        404: { description: 'no such site, or no figures for it (its standard has no alarms section)', schema: errorSchema },
      },
    },
    ({ ctx, params }) => {
      const health = live.alarmHealth?.(params.id);
      if (!health)
        throw new ClientError(
          404,
          'not-found',
          `no alarm-system health figures for site ${JSON.stringify(params.id)}: its standard has no alarms section, or this server runs no engine`,
        );
      ctx.body = health;
    },
  );
}
