import { OPCUAClient, resolveNodeId, type ClientSession, type ClientSubscription, type OPCUACertificateManager } from 'node-opcua';
import { pino, type Logger } from 'pino';
import { systemClock, type OpcuaSource, type Point, type Sample, type SampleValue } from '../../model/index.ts';
import { createSourceFigures, type SourceFigures } from '../source-figures.ts';
import { sourceLife } from '../source-life.ts';
import { CollectorError, onlinePointId, type SampleSink, type Source } from '../source.ts';
import { createOnlineSignal } from '../online-signal.ts';
import { createWarnLimiter } from '../warn-limiter.ts';
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
  const now = options.now ?? systemClock.now;
  const figures = createSourceFigures(now);

  return sourceLife(source.id, 'opcua', where, figures, (sink) => run({ ...options, points, logger, where, security, now, figures }, sink));
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

/** What the source knows of one point between its readings. */
interface Cell {
  point: Point;
  /** the last value delivered */
  value: SampleValue | undefined;
  /** the last sample delivered was good */
  good: boolean;
  /** the server's last word on the point (a stale mark does not change it; a lost connection clears it) */
  heard: Sample | undefined;
  /** a sample was delivered since the last sweep */
  fresh: boolean;
}

function run(options: RunOptions, sink: SampleSink): { stop(): Promise<void> } {
  const { site, source, points, logger, where, security, now, figures } = options;
  const initialDelay = options.reconnect?.initialDelayMs ?? 500;
  const maxDelay = options.reconnect?.maxDelayMs ?? 10_000;
  const warnings = createWarnLimiter(logger, { now });
  const cells = new Map<string, Cell>(points.map((point) => [point.id, { point, value: undefined, good: false, heard: undefined, fresh: false }]));
  /** `<source>.online`: true once a point reads good, false when none does or the connection is gone */
  const online = createOnlineSignal(points.length, (value, reason) => {
    figures.online = value;
    sink({ site, point: onlinePointId(source.id), value, quality: 'good', ts: now(), ...(reason ? { reason } : {}) });
  });
  const emit = (sample: Sample, cell: Cell) => {
    const good = sample.quality === 'good';
    online.reading(good, cell.good, sample.reason);
    cell.good = good;
    cell.value = sample.value;
    cell.fresh = true;
    figures.meter.add();
    sink(sample);
  };
  const markBad = (cell: Cell, reason: string, ts: number) => {
    emit({ site, point: cell.point.id, value: cell.value ?? (cell.point.unit === 'bool' ? false : Number.NaN), quality: 'bad', reason, ts }, cell);
  };
  /** the server cannot be reached or the connection is gone, reported once per outage */
  let down = false;
  /** the connection (or its set-up) failed: offline, and every point bad with the reason, once per outage */
  const lose = (reason: string) => {
    if (down) return;
    down = true;
    online.lost(reason);
    const ts = now();
    for (const cell of cells.values()) {
      cell.heard = undefined;
      markBad(cell, reason, ts);
    }
  };

  let session: ClientSession | undefined;
  let subscriptions: ClientSubscription[] = [];
  let groups: { cells: Cell[]; aliveAt: number; silent: boolean }[] = [];
  let certificates: OPCUACertificateManager | undefined;
  let client: OPCUAClient | undefined;
  let connected = false;
  let stopping = false;

  /**
   * Staleness of a subscribed point is the health of its subscription, not the age of its last
   * change: a server reporting by exception sends nothing while a value holds, but answers every
   * publish request at least every publishing interval × keep-alive count. While it does, a point
   * that has had no sample for a sweep is delivered again as the server last gave it (with
   * ts = now: the server has just confirmed it holds), so nothing downstream takes it for stale;
   * a subscription silent past twice its keep-alive period (and a sweep) turns its good points bad 'stale'.
   */
  const sweepEveryMs = Math.min(600_000, Math.max(20, Math.min(...points.map((p) => p.staleAfterMs)) / 4));
  const sweep = () => {
    if (!connected) return;
    const at = now();
    for (const [index, group] of groups.entries()) {
      const subscription = subscriptions[index];
      if (!subscription) continue;
      const keepAliveMs = subscription.publishingInterval * subscription.maxKeepAliveCount;
      const silentFor = at - group.aliveAt;
      if (silentFor > 2 * keepAliveMs + sweepEveryMs) {
        if (!group.silent) {
          group.silent = true;
          warnings.warn(
            `subscription ${index} silent`,
            { subscription: index, silentForMs: silentFor, keepAliveMs },
            `${where}: subscription silent for ${silentFor} ms (keep-alive due every ${keepAliveMs} ms): its points are stale`,
          );
        }
        for (const cell of group.cells) {
          if (cell.good) markBad(cell, 'stale', at);
          cell.fresh = false;
        }
        continue;
      }
      group.silent = false;
      for (const cell of group.cells) {
        if (cell.fresh) cell.fresh = false;
        else if (cell.heard) emit({ ...cell.heard, ts: at }, cell);
      }
    }
  };
  const sweeper = points.length > 0 ? setInterval(sweep, sweepEveryMs) : undefined;

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
    created.on('backoff', (attempt, delay) => {
      if (stopping) return;
      warnings.warn('backoff', { attempt, delayMs: delay }, `${where}: cannot reach the server, retrying`);
      lose('not connected'); // a server that is down from the start is as much a comms loss as one that went away
    });
    created.on('connection_lost', () => {
      if (stopping) return;
      connected = false;
      warnings.warn('connection lost', {}, `${where}: connection lost`);
      lose('connection lost');
    });
    created.on('connection_reestablished', () => {
      if (stopping) return;
      figures.reconnects++;
      logger.info(`${where}: connection re-established`);
      // online again with the first good value the server sends (it re-sends every value)
      const at = now();
      for (const group of groups) group.aliveAt = at;
      connected = true;
      down = false;
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
    const pointGroups = groupPoints(points, source.maxItemsPerSubscription);
    const at = now();
    groups = pointGroups.map((group) => ({ cells: group.points.map((p) => cells.get(p.id)!), aliveAt: at, silent: false }));
    subscriptions = await monitorPoints(session, source, pointGroups, {
      changed: (point, dataValue) => {
        const cell = cells.get(point.id)!;
        const sample = dataValueToSample(site, point, dataValue, cell.value, now);
        cell.heard = sample;
        emit(sample, cell);
      },
      cannotMonitor: (point, status) => {
        warnings.error(`cannot monitor ${point.id}`, { point: point.id, node: point.node, status: status.name }, `${where}: cannot monitor ${point.id}`);
        const cell = cells.get(point.id)!;
        // the server's answer for good: repeated while the subscription lives, like any other
        cell.heard = { site, point: point.id, value: cell.value ?? (point.unit === 'bool' ? false : Number.NaN), quality: 'bad', reason: status.name, ts: now() };
        emit(cell.heard, cell);
      },
      alive: (group) => {
        const held = groups[group];
        if (held) held.aliveAt = now();
      },
    });
    connected = true;
    down = false;
    online.connected();
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
        if (securityProblem) warnings.error(securityProblem, { attempt, pki: security.pkiDir }, `${where}: ${securityProblem}`);
        else warnings.error(`set-up failed: ${(error as Error).message}`, { err: error, attempt }, `${where}: set-up failed: ${(error as Error).message}`);
        connected = false;
        lose(securityProblem ? securityProblem.replace(/:.*$/, '') : 'not connected');
        await client?.disconnect().catch(() => {});
        client = undefined;
        session = undefined;
        subscriptions = [];
        groups = [];
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
      connected = false;
      clearInterval(sweeper);
      clearTimeout(retryTimer);
      wake?.();
      if (client !== undefined && !client.isReconnecting && session !== undefined) {
        for (const subscription of subscriptions) {
          await subscription.terminate().catch((error: Error) => logger.warn({ err: error }, `${where}: terminate subscription failed`));
        }
        await session?.close().catch((error: Error) => logger.warn({ err: error }, `${where}: close session failed`));
      }
      await client?.disconnect();
      await done;
      await certificates?.dispose();
      warnings.stop();
      figures.online = false;
      logger.info(`${where}: stopped`);
    },
  };
}
