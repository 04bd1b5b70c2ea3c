/**
 * The storage contract, part three: what issue 18 hardened — dead letters, sign-in counts,
 * append-only evidence versions, audit appends that a retry cannot double. Run by
 * db/store.test.ts against every backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from './store.ts';
import type { StoreTarget } from './store-targets.ts';

const T0 = Date.UTC(2025, 2, 3, 8, 0, 0);
const POLICY = { limit: 5, windowMs: 15 * 60_000, lockMs: 60_000, maxLockMs: 3_600_000 };

export function storeGuardsContract(makeTarget: () => Promise<StoreTarget>): void {
  let target: StoreTarget;
  let store: Store;
  beforeAll(async () => {
    target = await makeTarget();
    store = await target.open();
  });
  afterAll(async () => {
    await store?.close();
    await target?.dispose();
  });

  it('keeps dead letters with their lane, error and the escaped row', async () => {
    await store.writeDeadLetters([{ lane: 'alerts', payload: JSON.stringify({ comment: 'a\u0000b' }), error: 'unsupported Unicode escape sequence', code: '22P05', attempts: 3, failedAt: T0 }]);
    const [letter] = await store.deadLetters({ lane: 'alerts' });
    expect(letter).toMatchObject({ lane: 'alerts', code: '22P05', attempts: 3, failedAt: T0 });
    expect(JSON.parse(letter!.payload)).toEqual({ comment: 'a\u0000b' });
    expect(await store.deadLetters({ lane: 'samples' })).toEqual([]);
  });

  it('counts concurrent sign-in attempts on one key one after another: exactly the limit pass', async () => {
    const decisions = await Promise.all(Array.from({ length: 40 }, () => store.signInAttempt('user:li.wei', POLICY, T0)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
    expect(decisions.find((d) => !d.allowed)).toEqual({ allowed: false, retryAfterMs: 60_000 });
    // locked for the back-off, then counted afresh; the next lockout lasts twice as long
    expect(await store.signInAttempt('user:li.wei', POLICY, T0 + 59_000)).toEqual({ allowed: false, retryAfterMs: 1_000 });
    for (let i = 0; i < 5; i++) expect((await store.signInAttempt('user:li.wei', POLICY, T0 + 61_000)).allowed).toBe(true);
    expect(await store.signInAttempt('user:li.wei', POLICY, T0 + 61_000)).toEqual({ allowed: false, retryAfterMs: 120_000 });
    expect(await store.signInUnlock('user:li.wei')).toBe(true);
    expect(await store.signInAttempt('user:li.wei', POLICY, T0 + 62_000)).toEqual({ allowed: true });
    expect(await store.signInUnlock('user:nobody')).toBe(false);
  });

  it('keeps every version of an evidence record, with uploader and hash; the same content again is no new version', async () => {
    const drill = { site: 'evv', kind: 'drill', subject: 'evv', doneAt: T0, by: '张工', reference: 'DR-1' };
    const [v1] = await store.writeEvidence([{ ...drill, recordedBy: 'manager' }]);
    const [v2] = await store.writeEvidence([{ ...drill, notes: 'corrected head count', recordedBy: 'auditor' }]);
    const [again] = await store.writeEvidence([{ ...drill, notes: 'corrected head count', recordedBy: 'auditor' }]);
    expect(v1).toMatchObject({ version: 1, recordedBy: 'manager', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(v2).toMatchObject({ version: 2, recordedBy: 'auditor', notes: 'corrected head count' });
    expect(again).toEqual(v2);
    expect(v2!.hash).not.toBe(v1!.hash);
    const versions = await store.evidenceVersions('evv', 'drill', 'evv', T0);
    expect(versions.map((v) => [v.version, v.recordedBy, v.notes])).toEqual([[1, 'manager', undefined], [2, 'auditor', 'corrected head count']]);
    expect(await store.evidence('evv')).toEqual([v2]);
  });

  it('refuses UPDATE and DELETE of evidence (append-only)', async (ctx) => {
    if (target.admin === undefined) {
      ctx.annotate?.(`${target.name}: the store owns the only connection; the trigger is the same migration as on the other targets`);
      return;
    }
    await expect(target.admin(`UPDATE evidence_records SET notes = 'rewritten' WHERE site = 'evv'`)).rejects.toThrow(/append-only/);
    await expect(target.admin(`DELETE FROM evidence_records WHERE site = 'evv'`)).rejects.toThrow(/append-only/);
  });

  it('appends audit entries in order, once each even when a batch is written again; the head is the newest row', async () => {
    const entries = [0, 1, 2].map((i) => ({ actor: 'alice', action: 'acknowledge', subject: `g${i}`, at: T0 + i, details: { entryId: `e-${i}-${T0}` } }));
    await store.appendAudits(entries);
    await store.appendAudits([...entries, { actor: 'alice', action: 'logout', subject: 'alice', at: T0 + 3, details: { entryId: `e-3-${T0}` } }]);
    const all = await store.auditRecords(0, 100_000);
    expect(all.filter((r) => String(r.details['entryId']).endsWith(`-${T0}`)).map((r) => r.subject)).toEqual(['g0', 'g1', 'g2', 'alice']);
    const head = await store.auditHead();
    expect(head).toEqual(all.at(-1));
  });
}
