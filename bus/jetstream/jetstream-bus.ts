/**
 * The bus across machines: NATS JetStream. Creating it checks its options and connects to nothing; the
 * first publish or subscribe starts connecting in the background (and keeps at it until close), and the
 * client reconnects by itself after that. A publish resolves once the stream acknowledged every message
 * (PubAck); without a connection or an answer within `publishTimeoutMs` it rejects with
 * `BUS_UNREACHABLE`, and the same batch offered again carries the same message ids (Nats-Msg-Id): the
 * stream stores it once within its duplicate window, and subscribers drop rows of an origin they took.
 */
import { jetstream, jetstreamManager, JetStreamApiError, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, nuid, type NatsConnection } from '@nats-io/transport-node';
import { pino, type Logger } from 'pino';
import type { Sample } from '../../model/index.ts';
import { BusError } from '../bus-errors.ts';
import type { BatchOrigin, BusChannel, BusMessage, BusSubscription, ChannelSubscriber, SampleSubscriber, TelemetryBus } from '../bus.ts';
import { createOriginWindow } from '../origin-window.ts';
import { decodeSiteBatch, encodeSiteBatch } from '../sample-batch-codec.ts';
import { startDurableSubscription } from './durable-subscription.ts';
import { DEFAULT_STREAM_LIMITS, ensureStream, type StreamLimits } from './streams.ts';
import { checkPrefix, durableName, siteNames, type SiteNames } from './subjects.ts';

export interface JetStreamBusOptions {
  /** e.g. nats://127.0.0.1:4222 (NATS_URL); several: a cluster's seeds */
  servers: string | readonly string[];
  /** first subject token and stream name prefix (default "ketwin") */
  prefix?: string;
  /** the connection's name on the server (e.g. "ketwin-edge zhoushan-demo") */
  name?: string;
  stream?: Partial<StreamLimits>;
  /** wait for a connection and for each PubAck at most this long, ms (default 5000) */
  publishTimeoutMs?: number;
  /** subscribers: deliveries of a message at most (default 5), before it goes to `<prefix>.<site>.dead` */
  maxDeliver?: number;
  /** subscribers: a message not acked within this is delivered again, ms (default 30 000) */
  ackWaitMs?: number;
  /** subscribers: delay before a failed message comes again, ms (default 1000) */
  retryDelayMs?: number;
  /** subscribers: a handler still busy keeps its message this long at most, ms (default 5 × ackWaitMs); past it the message times out */
  maxHandleMs?: number;
  /** subscribers: messages asked for per pull (default 64) */
  pullBatch?: number;
  logger?: Logger;
}

export interface JetStreamBusStats {
  connected: boolean;
  /** connections made (the first and every reconnect) */
  connects: number;
  messages: number;
  samples: number;
  bytes: number;
  /** messages the stream already had (a batch offered again) */
  duplicates: number;
  failures: number;
}

export interface JetStreamBus extends TelemetryBus {
  readonly kind: 'jetstream';
  stats(): JetStreamBusStats;
  /**
   * The stream sequence up to which the durable subscriber `name` acknowledged a site's samples (its
   * consumer's ack floor): 0 when it took none, or has no consumer yet. A new owner of the site learns from
   * it whether anything was ever taken (and so stored) before it: nothing acked, nothing to rebuild.
   */
  samplesTaken(site: string, name: string): Promise<number>;
  /** the newest message on a site's channel (an edge's last health beat) and when the server stored it; undefined: none */
  latest(site: string, channel: BusChannel): Promise<{ message: BusMessage; at: number } | undefined>;
}

interface Link {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
}

export function createJetStreamBus(options: JetStreamBusOptions): JetStreamBus {
  const servers = typeof options.servers === 'string' ? [options.servers] : [...options.servers];
  if (servers.length === 0 || servers.some((s) => !/^(nats|tls):\/\/[^\s/]+$/.test(s))) {
    throw new BusError('BUS_CONFIG', `JetStream bus: servers must be nats:// or tls:// URLs (host:port), got ${JSON.stringify(options.servers)}`);
  }
  const prefix = checkPrefix(options.prefix ?? 'ketwin');
  const limits: StreamLimits = { ...DEFAULT_STREAM_LIMITS, ...options.stream };
  const publishTimeoutMs = options.publishTimeoutMs ?? 5000;
  const maxDeliver = options.maxDeliver ?? 5;
  const ackWaitMs = options.ackWaitMs ?? 30_000;
  /** making streams and consumers: on a cluster the new consumer's leader is elected first, so longer than a PubAck */
  const managementTimeoutMs = Math.max(publishTimeoutMs, 10_000);
  if (!(publishTimeoutMs > 0 && maxDeliver >= 1 && ackWaitMs >= 1000 && limits.duplicateWindowMs > 0)) {
    throw new BusError('BUS_CONFIG', 'JetStream bus: publishTimeoutMs > 0, maxDeliver ≥ 1, ackWaitMs ≥ 1000 and a duplicate window > 0 are needed');
  }
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ part: 'bus', servers: servers.join(',') });
  const where = `JetStream bus (${servers.join(', ')})`;
  const stats: JetStreamBusStats = { connected: false, connects: 0, messages: 0, samples: 0, bytes: 0, duplicates: 0, failures: 0 };
  const names = new Map<string, SiteNames>();
  const namesOf = (site: string): SiteNames => {
    let n = names.get(site);
    if (!n) names.set(site, (n = siteNames(prefix, site)));
    return n;
  };
  /** sites whose stream is known to be there (made or found) */
  const streams = new Map<string, Promise<void>>();
  const subscriptions = new Set<BusSubscription>();
  let link: Link | undefined;
  let linking: Promise<void> | undefined;
  const waiters: (() => void)[] = [];
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let wakeRetry: (() => void) | undefined;

  /** the background connect: tried until it succeeds or the bus closes; after that the client reconnects by itself */
  function startLinking(): void {
    linking ??= (async () => {
      let failures = 0;
      while (!closed && !link) {
        try {
          const nc = await connect({ servers, name: options.name ?? 'ketwin', maxReconnectAttempts: -1, reconnectTimeWait: 1000, timeout: 2000, waitOnFirstConnect: false });
          if (closed) {
            await nc.close();
            return;
          }
          // a server without JetStream refuses here: that connection is closed, and tried again like an unreachable one
          const jsm = await jetstreamManager(nc, { timeout: managementTimeoutMs }).catch(async (error: unknown) => {
            await nc.close().catch(() => undefined);
            throw error;
          });
          link = { nc, js: jetstream(nc, { timeout: publishTimeoutMs }), jsm };
          stats.connected = true;
          stats.connects++;
          logger.info(`${where}: connected`);
          watch(nc);
          for (const wake of waiters.splice(0)) wake();
        } catch (error) {
          failures++;
          if (failures === 1) logger.warn({ err: error }, `${where}: not reachable; trying again every second`);
          await new Promise<void>((r) => {
            wakeRetry = r;
            retryTimer = setTimeout(r, 1000);
          });
        }
      }
    })();
  }

  function watch(nc: NatsConnection): void {
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect') {
          stats.connected = false;
          logger.warn(`${where}: link lost; reconnecting`);
        } else if (status.type === 'reconnect') {
          stats.connected = true;
          stats.connects++;
          logger.info(`${where}: link back`);
        }
      }
    })();
  }

  async function linked(what: string): Promise<Link> {
    if (closed) throw new BusError('BUS_CLOSED', `${where}: ${what} after close`);
    startLinking();
    if (link) return link;
    let timer: NodeJS.Timeout | undefined;
    let wake: (() => void) | undefined;
    await new Promise<void>((resolve, reject) => {
      wake = resolve;
      waiters.push(resolve);
      timer = setTimeout(() => reject(new BusError('BUS_UNREACHABLE', `${where}: not connected within ${publishTimeoutMs} ms (${what})`)), publishTimeoutMs);
    }).finally(() => {
      clearTimeout(timer);
      const at = waiters.indexOf(wake!);
      if (at >= 0) waiters.splice(at, 1); // a caller that gave up waits no more
    });
    return link!;
  }

  function failure(error: unknown, what: string, site: string): BusError {
    stats.failures++;
    if (error instanceof BusError) return error;
    streams.delete(site); // a stream deleted under us is made again at the next try
    const text = error instanceof Error ? error.message : String(error);
    if (error instanceof JetStreamApiError) return new BusError('BUS_REJECTED', `${where}: ${what} refused: ${text}`, { cause: error });
    return new BusError('BUS_UNREACHABLE', `${where}: ${what}: ${text}`, { cause: error });
  }

  async function streamOf(l: Link, site: string): Promise<SiteNames> {
    const n = namesOf(site);
    let made = streams.get(site);
    if (!made) {
      made = ensureStream(l.jsm, n, limits, 'create');
      streams.set(site, made);
      made.catch(() => streams.delete(site));
    }
    await made;
    return n;
  }

  async function publishSite(l: Link, site: string, samples: Sample[], at: number[], origin: string): Promise<void> {
    const n = await streamOf(l, site);
    const maxPayload = (l.nc.info?.max_payload ?? 1 << 20) - 4096;
    const send = async (from: number, to: number): Promise<void> => {
      const data = encodeSiteBatch({ site, samples: samples.slice(from, to), positions: at.slice(from, to), origin });
      if (data.length > maxPayload && to - from > 1) {
        const mid = (from + to) >> 1;
        await send(from, mid);
        await send(mid, to);
        return;
      }
      const ack = await l.js.publish(n.samples, data, { msgID: `${origin}:${site}:${at[from]}-${at[to - 1]! + 1}`, timeout: publishTimeoutMs, expect: { streamName: n.stream } });
      stats.messages++;
      stats.bytes += data.length;
      if (ack.duplicate) stats.duplicates++;
      else stats.samples += to - from;
    };
    await send(0, samples.length);
  }

  const bus: JetStreamBus = {
    kind: 'jetstream',
    async publishSamples(samples, origin?: BatchOrigin) {
      if (samples.length === 0) return;
      const l = await linked('publishSamples');
      const from = origin ?? { origin: nuid.next(), start: 0, end: samples.length };
      const bySite = new Map<string, { samples: Sample[]; at: number[] }>();
      const holes = from.holes && from.holes.length > 0 ? new Set(from.holes) : undefined;
      let position = from.start;
      for (const sample of samples) {
        if (holes) while (holes.has(position)) position++;
        let part = bySite.get(sample.site);
        if (!part) bySite.set(sample.site, (part = { samples: [], at: [] }));
        part.samples.push(sample);
        part.at.push(position++);
      }
      if (position > from.end) throw new BusError('BUS_CONFIG', `${where}: a batch of ${samples.length} samples does not fit positions ${from.start}–${from.end}`);
      // sites in parallel; within a site one message after the other, so that their order is the stream's
      await Promise.all(
        [...bySite].map(([site, part]) =>
          publishSite(l, site, part.samples, part.at, from.origin).catch((error: unknown) => Promise.reject(failure(error, `publishing samples of site ${site}`, site))),
        ),
      );
    },

    async subscribeSamples(subscriber: SampleSubscriber) {
      const sites = requireSites(subscriber.sites, subscriber.name);
      const l = await linked('subscribeSamples');
      return subscribeEach(sites, `${subscriber.name} to samples`, (site) => {
        const n = namesOf(site);
        const window = createOriginWindow();
        return startDurableSubscription({
          ...l,
          names: n,
          limits,
          pullBatch: options.pullBatch ?? 64,
          retryDelayMs: options.retryDelayMs ?? 1000,
          maxHandleMs: options.maxHandleMs ?? 5 * ackWaitMs,
          logger,
          consumer: { name: durableName(subscriber.name, 'samples'), filter: n.samples, maxDeliver, ackWaitMs, maxAckPending: 1 },
          async handle(message, s) {
            const { samples, origin } = decodeSiteBatch(site, message.data);
            const { fresh, duplicates } = window.fresh(samples, origin);
            s.duplicates += duplicates;
            if (fresh.length > 0) await subscriber.handle(fresh);
            s.samples += fresh.length;
            window.mark(origin);
          },
        });
      });
    },

    async publish(site, channel: BusChannel, message: BusMessage, id?: string) {
      const l = await linked(`publish ${channel}`);
      try {
        const n = await streamOf(l, site);
        await l.js.publish(n.channel(channel), JSON.stringify(message), { msgID: id ?? nuid.next(), timeout: publishTimeoutMs, expect: { streamName: n.stream } });
        stats.messages++;
      } catch (error) {
        throw failure(error, `publishing ${channel} of site ${site}`, site);
      }
    },

    async subscribe(channel: BusChannel, subscriber: ChannelSubscriber) {
      const sites = requireSites(subscriber.sites, subscriber.name);
      const l = await linked(`subscribe ${channel}`);
      return subscribeEach(sites, `${subscriber.name} to ${channel}`, (site) => {
        const n = namesOf(site);
        return startDurableSubscription({
          ...l,
          names: n,
          limits,
          pullBatch: options.pullBatch ?? 64,
          retryDelayMs: options.retryDelayMs ?? 1000,
          maxHandleMs: options.maxHandleMs ?? 5 * ackWaitMs,
          logger,
          consumer: { name: durableName(subscriber.name, channel), filter: n.channel(channel), maxDeliver, ackWaitMs, maxAckPending: 1 },
          async handle(message) {
            let parsed: BusMessage;
            try {
              parsed = message.json<BusMessage>();
            } catch (error) {
              throw new BusError('BUS_DECODE', `${channel} of site ${site}: not JSON (${(error as Error).message})`);
            }
            if (typeof parsed?.type !== 'string') throw new BusError('BUS_DECODE', `${channel} of site ${site}: a message without a type`);
            await subscriber.handle(site, parsed);
          },
        });
      });
    },

    stats: () => ({ ...stats }),

    async samplesTaken(site, name) {
      const { jsm } = await linked('reading a consumer');
      try {
        return (await jsm.consumers.info(namesOf(site).stream, durableName(name, 'samples'))).ack_floor.stream_seq;
      } catch (error) {
        if (error instanceof JetStreamApiError && error.status === 404) return 0; // no stream or no consumer yet: nothing taken
        throw failure(error, 'reading a consumer', site);
      }
    },

    async latest(site, channel) {
      const { jsm } = await linked('reading the last message');
      const n = namesOf(site);
      let stored;
      try {
        stored = await jsm.streams.getMessage(n.stream, { last_by_subj: n.channel(channel) });
      } catch (error) {
        if (error instanceof JetStreamApiError && error.status === 404) return undefined; // no stream, or nothing on the channel
        throw failure(error, 'reading the last message', site);
      }
      if (!stored) return undefined;
      const parsed = stored.json<BusMessage>();
      if (typeof parsed?.type !== 'string') throw new BusError('BUS_DECODE', `${channel} of site ${site}: a message without a type`);
      return { message: parsed, at: stored.time.getTime() };
    },

    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(retryTimer);
      wakeRetry?.();
      for (const wake of waiters.splice(0)) wake();
      await Promise.all([...subscriptions].map((s) => s.stop()));
      await linking;
      if (link) await link.nc.drain().catch(() => link!.nc.close());
      stats.connected = false;
    },
  };

  function requireSites(sites: readonly string[] | undefined, name: string): readonly string[] {
    if (!sites || sites.length === 0) throw new BusError('BUS_CONFIG', `${where}: subscriber ${name} must name its sites (one stream each)`);
    return sites;
  }

  /** one durable subscription per site, all or none: a site that cannot be subscribed stops the others */
  async function subscribeEach(sites: readonly string[], what: string, start: (site: string) => Promise<BusSubscription>): Promise<BusSubscription> {
    const settled = await Promise.allSettled(sites.map((site) => start(site)));
    const parts = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = settled.findIndex((r) => r.status === 'rejected');
    if (failed >= 0) {
      await Promise.all(parts.map((p) => p.stop()));
      throw failure((settled[failed] as PromiseRejectedResult).reason, `subscribing ${what} of site ${sites[failed]}`, sites[failed]!);
    }
    return track(parts);
  }

  function track(parts: BusSubscription[]): BusSubscription {
    const whole: BusSubscription = {
      stats: () =>
        parts
          .map((p) => p.stats())
          .reduce((a, b) => ({
            handled: a.handled + b.handled,
            samples: a.samples + b.samples,
            retried: a.retried + b.retried,
            deadLettered: a.deadLettered + b.deadLettered,
            duplicates: a.duplicates + b.duplicates,
          })),
      async stop() {
        subscriptions.delete(whole);
        await Promise.all(parts.map((p) => p.stop()));
      },
    };
    subscriptions.add(whole);
    return whole;
  }

  return bus;
}
