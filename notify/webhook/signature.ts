/**
 * Webhook signatures. The sender puts the Unix time (seconds) in `X-Ketwin-Timestamp` and
 * `v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>` in `X-Ketwin-Signature`. A receiver
 * recomputes the HMAC over the raw bytes it got and rejects timestamps outside its tolerance,
 * so a captured request cannot be replayed later; the `Idempotency-Key` header lets it drop
 * a repeat within the tolerance.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-ketwin-signature';
export const TIMESTAMP_HEADER = 'x-ketwin-timestamp';
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** default tolerance of verifySignature: 5 minutes either side */
export const DEFAULT_TOLERANCE_S = 300;

export function signatureOf(secret: string, timestamp: number, body: string | Uint8Array): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
  return `v1=${mac}`;
}

/** The headers that sign one request at `nowMs`. */
export function signHeaders(secret: string, body: string, nowMs: number): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return { [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signatureOf(secret, timestamp, body) };
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

export interface VerifyInput {
  secret: string;
  /** the raw request body, exactly as received */
  body: string | Uint8Array;
  /** header values (a Node IncomingHttpHeaders object works) */
  headers: Record<string, string | string[] | undefined>;
  /** receiver's clock, ms since epoch; default Date.now() */
  nowMs?: number;
  toleranceS?: number;
}

/** For receivers: is this request signed with `secret`, and recent enough? */
export function verifySignature(input: VerifyInput): SignatureCheck {
  const ts = header(input.headers, TIMESTAMP_HEADER);
  const sig = header(input.headers, SIGNATURE_HEADER);
  if (ts === undefined || sig === undefined) return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(ts) || !/^v1=[0-9a-f]{64}$/.test(sig)) return { ok: false, reason: 'malformed' };
  const timestamp = Number(ts);
  const now = Math.floor((input.nowMs ?? Date.now()) / 1000);
  if (Math.abs(now - timestamp) > (input.toleranceS ?? DEFAULT_TOLERANCE_S)) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(signatureOf(input.secret, timestamp, input.body));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

function header(headers: VerifyInput['headers'], name: string): string | undefined {
  const direct = headers[name] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(direct) ? direct[0] : direct;
}
