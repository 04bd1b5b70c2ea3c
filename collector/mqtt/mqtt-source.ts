import { readFileSync } from 'node:fs';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { pino, type Logger } from 'pino';
import { isSparkplugMapping, systemClock, type MqttSource, type Point, type SampleValue } from '../../model/index.ts';
import { createOnlineSignal } from '../online-signal.ts';
import { createSourceFigures } from '../source-figures.ts';
import { sourceLife } from '../source-life.ts';
import { CollectorError, onlinePointId, type SampleSink, type Source } from '../source.ts';
import { createWarnLimiter } from '../warn-limiter.ts';
import { createJsonPoints } from './json-points.ts';
import type { Reading } from './reading.ts';
import { createSparkplugHost } from './sparkplug-host.ts';
import { rebirthRequest } from './sparkplug-payload.ts';
import { hostStateTopic, nodeCommandTopic } from './sparkplug-topic.ts';

export interface MqttSourceOptions {
  /** site id stamped on every sample */
  site: string;
  source: MqttSource;
  /** the points read from this source (each with an `mqtt` mapping) */
  points: Point[];
  logger?: Logger;
  /** where passwordEnv is looked up (default process.env) */
  env?: Record<string, string | undefined>;
  /** reconnection back-off, ms (defaults 500 → 10 000) */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /** the least time between two rebirth requests to one node, ms (default 5000) */
  rebirthIntervalMs?: number;
  now?: () => number;
}

/** What the source knows of one point between messages. */
interface Cell {
  point: Point;
  value: SampleValue | undefined;
  good: boolean;
}

/**
 * Points read from an MQTT broker: JSON fields of topics, and Sparkplug B metrics of edge nodes.
 * One client, a persistent session (clean: false) subscribed at QoS 1, reconnecting with back-off.
 * The only messages it ever publishes are Sparkplug rebirth requests (NCMD Node Control/Rebirth), only with
 * `rebirth: true`, and, with a `sparkplugHostId`, its Sparkplug host STATE.
 */
export function createMqttSource(options: MqttSourceOptions): Source {
  const { site, source } = options;
  const where = `MQTT source ${source.id} (${source.endpoint})`;
  const connection = validate(options, where);
  const json = createJsonPoints(options.points, where);
  const sparkplug = createSparkplugHost(source.sparkplugGroup, options.points);
  const filters = [...json.filters, ...sparkplug.filters];
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ site, source: source.id, endpoint: source.endpoint });
  const now = options.now ?? systemClock.now;
  const figures = createSourceFigures(now);

  return sourceLife(source.id, 'mqtt', where, figures, (sink) => subscribe(sink));

  function subscribe(sink: SampleSink): { stop(): Promise<void> } {
    const initialDelay = options.reconnect?.initialDelayMs ?? 500;
    const maxDelay = options.reconnect?.maxDelayMs ?? 10_000;
    const rebirthInterval = options.rebirthIntervalMs ?? 5000;
    const warnings = createWarnLimiter(logger, { now });
    const cells = new Map<string, Cell>(options.points.map((point) => [point.id, { point, value: undefined, good: false }]));
    const online = createOnlineSignal(options.points.length, (value, reason) => {
      figures.online = value;
      sink({ site, point: onlinePointId(source.id), value, quality: 'good', ts: now(), ...(reason ? { reason } : {}) });
    });
    const deliver = (reading: Reading) => {
      const cell = cells.get(reading.point.id)!;
      figures.meter.add();
      if (reading.bad === undefined) {
        if (!cell.good) online.reading(true, false, undefined);
        cell.good = true;
        cell.value = reading.value;
        sink({ site, point: cell.point.id, value: reading.value, quality: 'good', ts: reading.ts });
        return;
      }
      online.reading(false, cell.good, reading.bad);
      cell.good = false;
      warnings.warn(`bad reading: ${reading.point.id}`, { point: reading.point.id, reason: reading.bad }, `${where}: ${reading.point.id} bad: ${reading.bad}`);
      sink({ site, point: cell.point.id, value: cell.value ?? (cell.point.unit === 'bool' ? false : Number.NaN), quality: 'bad', reason: reading.bad, ts: reading.ts });
    };

    // Sparkplug data are reports by exception: while the broker holds the host's connection and has published no
    // death for a node, the node's last values stand (its will would say otherwise within 1.5 of its keep-alives),
    // so they are delivered again, like an OPC-UA subscription's keep-alive, and never look stale
    const sparkplugCells = [...cells.values()].filter((cell) => cell.point.mqtt !== undefined && isSparkplugMapping(cell.point.mqtt));
    const refresh =
      sparkplugCells.length === 0
        ? undefined
        : setInterval(
            () => {
              if (!client.connected) return;
              const ts = now();
              for (const cell of sparkplugCells) if (cell.good) sink({ site, point: cell.point.id, value: cell.value!, quality: 'good', ts });
            },
            Math.max(50, Math.min(...sparkplugCells.map((cell) => cell.point.staleAfterMs)) / 3),
          );

    let connections = 0;
    let stopping = false;
    let downReported = false;
    let lastError: string | undefined;
    const rebirthAskedAt = new Map<string, number>();

    // the host's STATE: the will says offline with the time of the connection it belongs to, the same time the online message then carries
    const hostId = source.sparkplugHostId;
    let stateTs = now();
    const statePayload = (isOnline: boolean) => Buffer.from(JSON.stringify({ online: isOnline, timestamp: stateTs }));
    const stateWill = () => (hostId ? { will: { topic: hostStateTopic(hostId), payload: statePayload(false), qos: 1 as const, retain: true } } : {});
    const publishOnline = () => {
      if (hostId) client.publish(hostStateTopic(hostId), statePayload(true), { qos: 1, retain: true });
    };

    const client: MqttClient = connect(connection.url, { ...connection.options, reconnectPeriod: initialDelay, ...stateWill() });

    /** the broker cannot be reached: offline, every point bad with the reason, once per outage */
    const reportDown = (reason: string) => {
      if (downReported) return;
      downReported = true;
      warnings.warn(`unreachable: ${reason}`, { reason }, `${where}: broker unreachable`);
      online.lost(reason);
      const ts = now();
      for (const cell of cells.values()) deliver({ point: cell.point, ts, bad: reason });
    };
    const rebirthLater = new Map<string, NodeJS.Timeout>();
    /** a rebirth request, at most one per node per rebirthIntervalMs: one asked sooner is sent when the interval ends */
    const askRebirth = (node: string, reason: string, force = false) => {
      if (!source.rebirth || !client.connected || rebirthLater.has(node)) return;
      const at = now();
      const wait = force ? 0 : (rebirthAskedAt.get(node) ?? Number.NEGATIVE_INFINITY) + rebirthInterval - at;
      if (wait > 0) {
        rebirthLater.set(
          node,
          setTimeout(() => {
            rebirthLater.delete(node);
            askRebirth(node, reason);
          }, wait),
        );
        return;
      }
      rebirthAskedAt.set(node, at);
      warnings.info(`rebirth: ${node}: ${reason}`, { node, reason }, `${where}: rebirth requested from node ${node}: ${reason}`);
      client.publish(nodeCommandTopic(source.sparkplugGroup!, node), Buffer.from(rebirthRequest(at)), { qos: 0 });
    };

    client.on('connect', () => {
      if (connections++ > 0) figures.reconnects++;
      client.options.reconnectPeriod = initialDelay;
      downReported = false;
      lastError = undefined;
      online.connected();
      warnings.info('connected', { connections }, `${where}: connected`);
      if (filters.length === 0) publishOnline();
      else
        client.subscribe(filters, { qos: 1 }, (error, granted) => {
          publishOnline();
          if (error) return void warnings.warn(`subscribe failed: ${error.message}`, { reason: error.message }, `${where}: subscribe failed`);
          for (const grant of granted ?? []) {
            if (grant.qos !== 128) continue;
            const reason = `the broker refused the subscription to ${grant.topic}`;
            warnings.error(`refused: ${grant.topic}`, { topic: grant.topic }, `${where}: ${reason}`);
            for (const point of json.pointsOf(grant.topic)) deliver({ point, ts: now(), bad: reason });
          }
        });
      // a node born before this connection (or while it was away) sends its births again; Sparkplug's data are reports by exception
      for (const node of sparkplug.nodes) askRebirth(node, 'the host connected', true);
    });
    client.on('message', (topic, payload) => {
      const arrivedAt = now();
      const outcome = sparkplug.read(topic, payload, arrivedAt);
      if (!outcome) {
        for (const reading of json.read(topic, payload, arrivedAt)) deliver(reading);
        return;
      }
      for (const reading of outcome.readings) deliver(reading);
      if (outcome.rebirth) askRebirth(outcome.rebirth.node, outcome.rebirth.reason);
    });
    client.on('error', (error: Error & { code?: unknown }) => {
      lastError = typeof error.code === 'string' ? error.code : error.message;
    });
    client.on('close', () => {
      if (stopping) return;
      if (hostId) {
        stateTs = now();
        Object.assign(client.options, stateWill());
      }
      reportDown(connections === 0 || lastError ? `not connected (${lastError ?? 'no answer'})` : 'connection lost');
      lastError = undefined;
      client.options.reconnectPeriod = Math.min(maxDelay, Math.max(initialDelay, (client.options.reconnectPeriod ?? initialDelay) * 2));
    });

    return {
      async stop() {
        stopping = true;
        clearInterval(refresh);
        for (const timer of rebirthLater.values()) clearTimeout(timer);
        if (hostId && client.connected) await client.publishAsync(hostStateTopic(hostId), statePayload(false), { qos: 1, retain: true }).catch(() => undefined);
        await new Promise<void>((resolve) => client.end(true, {}, () => resolve()));
        warnings.stop();
      },
    };
  }
}

/** The broker's URL and the client's options; every setting checked here too, since a source built in code skips the schema. */
function validate({ site, source, points, env = process.env }: MqttSourceOptions, where: string): { url: string; options: IClientOptions } {
  if (source.protocol !== 'mqtt') throw new CollectorError('COLLECTOR_CONFIG', `${where}: protocol is ${String(source.protocol)}, not mqtt`);
  const match = /^(mqtts?):\/\/([^/\s:]+):(\d+)$/.exec(source.endpoint);
  const port = Number(match?.[3]);
  if (!match || !(port > 0 && port < 65536)) throw new CollectorError('COLLECTOR_CONFIG', `${where}: endpoint must look like mqtt://host:1883 or mqtts://host:8883`);
  for (const point of points) {
    if (point.source !== source.id) throw new CollectorError('COLLECTOR_CONFIG', `${where}: point ${point.id} belongs to source ${point.source}`);
    if (!point.mqtt) throw new CollectorError('COLLECTOR_CONFIG', `${where}: point ${point.id} has no mqtt mapping`);
    if ('metric' in point.mqtt && !source.sparkplugGroup)
      throw new CollectorError('COLLECTOR_CONFIG', `${where}: point ${point.id} is a Sparkplug metric, but the source names no sparkplugGroup`);
  }
  const options: IClientOptions = {
    clientId: source.clientId ?? `ketwin-${site}-${source.id}`,
    clean: false,
    protocolVersion: 4,
    keepalive: source.keepaliveS,
    connectTimeout: 10_000,
    resubscribe: false,
    reconnectOnConnackError: true,
  };
  if (source.username !== undefined || source.passwordEnv !== undefined) {
    if (!source.username || !source.passwordEnv) throw new CollectorError('COLLECTOR_CONFIG', `${where}: username and passwordEnv go together`);
    const password = env[source.passwordEnv];
    if (password === undefined)
      throw new CollectorError('COLLECTOR_CONFIG', `${where}: environment variable ${source.passwordEnv} (the password of user ${source.username}) is not set`);
    options.username = source.username;
    options.password = password;
  }
  if (source.caFile !== undefined) {
    if (match[1] !== 'mqtts') throw new CollectorError('COLLECTOR_CONFIG', `${where}: caFile needs an mqtts:// endpoint`);
    try {
      options.ca = readFileSync(source.caFile);
    } catch (error) {
      throw new CollectorError('COLLECTOR_CONFIG', `${where}: cannot read caFile ${source.caFile} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  if (match[1] === 'mqtts') options.rejectUnauthorized = true;
  return { url: source.endpoint, options };
}
