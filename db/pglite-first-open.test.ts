import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { MIGRATIONS_FOLDER } from './migrate.ts';
import { openStore } from './open.ts';
import { makePgliteDirectory } from './pglite-first-open.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ketwin-pglite-first-'));
  dirs.push(dir);
  return dir;
}

describe('a new PGlite data directory', () => {
  it('is made and migrated in a child: the process that opens it does not keep the memory initdb grew', async () => {
    const dataDir = await tempDir();
    const before = process.memoryUsage().external;
    const store = await openStore({ dataDir });
    try {
      // initdb in this process grew PGlite's WebAssembly memory to ~630 MiB; a reopened directory with 16 MB of
      // shared buffers holds ~150 MiB
      expect((process.memoryUsage().external - before) / 2 ** 20).toBeLessThan(250);
      await store.appendAudit({ actor: 'test', action: 'made', subject: 'pglite' });
      expect((await store.auditRecords()).map((r) => r.action)).toEqual(['made']);
    } finally {
      await store.close();
    }
    // nothing left beside it
    expect(await readdir(dataDir)).toEqual(['pglite']);
  }, 120_000);

  it('comes with every migration applied, and an existing directory is opened as it is', async () => {
    const dir = join(await tempDir(), 'pglite');
    await makePgliteDirectory(dir, MIGRATIONS_FOLDER);
    const client = await PGlite.create(dir);
    try {
      const applied = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
      const files = (await readdir(MIGRATIONS_FOLDER)).filter((f) => f.endsWith('.sql'));
      expect(applied.rows[0]!.n).toBe(files.length);
      await client.query('CREATE TABLE kept (x int)');
    } finally {
      await client.close();
    }
    await makePgliteDirectory(dir, MIGRATIONS_FOLDER);
    const again = await PGlite.create(dir);
    try {
      expect((await again.query('SELECT * FROM kept')).rows).toEqual([]);
    } finally {
      await again.close();
    }
  }, 120_000);

  it('a directory holding something else is refused, naming it, and left as it was', async () => {
    const dataDir = await tempDir();
    await mkdir(join(dataDir, 'pglite'));
    await writeFile(join(dataDir, 'pglite', 'notes.txt'), 'not a database');
    await expect(openStore({ dataDir })).rejects.toThrow(`${join(dataDir, 'pglite')} holds files but no database (no PG_VERSION)`);
    expect(await readdir(join(dataDir, 'pglite'))).toContain('notes.txt');
  }, 120_000);

  it('a failure to make it says where and why, and leaves no half-made directory', async () => {
    const dataDir = await tempDir();
    await expect(makePgliteDirectory(join(dataDir, 'pglite'), join(dataDir, 'no-migrations'))).rejects.toThrow(
      new RegExp(`cannot make a PGlite data directory in ${join(dataDir, 'pglite')}: the child making it exited with 1`),
    );
    expect(await readdir(dataDir)).toEqual([]);
  }, 120_000);
});
