/**
 * A new PGlite data directory is made (initdb and the migrations) in a child process: initialising
 * grows PGlite's WebAssembly memory to ~600 MiB and WebAssembly memory never shrinks, so the process
 * that keeps the database open would hold it for its whole life. Reopening a made directory costs
 * ~100 MiB. The child is plain node without a TypeScript loader (it only requires the packages'
 * CommonJS builds), so it runs the same under tsx, vitest and a bundle.
 */
import { spawn } from 'node:child_process';
import { access, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { StoreError } from './store.ts';

/** Run by the child: argv is [pglite, drizzle-orm/pglite, its migrator, directory, migrations folder]. */
const MAKE_DIRECTORY = `
const [pglite, drizzle, migrator, dir, migrationsFolder] = process.argv.slice(1);
(async () => {
  const client = await require(pglite).PGlite.create(dir);
  try {
    await require(migrator).migrate(require(drizzle).drizzle(client), { migrationsFolder });
  } finally {
    await client.close();
  }
})().catch((error) => {
  process.stderr.write(String((error && error.message) || error));
  process.exit(1);
});
`;

/** True when `dir` already holds a PGlite (PostgreSQL) data directory. */
async function isDataDirectory(dir: string): Promise<boolean> {
  return access(join(dir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
}

/**
 * Makes `dir` a migrated PGlite data directory unless it is one already. It is made under a
 * temporary name beside `dir` and renamed when complete, so a start killed half-way leaves no
 * half-made directory for the next start to open.
 */
export async function makePgliteDirectory(dir: string, migrationsFolder: string): Promise<void> {
  if (await isDataDirectory(dir)) return;
  const existing = await readdir(dir).catch(() => undefined);
  // PGlite would run initdb among them and take the directory over
  if (existing && existing.length > 0) {
    throw new StoreError('CONNECT_FAILED', `${dir} holds files but no database (no PG_VERSION): move them away or set KETWIN_DATA to another directory`);
  }
  const making = join(dirname(dir), `.pglite-making-${process.pid}`);
  await rm(making, { recursive: true, force: true });
  const require = createRequire(import.meta.url);
  const args = [require.resolve('@electric-sql/pglite'), require.resolve('drizzle-orm/pglite'), require.resolve('drizzle-orm/pglite/migrator'), making, migrationsFolder];
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', MAKE_DIRECTORY, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        code === 0 ? resolve() : reject(new Error(`the child making it ${signal ? `was killed by ${signal}` : `exited with ${code}`}: ${stderr.trim().slice(-500)}`)),
      );
    });
    if (existing) await rmdir(dir);
    await rename(making, dir);
  } catch (cause) {
    await rm(making, { recursive: true, force: true });
    throw new StoreError('CONNECT_FAILED', `cannot make a PGlite data directory in ${dir}: ${(cause as Error).message}`, { cause });
  }
}
