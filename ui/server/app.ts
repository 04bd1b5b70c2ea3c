import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Koa from 'koa';
import { pino, type Logger } from 'pino';
import type { LiveTwin } from './live-twin.ts';
import { openApiDocument } from './api/openapi.ts';
import { createRouteTable } from './api/route-table.ts';
import { type AuthOptions, createAuth, csrfGuard } from './auth/authenticate.ts';
import { ClientError, errorHandler } from './errors.ts';
import { createEventHub, type EventHub } from './event-hub.ts';
import { createStreamRegistry } from './event-stream.ts';
import { createMetricsRegistry } from './metrics.ts';
import { capRoutes, type CapNotifier } from './routes/cap.ts';
import { alarmRoutes } from './routes/alarms.ts';
import { alarmHealthRoutes } from './routes/alarm-health.ts';
import { edgeRoutes } from './routes/edge.ts';
import type { AlarmCommands } from './commands.ts';
import { eventsRoutes } from './routes/events.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { seriesRoutes } from './routes/series.ts';
import { sessionRoutes } from './routes/session.ts';
import { sitesRoutes } from './routes/sites.ts';
import { asOfRoutes } from './routes/as-of.ts';
import { compareRoutes } from './routes/compare.ts';
import { inspectionRoutes } from './routes/inspections.ts';
import { dueRoutes } from './routes/due.ts';
import { rankingRoutes } from './routes/ranking.ts';
import { mapRoutes } from './routes/map.ts';
import { responsibilityRoutes } from './routes/responsibility.ts';
import { commitmentRoutes, type CommitmentLog } from './routes/commitments.ts';
import { transferRoutes, type TransferDesk } from './routes/transfers.ts';
import { reportRoutes, type ReportOptions } from './routes/reports.ts';
import { standardsRoutes } from './routes/standards.ts';
import { incidentRoutes } from './routes/incidents.ts';
import { rescoreRoutes } from './routes/rescore.ts';
import { exerciseRoutes } from './exercise/exercise-routes.ts';
import type { ExerciseDesk } from './exercise/exercise-desk.ts';
import { createResponseLog } from './incident-responses.ts';
import type { Rescorer } from './rescore-types.ts';
import { securityHeaders } from './security-headers.ts';
import { spaFallback, staticFiles } from './static-files.ts';
import type { AlertHistory, AuditSink, ReadinessChecks, InspectionLog, MetricsSource, StandardTable, TelemetryHistory, VerdictHistory } from './ports.ts';
import { systemClock } from '../../model/index.ts';

/** Emitted on the app by startServer's close(): open event streams end so nothing holds the port. */
export const CLOSE_STREAMS = 'ketwin:close-streams';

export interface AppOptions {
  live: LiveTwin;
  /** users and sessions; without it every caller is an admin — development only, logged as a warning */
  auth?: AuthOptions;
  /** stored readings, for trend charts and re-scoring (db's TelemetryStore) */
  telemetry?: TelemetryHistory;
  /** recorded verdicts and scores, for the auditor's as-of, clause history, risk CSV, reports, compare and re-scoring (db's VerdictStore) */
  verdicts?: VerdictHistory;
  /** stored alert transitions, from which the rescue teams' reports are read back (db's AlertStore) */
  alerts?: AlertHistory;
  /** drills, siren tests and inspections: listed on the site page, entered by its managers */
  inspections?: InspectionLog;
  /** daily safety commitments (db's CommitmentStore); without it the commitment routes answer 404 */
  commitments?: CommitmentLog;
  /** transfers a manager declares on a tank (the engine); without it the transfer routes answer 404 */
  transfers?: TransferDesk;
  /** signed PDF reports; without it the report routes answer 404 */
  reports?: ReportOptions;
  /** the audit log's newest row (db's auditHead), named in the monthly report; without it the report says so */
  auditHead?: () => Promise<{ seq: number; hash: string } | undefined>;
  /** told of each export (report.export) and evidence entry (inspection.record); must not throw */
  audit?: AuditSink;
  /** the clause table of each loaded standard (renderClauseTable), for GET /api/standards */
  standards?: StandardTable[];
  /** the clock for reports, evidence and failure durations; default the system clock */
  now?: () => number;
  /** readiness checks for /healthz */
  health?: ReadinessChecks;
  /** figures for /metrics beyond what the live events show */
  metrics?: MetricsSource;
  /** a Prometheus scraper sends this as a bearer token; without it only signed-in admins read /metrics */
  metricsToken?: string;
  /** keys that sign cookies; default random per process (sessions live in memory anyway) */
  cookieKeys?: string[];
  /** origins besides the server's own that may send state-changing requests */
  trustedOrigins?: string[];
  /**
   * trust X-Forwarded-For / -Proto / -Host from one reverse proxy in front (TLS terminated there):
   * the client address is the one the proxy appended (the last), so a client cannot choose its own
   * for the sign-in limits; cookies are Secure when the proxy says https. KETWIN_TRUST_PROXY=on.
   */
  trustProxy?: boolean;
  /** the built web app; default ui/web/dist */
  staticDir?: string;
  logger?: Logger;
  /** alarm commands (acknowledge, shelve, unshelve, respond): main.ts passes the engine; without it those routes answer 404 */
  commands?: AlarmCommands;
  /** re-scoring stored history under a loaded standard version (engine/replay.ts); without it GET /api/sites/:id/rescore answers 404 */
  rescore?: Rescorer;
  /** CAP feed and webhook delivery state (notify/'s notifier); without it those routes answer 404 */
  cap?: CapNotifier;
  /** exercises on shadow twins (exercise/exercise-desk.ts); without it the exercise routes answer 404 */
  exercises?: ExerciseDesk;
  /** event-stream heartbeat period, default 15 s */
  heartbeatMs?: number;
  /** at most one sample per point per client per this period, default 1 s */
  samplePeriodMs?: number;
  /** the same for a light stream (the rescue page on a phone), default 5 s */
  lightSamplePeriodMs?: number;
  /** an event-stream client with this much unread is dropped (it reconnects); default 1 MiB */
  maxBufferedBytes?: number;
  /** results, scores and alerts kept for clients that reconnect; default 10,000 */
  eventBufferSize?: number;
}

export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../web/dist', import.meta.url));

/** Builds the koa app without listening, so tests and the composition root decide how to serve it. */
export function createApp(options: AppOptions): Koa {
  const logger = options.logger ?? pino({ level: 'silent' });
  const staticDir = options.staticDir ?? DEFAULT_STATIC_DIR;
  const streams = createStreamRegistry();
  const auth = createAuth(options.auth);
  if (!auth.enabled) logger.warn('authentication is off: every caller acts as an admin (pass auth to createApp)');
  let hub: EventHub | undefined;
  const getHub = (): EventHub => (hub ??= createEventHub(options.live.events$, { capacity: options.eventBufferSize }));

  const app = new Koa({ keys: options.cookieKeys ?? [randomBytes(32).toString('base64url')], proxy: options.trustProxy === true, maxIpsCount: 1 });
  app.silent = true; // errors are logged by errorHandler
  app.on(CLOSE_STREAMS, () => {
    streams.closeAll();
    hub?.close();
    hub = undefined;
  });

  const api = createRouteTable();
  sessionRoutes(api, auth);
  sitesRoutes(api, options.live);
  seriesRoutes(api, { live: options.live, telemetry: options.telemetry });
  const now = options.now ?? systemClock.now;
  const audit: AuditSink = options.audit ?? (() => undefined);
  const responses = createResponseLog(options.alerts);
  asOfRoutes(api, { live: options.live, verdicts: options.verdicts, audit, now });
  compareRoutes(api, { live: options.live, verdicts: options.verdicts });
  reportRoutes(api, { live: options.live, verdicts: options.verdicts, alerts: options.alerts, auditHead: options.auditHead, reports: options.reports, audit, logger, now });
  inspectionRoutes(api, { live: options.live, inspections: options.inspections, audit, now });
  dueRoutes(api, { live: options.live, now, audit });
  rankingRoutes(api, { live: options.live, verdicts: options.verdicts, now });
  mapRoutes(api, { live: options.live });
  responsibilityRoutes(api, options.live);
  commitmentRoutes(api, { live: options.live, commitments: options.commitments, audit, now });
  transferRoutes(api, { live: options.live, transfers: options.transfers, audit, now });
  standardsRoutes(api, options.standards ?? []);
  alarmRoutes(api, { commands: options.commands && responses.watch(options.commands), audit, now });
  alarmHealthRoutes(api, options.live);
  edgeRoutes(api, options.live);
  incidentRoutes(api, { live: options.live, responses });
  rescoreRoutes(api, { live: options.live, telemetry: options.telemetry, verdicts: options.verdicts, rescore: options.rescore, audit });
  exerciseRoutes(api, { exercises: options.exercises, audit });
  eventsRoutes(api, {
    live: options.live,
    auth,
    hub: getHub,
    streams,
    logger,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    samplePeriodMs: options.samplePeriodMs ?? 1_000,
    lightSamplePeriodMs: options.lightSamplePeriodMs ?? 5_000,
    maxBufferedBytes: options.maxBufferedBytes,
  });
  healthRoutes(api, options.health, logger);
  capRoutes(api, options.live, options.cap);
  const registry = createMetricsRegistry({ live: options.live, view: options.metrics, streams: () => streams.size, sessions: () => auth.sessions.size });
  metricsRoutes(api, registry, options.metricsToken);
  let document: unknown;
  api.add(
    {
      method: 'get',
      path: '/api/openapi.json',
      tags: ['meta'],
      access: { kind: 'public' },
      summary: 'This document',
      responses: { 200: { description: 'the OpenAPI 3.1 document' } },
    },
    ({ ctx }) => {
      document ??= openApiDocument(api.routes, { title: 'ketwin API', version: '0.1.0' });
      ctx.body = document;
    },
  );

  app.use(securityHeaders());
  app.use(errorHandler(logger));
  app.use(spaFallback(staticDir));
  app.use(auth.middleware);
  app.use(csrfGuard(options.trustedOrigins));
  app.use(api.router.routes());
  app.use(
    api.router.allowedMethods({
      throw: true,
      methodNotAllowed: () => new ClientError(405, 'method-not-allowed', 'this method is not allowed on this resource'),
    }),
  );
  app.use(staticFiles(staticDir));
  return app;
}
