/**
 * Issue 18, finding 3: audit entries go through the writer's disk path, so they survive a
 * database outage and a restart of the process. Outage: the test database refuses connections
 * (ALLOW_CONNECTIONS false, its sessions cut), the shared server stays up.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from './audit.ts';
import { createStoreWriter } from './writer.ts';
import type { Store } from './store.ts';
import { createPostgresTarget, type StoreTarget } from './store-targets.ts';

const OUTAGE_MS = Number(process.env.KETWIN_TEST_OUTAGE_MS ?? 3_000);
let target: StoreTarget;
let spillDir: string;
beforeAll(async () => {
  target = await createPostgresTarget(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  spillDir = await mkdtemp(join(tmpdir(), 'ketwin-audit-spill-'));
});
afterAll(async () => {
  await target?.dispose();
  await rm(spillDir, { recursive: true, force: true });
});

/** lines in the queue's segment files */
async function linesOnDisk(dir: string): Promise<number> {
  let n = 0;
  for (const f of (await readdir(dir)).filter((f) => f.endsWith('.ndjson'))) n += (await readFile(join(dir, f), 'utf8')).split('\n').filter(Boolean).length;
  return n;
}

describe('durable audit', () => {
  it('20 audited actions during an outage, then a restart: all 20 are in the chain once, in order, and it verifies', async () => {
    let store: Store = await target.open();
    let writer = createStoreWriter(store, { spillDir, flushMs: 10, retryMinMs: 20, retryMaxMs: 200, drainTimeoutMs: 500 });
    writer.audit({ actor: 'system:ketwin', action: 'start', subject: 'ketwin' });
    await writer.flush();

    await target.outage!.begin();
    const began = Date.now();
    for (let i = 0; i < 20; i++) {
      writer.audit({ actor: 'li.wei', action: 'acknowledge', subject: `alert-${i}`, site: 'zhoushan-demo', details: { comment: `确认 ${i}` } });
      await new Promise((r) => setTimeout(r, OUTAGE_MS / 40));
    }
    expect(writer.stats().auditPending).toBe(20);
    expect(await linesOnDisk(join(spillDir, 'audit'))).toBe(20); // on disk before audit() returned
    while (Date.now() - began < OUTAGE_MS) await new Promise((r) => setTimeout(r, 100));
    // ketwin is stopped while the database is still away: the writer gives up draining, nothing is lost
    await expect(writer.close()).rejects.toThrow(/could not write|DRAIN_TIMEOUT/);
    await store.close().catch(() => undefined);
    await target.outage!.end();

    store = await target.open();
    writer = createStoreWriter(store, { spillDir, flushMs: 10 });
    await writer.flush();
    const rows = await store.auditRecords(0, 1000);
    expect(rows.filter((r) => r.action === 'acknowledge').map((r) => r.subject)).toEqual(Array.from({ length: 20 }, (_, i) => `alert-${i}`));
    expect(new Set(rows.map((r) => r.details['entryId'])).size).toBe(rows.length); // none twice
    const v = await verifyAudit(store);
    expect(v).toMatchObject({ ok: true, rows: 21 });
    expect(writer.stats().auditPending).toBe(0);
    expect(await readdir(join(spillDir, 'audit'))).toEqual([]);
    // each row keeps the time of its action, not of its late write
    const times = rows.filter((r) => r.action === 'acknowledge').map((r) => r.at);
    expect(times.at(-1)! - began).toBeLessThan(OUTAGE_MS);
    await writer.close();
    await store.close();
  });
});
