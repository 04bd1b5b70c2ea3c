/**
 * Webhook signatures (v2). The sender puts the Unix time (seconds) in `X-Ketwin-Timestamp`, the
 * delivery id in `Idempotency-Key` (the same on every retry), the subscriber id in
 * `X-Ketwin-Subscriber`, and `v2=<hex HMAC-SHA256(secret, "<timestamp>.<delivery id>.<subscriber id>.<raw body>")>`
 * in `X-Ketwin-Signature`. So a captured request cannot be replayed later (the timestamp), to
 * another subscriber that shares the secret (the subscriber id), or as another delivery (the id).
 * Within the tolerance a receiver drops a signature it has already seen (a replay) and processes
 * each delivery id once (a retry). notify/README.md has a self-contained receiver snippet.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { systemClock } from '../../model/index.ts';

export const SIGNATURE_HEADER = 'x-ketwin-signature';
export const TIMESTAMP_HEADER = 'x-ketwin-timestamp';
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const SUBSCRIBER_ID_HEADER = 'x-ketwin-subscriber';
/** default tolerance of verifySignature: 5 minutes either side */
export const DEFAULT_TOLERANCE_S = 300;

export interface SignedFor {
  /** the delivery id, sent as Idempotency-Key */
  delivery: string;
  /** the subscriber id, sent as X-Ketwin-Subscriber */
  subscriber: string;
}

export function signatureOf(secret: string, timestamp: number, to: SignedFor, body: string | Uint8Array): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${to.delivery}.${to.subscriber}.`).update(body).digest('hex');
  return `v2=${mac}`;
}

/** The headers that sign one request at `nowMs` for one delivery to one subscriber. */
export function signHeaders(secret: string, body: string, nowMs: number, to: SignedFor): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    [TIMESTAMP_HEADER]: String(timestamp),
    [IDEMPOTENCY_HEADER]: to.delivery,
    [SUBSCRIBER_ID_HEADER]: to.subscriber,
    [SIGNATURE_HEADER]: signatureOf(secret, timestamp, to, body),
  };
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' | 'other-subscriber' | 'replayed' };

export interface VerifyInput {
  secret: string;
  /** the raw request body, exactly as received */
  body: string | Uint8Array;
  /** header values (a Node IncomingHttpHeaders object works) */
  headers: Record<string, string | string[] | undefined>;
  /** the receiver's own subscriber id: a request signed for another one is refused */
  subscriber?: string;
  /** signatures already accepted (kept for twice the tolerance): a repeat is a replay */
  seen?: Map<string, number>;
  /** receiver's clock, ms since epoch; default the system clock */
  nowMs?: number;
  toleranceS?: number;
}

/** For receivers: is this request signed with `secret`, for this subscriber, recent, and new? */
export function verifySignature(input: VerifyInput): SignatureCheck {
  const ts = header(input.headers, TIMESTAMP_HEADER);
  const sig = header(input.headers, SIGNATURE_HEADER);
  const delivery = header(input.headers, IDEMPOTENCY_HEADER);
  const subscriber = header(input.headers, SUBSCRIBER_ID_HEADER);
  if (ts === undefined || sig === undefined || delivery === undefined || subscriber === undefined) return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(ts) || !/^v2=[0-9a-f]{64}$/.test(sig)) return { ok: false, reason: 'malformed' };
  const timestamp = Number(ts);
  const nowMs = input.nowMs ?? systemClock.now();
  const tolerance = input.toleranceS ?? DEFAULT_TOLERANCE_S;
  if (Math.abs(Math.floor(nowMs / 1000) - timestamp) > tolerance) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(signatureOf(input.secret, timestamp, { delivery, subscriber }, input.body));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'mismatch' };
  if (input.subscriber !== undefined && subscriber !== input.subscriber) return { ok: false, reason: 'other-subscriber' };
  if (input.seen) {
    for (const [s, at] of input.seen) if (nowMs - at > 2 * tolerance * 1000) input.seen.delete(s);
    if (input.seen.has(sig)) return { ok: false, reason: 'replayed' };
    input.seen.set(sig, nowMs);
  }
  return { ok: true };
}

function header(headers: VerifyInput['headers'], name: string): string | undefined {
  const direct = headers[name] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(direct) ? direct[0] : direct;
}
