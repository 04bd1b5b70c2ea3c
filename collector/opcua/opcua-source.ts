import {
  AttributeIds,
  DataChangeFilter,
  DataChangeTrigger,
  DeadbandType,
  MessageSecurityMode,
  OPCUAClient,
  SecurityPolicy,
  TimestampsToReturn,
  resolveNodeId,
  type ClientSession,
  type ClientSubscription,
} from 'node-opcua';
import { pino, type Logger } from 'pino';
import type { OpcuaSource, Point, Sample, SampleValue } from '../../model/index.ts';
import { CollectorError, type SampleSink, type Source } from '../source.ts';
import { dataValueToSample } from './data-value-to-sample.ts';

export interface OpcuaSourceOptions {
  /** site id stamped on every sample */
  site: string;
  source: OpcuaSource;
  /** the points read from this source (each with a `node`) */
  points: Point[];
  logger?: Logger;
  /** reconnection back-off, ms (defaults 500 → 10 000) */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  now?: () => number;
}

/** An OPC-UA server read through one session and one subscription, a monitored item per point. */
export function createOpcuaSource(options: OpcuaSourceOptions): Source {
  const { site, source } = options;
  const where = `OPC-UA source ${source.id} (${source.endpoint})`;
  const points = validate(options, where);
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ site, source: source.id, endpoint: source.endpoint });
  let running: { stop(): Promise<void> } | undefined;

  return {
    id: source.id,
    async start(sink) {
      if (running) throw new CollectorError('COLLECTOR_STATE', `${where}: already started`);
      running = run({ ...options, points, logger, where }, sink);
    },
    async stop() {
      const current = running;
      running = undefined;
      await current?.stop();
    },
  };
}

function validate({ source, points }: OpcuaSourceOptions, where: string): Point[] {
  if (source.protocol !== 'opcua') throw new CollectorError('COLLECTOR_CONFIG', `${where}: protocol is ${String(source.protocol)}, not opcua`);
  if (source.securityMode !== 'None') {
    throw new CollectorError('COLLECTOR_CONFIG', `${where}: securityMode ${source.securityMode} is not supported yet; use None`);
  }
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
}

function run(options: RunOptions, sink: SampleSink): { stop(): Promise<void> } {
  const { site, source, points, logger } = options;
  const now = options.now ?? Date.now;
  const initialDelay = options.reconnect?.initialDelayMs ?? 500;
  const maxDelay = options.reconnect?.maxDelayMs ?? 10_000;
  const lastValues = new Map<string, SampleValue>();
  const emit = (sample: Sample) => {
    lastValues.set(sample.point, sample.value);
    sink(sample);
  };
  const markAll = (reason: string) => {
    const ts = now();
    for (const point of points) {
      emit({ site, point: point.id, value: lastValues.get(point.id) ?? (point.unit === 'bool' ? false : Number.NaN), quality: 'bad', reason, ts });
    }
  };

  let session: ClientSession | undefined;
  let subscription: ClientSubscription | undefined;
  let stopping = false;

  const client = OPCUAClient.create({
    clientName: `${site}/${source.id}`,
    endpointMustExist: false,
    securityMode: MessageSecurityMode.None,
    securityPolicy: SecurityPolicy.None,
    connectionStrategy: { initialDelay, maxDelay, maxRetry: -1, randomisationFactor: 0.1 },
    keepSessionAlive: true,
    requestedSessionTimeout: 60_000,
  });
  client.on('backoff', (attempt, delay) => logger.warn({ attempt, delayMs: delay }, `${options.where}: cannot connect, retrying`));
  client.on('connection_lost', () => {
    if (stopping) return;
    logger.warn(`${options.where}: connection lost`);
    markAll('connection lost');
  });
  client.on('connection_reestablished', () => logger.info(`${options.where}: connection re-established`));

  let wake: (() => void) | undefined;
  let retryTimer: NodeJS.Timeout | undefined;

  async function connectOnce(): Promise<void> {
    await client.connect(source.endpoint);
    if (stopping) return;
    session = await client.createSession();
    session.on('session_restored', () => logger.info(`${options.where}: session restored`));
    subscription = await session.createSubscription2({
      requestedPublishingInterval: source.publishingIntervalMs,
      requestedLifetimeCount: 1000,
      requestedMaxKeepAliveCount: 10,
      maxNotificationsPerPublish: 0,
      publishingEnabled: true,
      priority: 10,
    });
    const group = await subscription.monitorItems(
      points.map((p) => ({ nodeId: p.node!, attributeId: AttributeIds.Value })),
      {
        samplingInterval: source.publishingIntervalMs,
        queueSize: 10,
        discardOldest: true,
        filter: new DataChangeFilter({ trigger: DataChangeTrigger.StatusValueTimestamp, deadbandType: DeadbandType.None }),
      },
      TimestampsToReturn.Both,
    );
    group.on('changed', (_item, dataValue, index) => {
      const point = points[index];
      if (point) emit(dataValueToSample(site, point, dataValue, lastValues.get(point.id), now));
    });
    group.monitoredItems.forEach((item, index) => {
      const point = points[index]!;
      if (item.statusCode.isBad()) {
        logger.error({ point: point.id, node: point.node, status: item.statusCode.name }, `${options.where}: cannot monitor ${point.id}`);
        emit({ site, point: point.id, value: point.unit === 'bool' ? false : Number.NaN, quality: 'bad', reason: item.statusCode.name, ts: now() });
      }
    });
    logger.info({ points: points.length }, `${options.where}: subscribed`);
  }

  /** connects, and if setting up the session or subscription fails, starts over after a back-off */
  const done = (async () => {
    for (let attempt = 0; !stopping; attempt++) {
      try {
        await connectOnce();
        return;
      } catch (error) {
        if (stopping) return;
        logger.error({ err: error, attempt }, `${options.where}: set-up failed: ${(error as Error).message}`);
        await client.disconnect().catch(() => {});
        session = subscription = undefined;
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
      const connected = client.isReconnecting === false && session !== undefined;
      if (connected) {
        await subscription?.terminate().catch((error: Error) => logger.warn({ err: error }, `${options.where}: terminate subscription failed`));
        await session?.close().catch((error: Error) => logger.warn({ err: error }, `${options.where}: close session failed`));
      }
      await client.disconnect();
      await done;
      logger.info(`${options.where}: stopped`);
    },
  };
}
