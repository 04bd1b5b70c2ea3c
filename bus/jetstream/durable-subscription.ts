/**
 * One durable pull consumer on one site's stream, read in order: a message is acked after its handler
 * finished (reported working meanwhile, up to `maxHandleMs`), asked for again (nak, with a delay) when the handler failed, and on its last allowed delivery
 * (the consumer's max_deliver) republished to `<prefix>.<site>.dead` with why, then terminated. A message
 * that timed out on its last delivery (a handler that hung) is told by the server's max-deliveries
 * advisory and goes to the same subject; the dead letter's message id is the stream and sequence, so
 * both ways give one.
 */
import type { JetStreamClient, JetStreamManager, JsMsg, ConsumerMessages } from '@nats-io/jetstream';
import { headers, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { BusError } from '../bus-errors.ts';
import { emptySubscriptionStats, type BusSubscription, type SubscriptionStats } from '../bus.ts';
import { ensureConsumer, ensureStream, type ConsumerSettings, type StreamLimits } from './streams.ts';
import type { SiteNames } from './subjects.ts';

export interface DurableSubscriptionOptions {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  names: SiteNames;
  limits: StreamLimits;
  consumer: ConsumerSettings;
  /** messages asked for per pull */
  pullBatch: number;
  /** delay before a failed message is delivered again, ms */
  retryDelayMs: number;
  /**
   * a handler still busy is reported working (the server's ack_wait starts again) for this long at most;
   * past it the message times out: delivered again, or on its last delivery dead-lettered by the advisory
   */
  maxHandleMs: number;
  /** handles one message; throws to have it again (a `BUS_DECODE` error: at once to the dead subject) */
  handle(message: JsMsg, stats: SubscriptionStats): Promise<void>;
  logger: Logger;
}

const DEAD = {
  subject: 'Ketwin-Dead-Subject',
  sequence: 'Ketwin-Dead-Stream-Seq',
  consumer: 'Ketwin-Dead-Consumer',
  deliveries: 'Ketwin-Dead-Deliveries',
  reason: 'Ketwin-Dead-Reason',
} as const;
export const DEAD_LETTER_HEADERS = DEAD;

export async function startDurableSubscription(options: DurableSubscriptionOptions): Promise<BusSubscription> {
  const { nc, js, jsm, names, consumer: settings, logger } = options;
  const stats = emptySubscriptionStats();
  await ensureStream(jsm, names, options.limits, 'create-or-update');
  await ensureConsumer(jsm, names.stream, settings);
  const where = `stream ${names.stream}, consumer ${settings.name}`;
  const workEveryMs = Math.max(100, Math.floor(settings.ackWaitMs / 3));

  async function deadLetter(data: Uint8Array, subject: string, sequence: number, deliveries: number, reason: string): Promise<void> {
    const h = headers();
    h.set(DEAD.subject, subject);
    h.set(DEAD.sequence, String(sequence));
    h.set(DEAD.consumer, settings.name);
    h.set(DEAD.deliveries, String(deliveries));
    h.set(DEAD.reason, reason.replace(/[\r\n]+/g, ' ').slice(0, 500));
    const ack = await js.publish(names.dead, data, { msgID: `dead:${names.stream}:${sequence}`, headers: h, expect: { streamName: names.stream } });
    if (ack.duplicate) return; // the other way (handler or advisory) was first
    stats.deadLettered++;
    logger.warn(
      { stream: names.stream, consumer: settings.name, sequence, deliveries, reason },
      `${where}: message ${sequence} given up after ${deliveries} deliveries, to ${names.dead}`,
    );
  }

  async function take(message: JsMsg): Promise<void> {
    // a slow handler (a busy engine, a database catching up) keeps its message: the next one is not given
    // meanwhile (max_ack_pending 1), nor this one delivered twice
    const started = performance.now(); // elapsed time, not the time of day: the monotonic clock
    const working = setInterval(() => {
      if (performance.now() - started + workEveryMs <= options.maxHandleMs) message.working();
    }, workEveryMs);
    try {
      await options.handle(message, stats);
      message.ack();
      stats.handled++;
    } catch (error) {
      const deliveries = message.info.deliveryCount;
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      if ((error instanceof BusError && error.code === 'BUS_DECODE') || deliveries >= settings.maxDeliver) {
        try {
          await deadLetter(message.data, message.subject, message.seq, deliveries, reason);
          message.term(reason.slice(0, 200));
        } catch (failed) {
          logger.error({ err: failed, sequence: message.seq }, `${where}: the dead letter could not be published; the server's advisory will try again`);
          message.nak(options.retryDelayMs);
        }
        return;
      }
      stats.retried++;
      if (deliveries === 1) logger.warn({ err: error, sequence: message.seq }, `${where}: handling message ${message.seq} failed; it comes again`);
      message.nak(options.retryDelayMs);
    } finally {
      clearInterval(working);
    }
  }

  // a message whose last delivery timed out (no ack, no nak) is only told by this advisory
  const advisory: Subscription = nc.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${names.stream}.${settings.name}`, {
    callback: (error, msg) => {
      if (error) return;
      const { stream_seq: sequence, deliveries } = msg.json<{ stream_seq: number; deliveries: number }>();
      jsm.streams
        .getMessage(names.stream, { seq: sequence })
        .then((stored) => stored && deadLetter(stored.data, stored.subject, sequence, deliveries, 'no ack within ack_wait on the last delivery'))
        .catch((failed: unknown) => logger.error({ err: failed, sequence }, `${where}: a message past its deliveries could not be dead-lettered`));
    },
  });

  let stopped = false;
  let messages: ConsumerMessages | undefined;
  const loop = (async () => {
    let failures = 0;
    while (!stopped) {
      try {
        const consumer = await js.consumers.get(names.stream, settings.name);
        messages = await consumer.consume({ max_messages: options.pullBatch });
        if (stopped) messages.stop();
        for await (const message of messages) {
          // stopping: what was pulled and not handled is delivered again after ack_wait (to the next subscriber)
          if (stopped) break;
          await take(message);
          failures = 0;
        }
      } catch (error) {
        if (stopped) break;
        failures++;
        if (failures === 1) logger.warn({ err: error }, `${where}: pulling failed; trying again`);
        await new Promise((r) => setTimeout(r, Math.min(5000, 200 * 2 ** failures)));
        // a stream or consumer deleted under us is made again
        await ensureStream(jsm, names, options.limits, 'create-or-update')
          .then(() => ensureConsumer(jsm, names.stream, settings))
          .catch(() => undefined);
      }
    }
  })();

  return {
    stats: () => ({ ...stats }),
    async stop() {
      if (stopped) return;
      stopped = true;
      advisory.unsubscribe();
      messages?.stop();
      await loop;
    },
  };
}
