import { describe, expect, it } from 'vitest';
import { signHeaders, verifySignature } from './signature.ts';

describe('webhook signatures', () => {
  const now = Date.UTC(2026, 8, 18, 6, 30, 5);
  const body = '{"hello":"rescue"}';
  const headers = signHeaders('s3cret', body, now);

  it('accepts a signed, recent request', () => {
    expect(verifySignature({ secret: 's3cret', body, headers, nowMs: now + 10_000 })).toEqual({ ok: true });
    expect(verifySignature({ secret: 's3cret', body: Buffer.from(body), headers: { 'X-Ketwin-Timestamp': headers['x-ketwin-timestamp'], 'X-Ketwin-Signature': headers['x-ketwin-signature'] }, nowMs: now })).toEqual({ ok: true });
  });

  it('rejects a changed body, another secret, an old timestamp, a missing or malformed header', () => {
    expect(verifySignature({ secret: 's3cret', body: body.replace('rescue', 'attack'), headers, nowMs: now })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature({ secret: 'other', body, headers, nowMs: now })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature({ secret: 's3cret', body, headers, nowMs: now + 301_000 })).toEqual({ ok: false, reason: 'stale' });
    expect(verifySignature({ secret: 's3cret', body, headers, nowMs: now + 60_000, toleranceS: 30 })).toEqual({ ok: false, reason: 'stale' });
    expect(verifySignature({ secret: 's3cret', body, headers: {}, nowMs: now })).toEqual({ ok: false, reason: 'missing' });
    expect(verifySignature({ secret: 's3cret', body, headers: { ...headers, 'x-ketwin-signature': 'sha1=abc' }, nowMs: now })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('binds the timestamp into the signature (a replay with a fresh timestamp fails)', () => {
    const replay = { ...headers, 'x-ketwin-timestamp': String(Math.floor(now / 1000) + 600) };
    expect(verifySignature({ secret: 's3cret', body, headers: replay, nowMs: now + 600_000 })).toEqual({ ok: false, reason: 'mismatch' });
  });
});
