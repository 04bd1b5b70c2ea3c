import { Router } from '@koa/router';
import type { Logger } from 'pino';
import type { Subscription } from 'rxjs';
import type { LiveView } from '../live-view.ts';
import { clientEvents } from '../client-events.ts';
import { ClientError } from '../errors.ts';
import { createEventStream, type StreamRegistry } from '../event-stream.ts';
import { findSite, listSites, siteDetail } from '../site-views.ts';

export interface EventsRouteOptions {
  live: LiveView;
  streams: StreamRegistry;
  logger: Logger;
  heartbeatMs: number;
  samplePeriodMs: number;
  maxBufferedBytes?: number;
}

/**
 * GET /api/events?site=<id>: a `snapshot` event (the site detail, or the site list without `site`),
 * then `result`, `score`, `alert` and throttled `sample` events as they happen.
 */
export function eventsRoutes(options: EventsRouteOptions): Router {
  const { live, streams, logger } = options;
  const router = new Router();
  router.get('/api/events', (ctx) => {
    const param = ctx.query['site'];
    if (Array.isArray(param)) throw new ClientError(400, 'bad-request', 'give "site" at most once');
    const siteId = param === '' ? undefined : param;
    const site = siteId === undefined ? undefined : findSite(live, siteId);
    if (siteId !== undefined && !site) throw new ClientError(404, 'not-found', `unknown site ${JSON.stringify(siteId)}`);

    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.respond = false;
    let subscription: Subscription | undefined;
    const stream = createEventStream(ctx.res, {
      heartbeatMs: options.heartbeatMs,
      maxBufferedBytes: options.maxBufferedBytes,
      onClose: (reason) => {
        subscription?.unsubscribe();
        streams.delete(stream);
        if (reason === 'slow-client') logger.warn({ site: siteId }, 'event stream client fell behind; dropped it');
        else logger.debug({ site: siteId, clients: streams.size }, 'event stream closed');
      },
    });
    streams.add(stream);
    stream.send('snapshot', site ? siteDetail(live, site) : listSites(live));
    if (stream.closed) return;
    subscription = clientEvents(live.events$, siteId, options.samplePeriodMs).subscribe({
      next: (event) => stream.send(event.type, event.data),
      error: (err: unknown) => {
        logger.error({ err, site: siteId }, 'live event source failed; closing event stream');
        stream.close();
      },
      complete: () => stream.close(),
    });
    if (stream.closed) subscription.unsubscribe(); // the source completed or failed at once
    logger.debug({ site: siteId, clients: streams.size }, 'event stream opened');
  });
  return router;
}
