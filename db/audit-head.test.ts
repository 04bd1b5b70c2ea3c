/**
 * Issue 18, finding 3: `audit verify` with a head kept elsewhere catches a truncated tail, a
 * re-chained log and an edited row. The first two pass a verify without the head (the old gap).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { auditHash, verifyAudit, type AuditHead } from './audit.ts';
import type { Store } from './store.ts';
import { createPostgresTarget, type StoreTarget } from './store-targets.ts';

const URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
let target: StoreTarget | undefined;
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  await target?.dispose();
  store = undefined;
  target = undefined;
});

/** ten rows, and the head as `ketwin audit head` would keep it */
async function chain(): Promise<{ store: Store; admin: (sql: string) => Promise<Record<string, unknown>[]>; head: AuditHead }> {
  target = await createPostgresTarget(URL);
  store = await target.open();
  for (let i = 0; i < 10; i++) await store.appendAudit({ actor: 'li', action: 'acknowledge', subject: `a${i}`, site: 'zs', details: { comment: `row ${i}` } });
  const row = (await store.auditHead())!;
  const admin = target.admin!.bind(target);
  await admin('ALTER TABLE audit_log DISABLE TRIGGER USER'); // a superuser tampers
  return { store, admin, head: { seq: row.seq, hash: row.hash, at: row.at } };
}

describe('audit verify with a kept head', () => {
  it('an untouched chain passes', async () => {
    const { store, head } = await chain();
    expect(await verifyAudit(store, { head })).toMatchObject({ ok: true, rows: 10, problems: [] });
  });

  it('a truncated tail: the newest three rows deleted', async () => {
    const { store, admin, head } = await chain();
    await admin(`DELETE FROM audit_log WHERE seq > ${head.seq - 3}`);
    expect((await verifyAudit(store)).ok).toBe(true); // what verify could see before: nothing
    const v = await verifyAudit(store, { head });
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([expect.objectContaining({ kind: 'truncated', seq: head.seq - 3 })]);
    expect(v.problems[0]!.message).toMatch(/the newest rows were deleted/);
  });

  it('a re-chained log: a row changed and every hash after it computed again', async () => {
    const { store, admin, head } = await chain();
    const rows = await store.auditRecords(0, 100);
    let prev = rows[3]!.prevHash;
    for (const r of rows.slice(3)) {
      const details = r.seq === rows[3]!.seq ? { comment: 'nothing happened here' } : r.details;
      const hash = auditHash({ ...r, details, prevHash: prev });
      await admin(`UPDATE audit_log SET details = '${JSON.stringify(details)}', prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${r.seq}`);
      prev = hash;
    }
    expect((await verifyAudit(store)).ok).toBe(true); // internally consistent
    const v = await verifyAudit(store, { head });
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([expect.objectContaining({ kind: 'rechained', seq: head.seq })]);
  });

  it('an edited row', async () => {
    const { store, admin, head } = await chain();
    const rows = await store.auditRecords(0, 100);
    await admin(`UPDATE audit_log SET actor = 'mallory' WHERE seq = ${rows[5]!.seq}`);
    const v = await verifyAudit(store, { head });
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([expect.objectContaining({ kind: 'changed', seq: rows[5]!.seq })]);
  });
});
