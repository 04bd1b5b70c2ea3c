/** AuditStore's contract, run by db/store.contract.ts against every backend. */
import { expect, it } from 'vitest';
import { verifyAudit } from './audit.ts';
import type { AuditStore } from './audit-store.ts';
import { T0 } from './store-contract-rows.ts';
import type { StoreTarget } from './store-targets.ts';

/** The last test tampers with the chain behind the trigger: after it the chain no longer verifies. */
export function auditStoreContract(store: () => AuditStore, target: () => StoreTarget): void {
  it('chains every entry, never forks under concurrent appends, and verifies', async () => {
    const first = await store().appendAudit({ actor: 'alice', action: 'login', subject: 'alice', at: T0 });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store().appendAudit({ actor: 'system:engine', action: 'acknowledge', subject: `a${i}`, site: 'zs', details: { note: '已确认', n: i, nested: { b: 1, a: [1, 2] } } }),
      ),
    );
    const records = await store().auditRecords(first.seq - 1, 100);
    expect(records).toHaveLength(21);
    for (let i = 1; i < records.length; i++) expect(records[i]!.prevHash).toBe(records[i - 1]!.hash);
    const v = await verifyAudit(store());
    expect(v).toMatchObject({ ok: true, problems: [], head: records.at(-1)!.hash });
  });

  it('appends audit entries in order, once each even when a batch is written again; the head is the newest row', async () => {
    const entries = [0, 1, 2].map((i) => ({ actor: 'alice', action: 'acknowledge', subject: `g${i}`, at: T0 + i, details: { entryId: `e-${i}-${T0}` } }));
    await store().appendAudits(entries);
    await store().appendAudits([...entries, { actor: 'alice', action: 'logout', subject: 'alice', at: T0 + 3, details: { entryId: `e-3-${T0}` } }]);
    const all = await store().auditRecords(0, 100_000);
    expect(all.filter((r) => String(r.details['entryId']).endsWith(`-${T0}`)).map((r) => r.subject)).toEqual(['g0', 'g1', 'g2', 'alice']);
    const head = await store().auditHead();
    expect(head).toEqual(all.at(-1));
  });

  it('refuses UPDATE and DELETE; verify names a row changed or deleted behind the trigger', async (ctx) => {
    const { admin, name } = target();
    if (admin === undefined) {
      ctx.annotate?.(`${name}: the store owns the only connection; the trigger is the same migration as on the other targets`);
      return;
    }
    const base = (await store().auditRecords(0, 10_000)).length;
    const rows = [];
    for (let i = 0; i < 5; i++) rows.push(await store().appendAudit({ actor: 'bob', action: 'shelve', subject: `x${i}` }));
    await expect(admin(`UPDATE audit_log SET actor = 'mallory' WHERE seq = ${rows[1]!.seq}`)).rejects.toThrow(/append-only/);
    await expect(admin(`DELETE FROM audit_log WHERE seq = ${rows[2]!.seq}`)).rejects.toThrow(/append-only/);
    await expect(admin('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    expect((await verifyAudit(store())).ok).toBe(true);
    const head = (await verifyAudit(store())).head;
    // a superuser disables the trigger and tampers
    await admin('ALTER TABLE audit_log DISABLE TRIGGER USER');
    await admin(`UPDATE audit_log SET details = '{"note":"edited"}' WHERE seq = ${rows[1]!.seq}`);
    await admin(`DELETE FROM audit_log WHERE seq = ${rows[3]!.seq}`);
    await admin(`DELETE FROM audit_log WHERE seq = ${rows[4]!.seq}`);
    await admin('ALTER TABLE audit_log ENABLE TRIGGER USER');
    const v = await verifyAudit(store(), { expectedHead: head });
    expect(v.ok).toBe(false);
    expect(v.rows).toBe(base + 3);
    expect(v.problems.map((p) => [p.seq, p.kind])).toEqual([
      [rows[1]!.seq, 'changed'],
      [rows[2]!.seq, 'missing-before'],
    ]);
    expect(v.problems[0]!.message).toContain(`audit row ${rows[1]!.seq}`);
  });

  it('returns the rows of some actions since an instant, in chain order', async () => {
    await store().appendAudit({ actor: 'li', action: 'transfer.declare', subject: 'T201', site: 'aof', details: { n: 1 }, at: T0 - 10_000 });
    await store().appendAudit({ actor: 'li', action: 'transfer.declare', subject: 'T201', site: 'aof', details: { n: 2 }, at: T0 + 10 });
    await store().appendAudit({ actor: 'li', action: 'acknowledge', subject: 'a1', site: 'aof', at: T0 + 20 });
    await store().appendAudit({ actor: 'wang', action: 'transfer.end', subject: 'T201', site: 'aof', details: { n: 3 }, at: T0 + 30 });
    const got = (await store().auditOf(['transfer.declare', 'transfer.end'], T0)).filter((r) => r.site === 'aof');
    expect(got.map((r) => [r.action, r.details['n']])).toEqual([
      ['transfer.declare', 2],
      ['transfer.end', 3],
    ]);
    expect(await store().auditOf([], T0)).toEqual([]);
  });
}
