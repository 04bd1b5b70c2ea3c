/**
 * Issue 18's gap, closed by the one durable queue (issue 20): kill -9 while the database writer holds a
 * batch it took from the collector buffer but has not yet committed. The writer reads the buffer's
 * queue as its consumer "db" and acks a batch only after the database committed it, so the batch is
 * still in the queue when the process dies, and the next start writes it.
 *
 * A child process wires buffer and writer as main.ts does (downstream = the engine's stand-in, taking
 * every sample at once; the writer on PostgreSQL, each write held back 400 ms, so that the batch it
 * takes has samples older than the buffer's last group commit (200 ms)),
 * pushes a sample a millisecond, and is killed with SIGKILL just after the writer took a batch. Before
 * the queue, the buffer handed the batch over and forgot it: the kill lost ~0.5 s of samples. A new buffer and writer on the same folders and database then deliver: at least once
 * (a batch committed just before the kill but not yet acked in cursors.json comes again), with the
 * samples table's key (series, ts) keeping exactly one row per sample: the test counts rows, not writes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSampleBuffer } from '../collector/sample-buffer.ts';
import { createPostgresTarget, type StoreTarget } from '../db/store-targets.ts';
import { createStoreWriter } from '../db/writer.ts';
import type { Store } from '../db/index.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const at = (path: string): string => JSON.stringify(fileURLToPath(new URL(path, import.meta.url)));
let target: StoreTarget;
let url: string;
let dir: string;
beforeAll(async () => {
  target = await createPostgresTarget(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  const [row] = await target.admin!('SELECT current_database() AS name');
  const u = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  u.pathname = `/${String(row!['name'])}`;
  url = u.toString();
  dir = mkdtempSync(join(tmpdir(), 'ketwin-writer-kill-'));
});
afterAll(async () => {
  await target?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** runs the child until the writer took a batch with samples older than 300 ms after `runMs`, then kills it; resolves to the kill time */
async function pushThenKill(runMs: number): Promise<{ killedAt: number; taken: number }> {
  const script = join(dir, 'child.mts');
  writeFileSync(
    script,
    `
    import { createSampleBuffer } from ${at('../collector/sample-buffer.ts')};
    import { openStore } from ${at('../db/open.ts')};
    import { createStoreWriter } from ${at('../db/writer.ts')};
    const store = await openStore({ url: ${JSON.stringify(url)} });
    const slow = Object.create(store);
    slow.writeSamples = async (rows) => {
      process.stdout.write('taken ' + rows.length + ' ' + (Date.now() - rows[0].ts) + '\\n');
      await new Promise((r) => setTimeout(r, 400));
      await store.writeSamples(rows);
    };
    const writer = createStoreWriter(slow, { spillDir: ${JSON.stringify(join(dir, 'spill'))}, flushMs: 50 });
    const buffer = createSampleBuffer({ dir: ${JSON.stringify(join(dir, 'buffer'))}, downstream: () => {}, consumers: ['db'], batchSize: 100 });
    writer.takeSamples(buffer.consumer('db'));
    let i = 0;
    let ts = 0;
    // the wall clock, one millisecond apart at least: (series, ts) is the samples table's key
    setInterval(() => buffer.sink({ site: 'kill', point: 'P.v', value: i++, quality: 'good', ts: (ts = Math.max(Date.now(), ts + 1)) }), 1);
    process.stdout.write('ready\\n');
  `,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let ready = false;
  let started = 0;
  let taken = 0;
  const killed = new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      const text = String(d);
      if (!ready && text.includes('ready')) {
        ready = true;
        started = Date.now();
      }
      const took = /taken (\d+) (\d+)/.exec(text);
      // a batch whose oldest sample is older than the last group commit (200 ms): the queue had it on disk
      if (took && ready && Date.now() - started >= runMs && Number(took[2]) >= 300 && taken === 0) {
        taken = Number(took[1]); // the writer holds this batch now, for 400 ms
        const now = Date.now();
        child.kill('SIGKILL');
        resolve(now);
      }
    });
    child.on('exit', (code, signal) => signal !== 'SIGKILL' && reject(new Error(`child exited early (${code})`)));
  });
  const killedAt = await killed;
  await new Promise((r) => child.once('exit', r));
  return { killedAt, taken };
}

describe('kill -9 while the writer holds a batch from the buffer', () => {
  it('loses no sample: the batch was still in the queue (ack after commit); each sample is stored once', async () => {
    const { killedAt, taken } = await pushThenKill(1_500);
    expect(taken).toBeGreaterThan(0);
    let store: Store | undefined;
    try {
      store = await target.open();
      const before = (await store.series('kill', 'P.v', 0, Date.now())).length;
      const writer = createStoreWriter(store, { spillDir: join(dir, 'spill'), flushMs: 20 });
      const buffer = createSampleBuffer({ dir: join(dir, 'buffer'), downstream: () => {}, consumers: ['db'] });
      writer.takeSamples(buffer.consumer('db'));
      await buffer.drained();
      await expect.poll(() => buffer.stats().depth, { timeout: 10_000 }).toBe(0);
      await writer.close();
      await buffer.close();
      const stored = await store.series('kill', 'P.v', 0, Date.now());
      const values = stored.map((p) => p.value as number).sort((a, b) => a - b);
      expect(values.length).toBeGreaterThan(before); // the restart wrote what the killed writer held
      expect(values.length).toBeGreaterThan(500);
      expect(values).toEqual(values.map((_, i) => i)); // 0, 1, 2, … : no gap, none twice
      const newest = Math.max(...stored.map((p) => p.ts));
      expect(killedAt - newest).toBeLessThanOrEqual(250); // everything up to the last group commit (200 ms) before the kill
    } finally {
      await store?.close();
    }
  }, 60_000);
});
