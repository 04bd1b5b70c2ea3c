import type { Logger } from 'pino';
import type { Subscription } from 'rxjs';
import type { LiveTwin } from '../live-twin.ts';
import { canSee } from '../auth/access.ts';
import type { Auth, AuthState } from '../auth/authenticate.ts';
import type { RouteTable } from '../api/route-table.ts';
import { errorSchema, eventsQuery } from '../api/schemas.ts';
import { clientEvents, lightSnapshot, lightStreamPoints } from '../client-events.ts';
import type { EventHub } from '../event-hub.ts';
import { createEventStream, type StreamRegistry } from '../event-stream.ts';
import { findSite, listSites, siteDetail } from '../site-views.ts';

export interface EventsRouteOptions {
  live: LiveTwin;
  auth: Auth;
  /** the server's event hub, made on first use */
  hub: () => EventHub;
  streams: StreamRegistry;
  logger: Logger;
  heartbeatMs: number;
  samplePeriodMs: number;
  /** a light stream's sample period */
  lightSamplePeriodMs: number;
  maxBufferedBytes?: number;
}

/**
 * GET /api/events?site=<id>: a `snapshot` event (the site detail, or the list of the user's sites
 * without `site`), then `result`, `score`, `alert`, `health` (the site's alarm-system health; site streams only)
 * and throttled `sample` events as they happen, a reading only when it changed. `mode=light` (a site's
 * rescue page on a phone): no health or evidence events, and only the wind readings, at most one per
 * point per `lightSamplePeriodMs`, in the snapshot too.
 * Ids are global to the server; a client reconnecting with Last-Event-ID gets what it missed
 * instead of a snapshot, or a fresh snapshot when that has left the server's memory.
 */
export function eventsRoutes(api: RouteTable, options: EventsRouteOptions): void {
  const { live, streams, logger } = options;
  api.add(
    {
      method: 'get',
      path: '/api/events',
      tags: ['events'],
      query: eventsQuery,
      access: { kind: 'permission', permission: 'read', site: (i) => i.query.site },
      siteExists: (id) => findSite(live, id) !== undefined,
      summary:
        'Server-sent events: snapshot, then result, score, alert, health (alarm-system health of the site) and sample (changes only, throttled); mode=light for a phone; resumes from Last-Event-ID',
      responses: {
        200: { description: 'an event stream', contentType: 'text/event-stream' },
        400: { description: 'a malformed query', schema: errorSchema },
        401: { description: 'not signed in', schema: errorSchema },
        403: { description: 'the user is not bound to this site', schema: errorSchema },
        404: { description: 'no such site', schema: errorSchema },
      },
    },
    ({ ctx, query, user }) => {
      const siteId = query.site;
      const site = siteId === undefined ? undefined : findSite(live, siteId);
      const visible = (id: string) => user !== undefined && canSee(user, id);
      const lightPoints = site && query.mode === 'light' ? lightStreamPoints(site) : undefined;
      const { session } = ctx.state as AuthState;
      const hub = options.hub();
      const resumeFrom = hub.parseId(ctx.get('last-event-id') || query.lastEventId);
      const missed$ = resumeFrom === undefined ? undefined : hub.since(resumeFrom);

      ctx.req.socket.setTimeout(0);
      ctx.req.socket.setNoDelay(true);
      ctx.respond = false;
      let subscription: Subscription | undefined;
      const stream = createEventStream(ctx.res, {
        heartbeatMs: options.heartbeatMs,
        maxBufferedBytes: options.maxBufferedBytes,
        // a signed-out or expired session ends its streams
        // (the user's record is looked at again meanwhile: a removed or changed user's session ends, and so its stream)
        stillAllowed: session ? () => (void options.auth.revalidate(session).catch(() => undefined), options.auth.sessions.touch(session.id) !== undefined) : undefined,
        onClose: (reason) => {
          subscription?.unsubscribe();
          streams.delete(stream);
          if (reason === 'slow-client') logger.warn({ site: siteId }, 'event stream client fell behind; dropped it');
          else logger.debug({ site: siteId, reason, clients: streams.size }, 'event stream closed');
        },
      });
      streams.add(stream);
      let sentUpTo = hub.lastId;
      let events$ = missed$;
      if (!events$) {
        const detail = site ? siteDetail(live, site) : undefined;
        const snapshot = detail && lightPoints ? lightSnapshot(detail, lightPoints) : detail;
        stream.send('snapshot', snapshot ?? listSites(live).filter((s) => visible(s.id)), hub.formatId(sentUpTo));
        events$ = hub.since(sentUpTo);
      } else {
        sentUpTo = resumeFrom ?? 0;
      }
      if (stream.closed || !events$) {
        stream.close();
        return;
      }
      const period = lightPoints ? options.lightSamplePeriodMs : options.samplePeriodMs;
      subscription = clientEvents(events$, siteId, period, { visible, ...(lightPoints ? { mode: 'light', lightPoints } : {}) }).subscribe({
        next: ({ id, event }) => {
          // a throttled sample may trail a later event; the id written never goes back
          sentUpTo = Math.max(sentUpTo, id);
          stream.send(event.type, event.data, hub.formatId(sentUpTo));
        },
        error: (err: unknown) => {
          logger.error({ err, site: siteId }, 'live event source failed; closing event stream');
          stream.close();
        },
        complete: () => stream.close(),
      });
      if (stream.closed) subscription.unsubscribe();
      logger.debug({ site: siteId, resumed: missed$ !== undefined, clients: streams.size }, 'event stream opened');
    },
  );
}
