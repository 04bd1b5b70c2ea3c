import sparkplug from 'sparkplug-payload';
import type { UMetric, UPayload } from 'sparkplug-payload/lib/sparkplugbpayload.js';

/** Eclipse Tahu's codec for Sparkplug B payloads (the protobuf schema of the specification). */
const codec = sparkplug.get('spBv1.0')!;

export type SparkplugMetric = Omit<UMetric, 'type'> & { type?: string };
export type SparkplugPayload = Omit<UPayload, 'metrics'> & { metrics: SparkplugMetric[] };

/** A Sparkplug B payload; throws on bytes that are not one. */
export function decodeSparkplugPayload(bytes: Uint8Array): SparkplugPayload {
  const payload = codec.decodePayload(bytes);
  return { ...payload, metrics: (payload.metrics ?? []) as SparkplugMetric[] };
}

export function encodeSparkplugPayload(payload: UPayload): Uint8Array {
  return codec.encodePayload(payload);
}

/** The metric a host sends in an NCMD to ask an edge node for its NBIRTH and DBIRTHs again (Sparkplug B 3.0 §6.4.16). */
export const REBIRTH_METRIC = 'Node Control/Rebirth';

export function rebirthRequest(now: number): Uint8Array {
  return codec.encodePayload({ timestamp: now, metrics: [{ name: REBIRTH_METRIC, type: 'Boolean', value: true }] });
}
