import { fileURLToPath } from 'node:url';
import Koa from 'koa';
import { pino, type Logger } from 'pino';
import type { LiveView } from './live-view.ts';
import { errorHandler } from './errors.ts';
import { createStreamRegistry } from './event-stream.ts';
import { eventsRoutes } from './routes/events.ts';
import { sitesRoutes } from './routes/sites.ts';
import { spaFallback, staticFiles } from './static-files.ts';

/** Emitted on the app by startServer's close(): open event streams end so nothing holds the port. */
export const CLOSE_STREAMS = 'ketwin:close-streams';

export interface AppOptions {
  live: LiveView;
  /** the built web app; default ui/web/dist */
  staticDir?: string;
  logger?: Logger;
  /** event-stream heartbeat period, default 15 s */
  heartbeatMs?: number;
  /** at most one sample per point per client per this period, default 1 s */
  samplePeriodMs?: number;
  /** an event-stream client with this much unread is dropped (it reconnects); default 1 MiB */
  maxBufferedBytes?: number;
}

export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../web/dist', import.meta.url));

/** Builds the koa app without listening, so tests and the composition root decide how to serve it. */
export function createApp(options: AppOptions): Koa {
  const logger = options.logger ?? pino({ level: 'silent' });
  const staticDir = options.staticDir ?? DEFAULT_STATIC_DIR;
  const streams = createStreamRegistry();
  const app = new Koa();
  app.silent = true; // errors are logged by errorHandler
  app.on(CLOSE_STREAMS, () => streams.closeAll());

  const sites = sitesRoutes(options.live);
  const events = eventsRoutes({
    live: options.live,
    streams,
    logger,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    samplePeriodMs: options.samplePeriodMs ?? 1_000,
    maxBufferedBytes: options.maxBufferedBytes,
  });

  app.use(errorHandler(logger));
  app.use(spaFallback(staticDir));
  app.use(sites.routes());
  app.use(sites.allowedMethods());
  app.use(events.routes());
  app.use(events.allowedMethods());
  app.use(staticFiles(staticDir));
  return app;
}
