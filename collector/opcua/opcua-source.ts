import { OPCUAClient, resolveNodeId, type ClientSession, type ClientSubscription, type OPCUACertificateManager } from 'node-opcua';
import { pino, type Logger } from 'pino';
import type { OpcuaSource, Point, Sample, SampleValue } from '../../model/index.ts';
import { createSourceFigures, sourceStats, type SourceFigures } from '../source-figures.ts';
import { CollectorError, onlinePointId, type SampleSink, type Source, type SourceStats } from '../source.ts';
import { dataValueToSample } from './data-value-to-sample.ts';
import { groupPoints, monitorPoints } from './monitor-points.ts';
import { explainSecurityFailure, openCertificateManager, prepareTrust, resolveSecurity, type OpcuaSecurity } from './opcua-security.ts';

export interface OpcuaSourceOptions {
  /** site id stamped on every sample */
  site: string;
  source: OpcuaSource;
  /** the points read from this source (each with a `node`) */
  points: Point[];
  logger?: Logger;
  /** PKI folder of this source; overrides source.pki (default <dataDir>/pki/<source id>) */
  pkiDir?: string;
  /** where PKI folders live by default (default ./data) */
  dataDir?: string;
  /** where passwordEnv is looked up (default process.env) */
  env?: Record<string, string | undefined>;
  /** reconnection back-off, ms (defaults 500 → 10 000) */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  now?: () => number;
}

/**
 * An OPC-UA server read through one session and as many subscriptions as maxItemsPerSubscription
 * asks for, a monitored item per point. Read-only: no Write, no Call.
 */
export function createOpcuaSource(options: OpcuaSourceOptions): Source {
  const { site, source } = options;
  const where = `OPC-UA source ${source.id} (${source.endpoint})`;
  const points = validate(options, where);
  const security = resolveSecurity(options, where);
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ site, source: source.id, endpoint: source.endpoint });
  const now = options.now ?? Date.now;
  const figures = createSourceFigures(now);
  let running: { stop(): Promise<void> } | undefined;

  return {
    id: source.id,
    async start(sink) {
      if (running) throw new CollectorError('COLLECTOR_STATE', `${where}: already started`);
      running = run({ ...options, points, logger, where, security, now, figures }, sink);
    },
    async stop() {
      const current = running;
      running = undefined;
      await current?.stop();
    },
    stats: (): SourceStats => sourceStats(source.id, 'opcua', figures),
  };
}

function validate({ source, points }: OpcuaSourceOptions, where: string): Point[] {
  if (source.protocol !== 'opcua') throw new CollectorError('COLLECTOR_CONFIG', `${where}: protocol is ${String(source.protocol)}, not opcua`);
  if (!(source.maxItemsPerSubscription > 0)) throw new CollectorError('COLLECTOR_CONFIG', `${where}: maxItemsPerSubscription must be positive`);
  for (const point of points) {
    if (point.source !== source.id) throw new CollectorError('COLLECTOR_CONFIG', `${where}: point ${point.id} belongs to source ${point.source}`);
    if (!point.node) throw new CollectorError('COLLECTOR_CONFIG', `${where}: point ${point.id} has no node id`);
    try {
      resolveNodeId(point.node);
    } catch {
      throw new CollectorError('COLLECTOR_CONFIG', `${where}: point ${point.id} has a malformed node id ${JSON.stringify(point.node)}`);
    }
  }
  return [...points];
}

interface RunOptions extends OpcuaSourceOptions {
  logger: Logger;
  where: string;
  security: OpcuaSecurity;
  now: () => number;
  figures: SourceFigures;
}

function run(options: RunOptions, sink: SampleSink): { stop(): Promise<void> } {
  const { site, source, points, logger, where, security, now, figures } = options;
  const initialDelay = options.reconnect?.initialDelayMs ?? 500;
  const maxDelay = options.reconnect?.maxDelayMs ?? 10_000;
  const lastValues = new Map<string, SampleValue>();
  const emit = (sample: Sample) => {
    lastValues.set(sample.point, sample.value);
    figures.meter.add();
    sink(sample);
  };
  const markAll = (reason: string) => {
    const ts = now();
    for (const point of points) {
      emit({ site, point: point.id, value: lastValues.get(point.id) ?? (point.unit === 'bool' ? false : Number.NaN), quality: 'bad', reason, ts });
    }
  };
  /** `<source>.online`, on every change (and the first time) */
  let onlineReported: boolean | undefined;
  const setOnline = (online: boolean, reason?: string) => {
    figures.online = online;
    if (onlineReported === online) return;
    onlineReported = online;
    sink({ site, point: onlinePointId(source.id), value: online, quality: 'good', ts: now(), ...(reason ? { reason } : {}) });
    if (!online && reason) markAll(reason);
  };

  let session: ClientSession | undefined;
  let subscriptions: ClientSubscription[] = [];
  let certificates: OPCUACertificateManager | undefined;
  let client: OPCUAClient | undefined;
  let stopping = false;

  function createClient(manager: OPCUACertificateManager | undefined): OPCUAClient {
    const created = OPCUAClient.create({
      ...(manager ? { applicationName: 'ketwin-collector' } : {}),
      clientName: `${site}/${source.id}`,
      endpointMustExist: false,
      securityMode: security.securityMode,
      securityPolicy: security.securityPolicy,
      ...(manager ? { clientCertificateManager: manager } : {}),
      connectionStrategy: { initialDelay, maxDelay, maxRetry: -1, randomisationFactor: 0.1 },
      keepSessionAlive: true,
      requestedSessionTimeout: 60_000,
    });
    const sent = new Map<number, number>();
    created.on('send_request', (request: { schema?: { name?: string }; requestHeader?: { requestHandle?: number } }) => {
      const handle = request.requestHeader?.requestHandle;
      if (handle !== undefined && request.schema?.name !== 'PublishRequest') sent.set(handle, performance.now());
      if (sent.size > 1000) sent.clear();
    });
    created.on('receive_response', (response: { responseHeader?: { requestHandle?: number } }) => {
      const started = sent.get(response.responseHeader?.requestHandle ?? -1);
      if (started === undefined) return;
      sent.delete(response.responseHeader!.requestHandle!);
      figures.lastLatencyMs = performance.now() - started;
    });
    created.on('backoff', (attempt, delay) => logger.warn({ attempt, delayMs: delay }, `${where}: cannot reach the server, retrying`));
    created.on('connection_lost', () => {
      if (stopping) return;
      logger.warn(`${where}: connection lost`);
      setOnline(false, 'connection lost');
    });
    created.on('connection_reestablished', () => {
      if (stopping) return;
      figures.reconnects++;
      logger.info(`${where}: connection re-established`);
      setOnline(true);
    });
    return created;
  }

  async function connectOnce(): Promise<void> {
    if (security.securityMode !== 1 /* None */) {
      certificates ??= await openCertificateManager(security);
      await prepareTrust(certificates, security);
    }
    client = createClient(certificates);
    await client.connect(source.endpoint);
    if (certificates) certificates.automaticallyAcceptUnknownCertificate = false;
    if (stopping) return;
    session = await client.createSession(security.identity);
    session.on('session_restored', () => logger.info(`${where}: session restored`));
    const groups = groupPoints(points, source.maxItemsPerSubscription);
    subscriptions = await monitorPoints(session, source, groups, {
      changed: (point, dataValue) => emit(dataValueToSample(site, point, dataValue, lastValues.get(point.id), now)),
      cannotMonitor: (point, status) => {
        logger.error({ point: point.id, node: point.node, status: status.name }, `${where}: cannot monitor ${point.id}`);
        emit({ site, point: point.id, value: point.unit === 'bool' ? false : Number.NaN, quality: 'bad', reason: status.name, ts: now() });
      },
      keepAlive: (group) => {
        // deadband points: the server confirms that none of them moved past its deadband
        const ts = now();
        for (const point of group) {
          const value = lastValues.get(point.id);
          if (value !== undefined) emit({ site, point: point.id, value, quality: 'good', ts });
        }
      },
    });
    setOnline(true);
    logger.info({ points: points.length, subscriptions: subscriptions.length, securityMode: source.securityMode }, `${where}: subscribed`);
  }

  let wake: (() => void) | undefined;
  let retryTimer: NodeJS.Timeout | undefined;

  /** connects, and if setting up the channel, session or subscriptions fails, starts over after a back-off */
  const done = (async () => {
    for (let attempt = 0; !stopping; attempt++) {
      try {
        await connectOnce();
        return;
      } catch (error) {
        if (stopping) return;
        const securityProblem = explainSecurityFailure(error, security);
        if (securityProblem) logger.error({ attempt, pki: security.pkiDir }, `${where}: ${securityProblem}`);
        else logger.error({ err: error, attempt }, `${where}: set-up failed: ${(error as Error).message}`);
        setOnline(false, securityProblem ? securityProblem.replace(/:.*$/, '') : 'not connected');
        await client?.disconnect().catch(() => {});
        client = undefined;
        session = undefined;
        subscriptions = [];
        await new Promise<void>((resolve) => {
          wake = resolve;
          retryTimer = setTimeout(resolve, Math.min(maxDelay, initialDelay * 2 ** attempt));
        });
      }
    }
  })();

  return {
    async stop() {
      stopping = true;
      clearTimeout(retryTimer);
      wake?.();
      const connected = client !== undefined && !client.isReconnecting && session !== undefined;
      if (connected) {
        for (const subscription of subscriptions) {
          await subscription.terminate().catch((error: Error) => logger.warn({ err: error }, `${where}: terminate subscription failed`));
        }
        await session?.close().catch((error: Error) => logger.warn({ err: error }, `${where}: close session failed`));
      }
      await client?.disconnect();
      await done;
      await certificates?.dispose();
      figures.online = false;
      logger.info(`${where}: stopped`);
    },
  };
}
