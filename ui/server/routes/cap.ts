import { z } from 'zod';
import type { LiveTwin } from '../live-twin.ts';
import { canSee } from '../auth/access.ts';
import type { RouteTable } from '../api/route-table.ts';
import { errorSchema } from '../api/schemas.ts';
import { ClientError } from '../errors.ts';
import { findSite } from '../site-views.ts';

/** What the UI server reads from notify/'s notifier; the composition root passes the notifier itself. */
export interface CapNotifier {
  /** Atom feed of the latest CAP message of each alert of `sites` */
  capFeed(request: { sites: readonly string[]; selfUrl: string; title?: string }): string;
  /** per webhook subscriber: pending, delivered, retrying, dead letters */
  deliveryStatus(): unknown[];
  /** puts a subscriber's dead letters back in its queue; how many */
  retryDeadLetters(subscriber: string): number;
}

const feedQuery = z.strictObject({
  site: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a site id (lower-case letters, digits and -)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
});
const retryBody = z.strictObject({ subscriber: z.string().min(1).max(200) });

const denied = {
  401: { description: 'not signed in', schema: errorSchema },
  403: { description: 'the role or site is not allowed', schema: errorSchema },
};

const notConfigured = () => new ClientError(404, 'not-found', 'notifications are not configured on this server');

/**
 * GET /cap/feed.xml[?site=<id>]: the CAP 1.2 documents of the reader's sites as an Atom feed
 * (every role that may read, rescue and auditor included). GET /api/notify/deliveries and
 * POST /api/notify/retry: webhook delivery state and dead letters, for admins.
 */
export function capRoutes(api: RouteTable, live: LiveTwin, view: CapNotifier | undefined): void {
  api.add(
    {
      method: 'get',
      path: '/cap/feed.xml',
      tags: ['cap'],
      query: feedQuery,
      access: { kind: 'permission', permission: 'read', site: (i) => i.query.site },
      siteExists: (id) => findSite(live, id) !== undefined,
      summary: 'Atom feed of CAP 1.2 alerts (latest message per incident or alarm) of one site or of every site the reader may see',
      responses: {
        200: { description: 'an Atom feed with CAP documents as entry content', contentType: 'application/atom+xml' },
        400: { description: 'a malformed query', schema: errorSchema },
        ...denied,
        404: { description: 'no such site, or notifications are not configured', schema: errorSchema },
      },
    },
    ({ ctx, query, user }) => {
      if (!view) throw notConfigured();
      const sites =
        query.site !== undefined
          ? [query.site]
          : live
              .sites()
              .map((s) => s.id)
              .filter((id) => user !== undefined && canSee(user, id));
      const selfUrl = `${ctx.protocol}://${ctx.host}/cap/feed.xml${query.site !== undefined ? `?site=${encodeURIComponent(query.site)}` : ''}`;
      ctx.set('Cache-Control', 'private, no-store');
      ctx.type = 'application/atom+xml; charset=utf-8';
      ctx.body = view.capFeed({ sites, selfUrl });
    },
  );
  api.add(
    {
      method: 'get',
      path: '/api/notify/deliveries',
      tags: ['notify'],
      access: { kind: 'permission', permission: 'admin' },
      summary: 'Webhook delivery state per subscriber: pending, delivered, retrying, dead letters',
      responses: { 200: { description: 'one entry per subscriber' }, ...denied, 404: { description: 'notifications are not configured', schema: errorSchema } },
    },
    ({ ctx }) => {
      if (!view) throw notConfigured();
      ctx.body = view.deliveryStatus();
    },
  );
  api.add(
    {
      method: 'post',
      path: '/api/notify/retry',
      tags: ['notify'],
      body: retryBody,
      access: { kind: 'permission', permission: 'admin' },
      summary: "Puts a subscriber's dead letters back in its queue",
      responses: {
        200: { description: 'how many were requeued', schema: z.object({ requeued: z.number() }) },
        400: { description: 'a malformed body', schema: errorSchema },
        ...denied,
        404: { description: 'notifications are not configured', schema: errorSchema },
      },
    },
    ({ ctx, body }) => {
      if (!view) throw notConfigured();
      ctx.body = { requeued: view.retryDeadLetters(body.subscriber) };
    },
  );
}
