/**
 * A site's stream and a subscriber's durable consumer, made idempotently: created when missing; a
 * subscriber (the side that owns retention) also brings an existing stream's limits to its own, a
 * publisher leaves them. Only settings nats-server 2.9 knows are sent.
 */
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { SiteNames } from './subjects.ts';

export interface StreamLimits {
  /** how long messages are kept (default 7 days) */
  maxAgeMs: number;
  /** bytes kept per site stream, oldest dropped past it (default -1: unbounded) */
  maxBytes: number;
  /** a message id seen within this window is stored once (default 1 h) */
  duplicateWindowMs: number;
  /** copies on a JetStream cluster (default 1; 3 on a 3-node cluster) */
  replicas: number;
  storage: 'file' | 'memory';
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = { maxAgeMs: 7 * 24 * 3600_000, maxBytes: -1, duplicateWindowMs: 3600_000, replicas: 1, storage: 'file' };

export interface ConsumerSettings {
  name: string;
  filter: string;
  /** deliveries of one message at most (the last failing one goes to the dead subject) */
  maxDeliver: number;
  ackWaitMs: number;
  /** 1: strictly in order, a failed message is retried before the next is given */
  maxAckPending: number;
}

const notFound = (error: unknown, code: number) => error instanceof JetStreamApiError && error.code === code;

export async function ensureStream(jsm: JetStreamManager, names: SiteNames, limits: StreamLimits, mode: 'create' | 'create-or-update'): Promise<void> {
  const wanted = {
    subjects: names.all,
    max_age: nanos(limits.maxAgeMs),
    max_bytes: limits.maxBytes,
    duplicate_window: nanos(limits.duplicateWindowMs),
    num_replicas: limits.replicas,
  };
  let existing: StreamConfig;
  try {
    existing = (await jsm.streams.info(names.stream)).config;
  } catch (error) {
    if (!notFound(error, JetStreamApiCodes.StreamNotFound)) throw error;
    try {
      await jsm.streams.add({
        name: names.stream,
        ...wanted,
        retention: RetentionPolicy.Limits,
        storage: limits.storage === 'memory' ? StorageType.Memory : StorageType.File,
        discard: DiscardPolicy.Old,
      });
      return;
    } catch (raced) {
      // another edge or worker made it in between: same name, compare below
      existing = (await jsm.streams.info(names.stream).catch(() => Promise.reject(raced))).config;
    }
  }
  if (mode === 'create') return;
  const same =
    wanted.subjects.every((s) => existing.subjects?.includes(s)) &&
    existing.max_age === wanted.max_age &&
    existing.max_bytes === wanted.max_bytes &&
    existing.duplicate_window === wanted.duplicate_window &&
    existing.num_replicas === wanted.num_replicas;
  if (!same) await jsm.streams.update(names.stream, { ...existing, ...wanted, subjects: [...new Set([...(existing.subjects ?? []), ...wanted.subjects])] });
}

export async function ensureConsumer(jsm: JetStreamManager, stream: string, settings: ConsumerSettings): Promise<void> {
  const wanted = { max_deliver: settings.maxDeliver, ack_wait: nanos(settings.ackWaitMs), max_ack_pending: settings.maxAckPending };
  try {
    const { config } = await jsm.consumers.info(stream, settings.name);
    if (config.max_deliver !== wanted.max_deliver || config.ack_wait !== wanted.ack_wait || config.max_ack_pending !== wanted.max_ack_pending) {
      await jsm.consumers.update(stream, settings.name, wanted);
    }
  } catch (error) {
    if (!notFound(error, JetStreamApiCodes.ConsumerNotFound)) throw error;
    await jsm.consumers.add(stream, {
      durable_name: settings.name,
      filter_subject: settings.filter,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ...wanted,
    });
  }
}
