/**
 * An upgrade must not lose what an older version spilled: its spill files (spill-<seq>-<rows>.jsonl,
 * samples as objects with NaN as text and `nonFinite`; audit entries under audit/) are read once when
 * the writer opens, moved into the writer's queues, and written to the database from there.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from './audit.ts';
import type { Store } from './store.ts';
import { createPgliteTarget, type StoreTarget } from './store-targets.ts';
import { createStoreWriter } from './writer.ts';

const T0 = Date.UTC(2025, 5, 1);
let target: StoreTarget;
let store: Store;
let spillDir: string;
beforeAll(async () => {
  target = await createPgliteTarget();
  store = await target.open();
  spillDir = await mkdtemp(join(tmpdir(), 'ketwin-spill-upgrade-'));
});
afterAll(async () => {
  await store?.close();
  await target?.dispose();
  await rm(spillDir, { recursive: true, force: true });
});

const lines = (rows: unknown[]): string => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;

describe('the writer reads an older version’s spill once', () => {
  it('spilled samples (NaN included) and audit entries reach the database in order, and the old files are gone', async () => {
    const sample = (i: number) => ({ site: 'up', point: 'T1.level', ts: T0 + i * 1000, value: i, quality: 'good' });
    await writeFile(join(spillDir, 'spill-500000000000-3.jsonl'), lines([sample(0), { ...sample(1), value: 'NaN', nonFinite: true }, sample(2)]));
    await writeFile(join(spillDir, 'spill-500000000001-2.jsonl'), lines([sample(3), sample(4)]));
    await mkdir(join(spillDir, 'audit'));
    const entry = (i: number) => ({ actor: 'li.wei', action: 'acknowledge', subject: `alert-${i}`, at: T0 + i, details: { entryId: `e${i}` } });
    await writeFile(join(spillDir, 'audit', 'spill-500000000000-1.jsonl'), lines([entry(0)]));
    await writeFile(join(spillDir, 'audit', 'spill-500000000001-1.jsonl'), lines([entry(1)]));

    const writer = createStoreWriter(store, { spillDir, flushMs: 5 });
    expect(writer.stats()).toMatchObject({ spilledRows: 5, auditPending: 2 }); // moved at open
    expect((await readdir(spillDir)).filter((f) => f.startsWith('spill-'))).toEqual([]);
    await writer.close();

    const stored = await store.series('up', 'T1.level', 0, T0 + 10_000);
    expect(stored.map((p) => p.value)).toEqual([0, 'NaN', 2, 3, 4]);
    const chain = await store.auditRecords(0, 100);
    expect(chain.map((r) => r.subject)).toEqual(['alert-0', 'alert-1']);
    expect(await verifyAudit(store)).toMatchObject({ ok: true, rows: 2 });
    expect(writer.stats()).toMatchObject({ spilledRows: 0, auditPending: 0, written: 7 });
    expect(await readdir(join(spillDir, 'audit'))).toEqual([]);
  });
});
