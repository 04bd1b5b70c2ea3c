/**
 * The telemetry bus between the collector and the engine (DESIGN.md, "Data flow" and "Scale"): one
 * interface, two implementations. In one process it is a hand-over in memory (`in-process-bus.ts`);
 * across machines it is NATS JetStream (`jetstream/`), durable, with subjects per site. Durability in
 * front of the bus is the collector's queue, which acks a batch only once `publishSamples` resolved.
 */
import type { Sample } from '../model/index.ts';

/** The other channels of a site besides its samples: subject `<prefix>.<site>.<channel>`. */
export const BUS_CHANNELS = ['events', 'commands', 'health'] as const;
export type BusChannel = (typeof BUS_CHANNELS)[number];

/** A message on a channel: a type and its JSON data. */
export interface BusMessage {
  type: string;
  data: unknown;
}

/**
 * Where a batch comes from, for de-duplication: the publisher's `origin` (an id new at each start of the
 * process that owns the queue) and the queue positions of its rows: [start, end), without `holes` (damaged
 * lines the queue skipped). The same rows offered again carry the same positions and are taken once.
 */
export interface BatchOrigin {
  origin: string;
  start: number;
  end: number;
  holes?: readonly number[];
}

export interface SampleSubscriber {
  /** the subscriber's durable name (JetStream: its durable consumer per site) */
  name: string;
  /** the sites it takes; none: every site (in-process only: JetStream needs the list) */
  sites?: readonly string[];
  /**
   * samples of its sites, in the order they were published (JetStream: one site a batch); a Promise is
   * backpressure, a rejection asks for the batch again (JetStream: bounded, past it a dead letter)
   */
  handle(samples: Sample[]): void | Promise<void>;
}

export interface ChannelSubscriber {
  name: string;
  sites?: readonly string[];
  handle(site: string, message: BusMessage): void | Promise<void>;
}

export interface SubscriptionStats {
  /** batches (or messages) handled and acknowledged */
  handled: number;
  /** samples handed to `handle` (sample subscriptions) */
  samples: number;
  /** deliveries that failed and were asked for again */
  retried: number;
  /** batches given up after the last allowed delivery, to `<prefix>.<site>.dead` */
  deadLettered: number;
  /** rows dropped because the same origin and position had been taken already */
  duplicates: number;
}

export interface BusSubscription {
  stats(): SubscriptionStats;
  /** stops taking; what is not acknowledged is delivered again to the next subscriber of the same name */
  stop(): Promise<void>;
}

export interface TelemetryBus {
  readonly kind: 'in-process' | 'jetstream';
  /**
   * Samples of any sites, in order. Resolves once the bus has them (in-process: every subscriber took them;
   * JetStream: every PubAck came); rejects (`BusError`) when it has not: offer the same batch again.
   */
  publishSamples(samples: readonly Sample[], origin?: BatchOrigin): Promise<void>;
  subscribeSamples(subscriber: SampleSubscriber): Promise<BusSubscription>;
  /** one message on a site's channel; `id` makes a repeat of the same message count once */
  publish(site: string, channel: BusChannel, message: BusMessage, id?: string): Promise<void>;
  subscribe(channel: BusChannel, subscriber: ChannelSubscriber): Promise<BusSubscription>;
  close(): Promise<void>;
}

export const emptySubscriptionStats = (): SubscriptionStats => ({ handled: 0, samples: 0, retried: 0, deadLettered: 0, duplicates: 0 });
