import { readFile, rm, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { signHeaders, verifySignature } from './signature.ts';

const now = Date.UTC(2026, 8, 18, 6, 30, 5);
const body = '{"hello":"rescue"}';
const to = { delivery: 'alert/zs:T101:0/active/1789/hazmat-desk', subscriber: 'hazmat-desk' };
const headers = signHeaders('s3cret', body, now, to);

describe('webhook signatures', () => {
  it('accepts a signed, recent request', () => {
    expect(verifySignature({ secret: 's3cret', body, headers, nowMs: now + 10_000, subscriber: 'hazmat-desk' })).toEqual({ ok: true });
    const mixedCase = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.replace(/(^|-)\w/g, (c) => c.toUpperCase()), v]));
    expect(verifySignature({ secret: 's3cret', body: Buffer.from(body), headers: mixedCase, nowMs: now })).toEqual({ ok: true });
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

  // issue 18, finding 7: the v1 signature covered only timestamp and body
  it('binds the delivery id and the subscriber: a captured delivery cannot be replayed to another subscriber or as another delivery', () => {
    // the same secret at two subscribers (one platform, two subscriptions): the capture names hazmat-desk
    expect(verifySignature({ secret: 's3cret', body, headers, nowMs: now, subscriber: 'city-platform' })).toEqual({ ok: false, reason: 'other-subscriber' });
    const relabelled = { ...headers, 'x-ketwin-subscriber': 'city-platform' };
    expect(verifySignature({ secret: 's3cret', body, headers: relabelled, nowMs: now, subscriber: 'city-platform' })).toEqual({ ok: false, reason: 'mismatch' });
    const otherDelivery = { ...headers, 'idempotency-key': 'alert/zs:T101:0/cleared/1790/hazmat-desk' };
    expect(verifySignature({ secret: 's3cret', body, headers: otherDelivery, nowMs: now })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('within the tolerance, a receiver that keeps the signatures it accepted refuses the same request again', () => {
    const seen = new Map<string, number>();
    expect(verifySignature({ secret: 's3cret', body, headers, nowMs: now, seen })).toEqual({ ok: true });
    expect(verifySignature({ secret: 's3cret', body, headers, nowMs: now + 5_000, seen })).toEqual({ ok: false, reason: 'replayed' });
    // a retry of the same delivery is signed afresh (new timestamp): not a replay
    const retry = signHeaders('s3cret', body, now + 30_000, to);
    expect(verifySignature({ secret: 's3cret', body, headers: retry, nowMs: now + 30_000, seen })).toEqual({ ok: true });
  });
});

describe('the receiver snippet in notify/README.md', () => {
  it('is the code a receiver can copy: it accepts a real delivery and refuses a replay, another subscriber and a forgery', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const snippet = /<!-- receiver-snippet -->\s*```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(snippet, 'a ```js block after <!-- receiver-snippet --> in notify/README.md').toBeDefined();
    const dir = await mkdtemp(join(tmpdir(), 'ketwin-snippet-'));
    try {
      const file = join(dir, 'verify-ketwin-webhook.mjs');
      await writeFile(file, snippet!);
      const { createVerifier } = (await import(pathToFileURL(file).href)) as {
        createVerifier: (o: { secret: string; subscriberId: string; toleranceS?: number; now?: () => number }) => (headers: Record<string, string>, rawBody: Buffer) => boolean;
      };
      let t = now;
      const verify = createVerifier({ secret: 's3cret', subscriberId: 'hazmat-desk', now: () => t });
      expect(verify(headers, Buffer.from(body))).toBe(true);
      expect(verify(headers, Buffer.from(body))).toBe(false); // replayed
      expect(verify(signHeaders('s3cret', body, t, { ...to, subscriber: 'city-platform' }), Buffer.from(body))).toBe(false); // for someone else
      expect(verify(signHeaders('guess', body, t, to), Buffer.from(body))).toBe(false); // forged
      expect(verify(signHeaders('s3cret', body, t, to), Buffer.from(`${body} `))).toBe(false); // body changed
      t += 400_000;
      expect(verify(signHeaders('s3cret', body, now, to), Buffer.from(body))).toBe(false); // too old
      expect(verify(signHeaders('s3cret', body, t, to), Buffer.from(body))).toBe(true); // a fresh retry
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
