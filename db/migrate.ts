/**
 * Applies db/migrations/ (drizzle-kit output). On PostgreSQL it runs on its own connection,
 * under an advisory lock so that processes starting together migrate once. PGlite is a
 * single-connection embedded database: its migrations run on the instance before the store
 * gets it.
 */
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { StoreError } from './store.ts';
import { applyTimescale, detectTimescale, type Query, type TimescaleOptions } from './timescale.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

/** Arbitrary constant naming ketwin's migration lock among the server's advisory locks. */
const MIGRATION_LOCK = 4_711_202_406;

/** Migrates, then applies the TimescaleDB layer when the extension is there; true if it is. */
export async function migratePostgres(url: string, timescale: TimescaleOptions = {}): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (cause) {
    throw new StoreError('CONNECT_FAILED', `cannot connect to PostgreSQL at ${redact(url)}: ${(cause as Error).message}`, { cause });
  }
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePg(drizzlePg(client), { migrationsFolder: MIGRATIONS_FOLDER });
    const query: Query = (text) => client.query(text);
    if (!(await detectTimescale(query))) return false;
    await applyTimescale(query, timescale);
    return true;
  } catch (cause) {
    throw new StoreError('MIGRATION_FAILED', `migrating PostgreSQL at ${redact(url)} failed: ${(cause as Error).message}`, { cause });
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function migratePgliteInstance(client: PGlite, dataDir: string, timescale: TimescaleOptions = {}): Promise<boolean> {
  try {
    await migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_FOLDER });
    const query: Query = (text) => client.query(text);
    if (!(await detectTimescale(query))) return false;
    await applyTimescale(query, timescale);
    return true;
  } catch (cause) {
    throw new StoreError('MIGRATION_FAILED', `migrating PGlite in ${dataDir} failed: ${(cause as Error).message}`, { cause });
  }
}

/** The URL without its password, for messages and logs. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable DATABASE_URL>';
  }
}
