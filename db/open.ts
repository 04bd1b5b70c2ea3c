/**
 * Opens the store: PostgreSQL through `pg` when a postgres:// URL is given (DATABASE_URL),
 * otherwise embedded PGlite persisted under `<dataDir>/pglite`. Migrations are applied first.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pino, type Logger } from 'pino';
import { from as copyFrom } from 'pg-copy-streams';
import { SAMPLE_COPY_COLUMNS } from './copy-binary.ts';
import type { TimescaleOptions } from './timescale.ts';
import { createDrizzleStore } from './drizzle-store.ts';
import { MIGRATIONS_FOLDER, migratePgliteInstance, migratePostgres, redact } from './migrate.ts';
import { makePgliteDirectory } from './pglite-first-open.ts';
import * as schema from './schema.ts';
import { StoreError, type Store } from './store.ts';

export interface OpenStoreOptions {
  /** postgres:// or postgresql:// URL; when absent, embedded PGlite is used. */
  url?: string;
  /** Where PGlite keeps its files (under `<dataDir>/pglite`); default `./data`. */
  dataDir?: string;
  /** Maximum connections of the PostgreSQL pool; default 4. */
  poolSize?: number;
  /** Retention and aggregate settings of the TimescaleDB layer, when the extension is present. */
  timescale?: TimescaleOptions;
  /**
   * Width of a time partition of `samples` (a TimescaleDB chunk where it is there, made with the table); default a
   * day. Narrow it where one partition's index would outgrow the buffer cache (README "Sizing").
   */
  samplesPartitionMs?: number;
  logger?: Logger;
}

export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const logger = options.logger ?? pino({ level: 'silent' });
  if (options.url !== undefined && options.url !== '') return openPostgres(options.url, options, logger);
  return openPglite(resolve(options.dataDir ?? './data'), options, logger);
}

const UNIQUE_VIOLATION = '23505';

/** The TimescaleDB layer's settings, its samples chunks as wide as the partitions asked for. */
const timescaleSettings = (options: { timescale?: TimescaleOptions; samplesPartitionMs?: number }): TimescaleOptions => ({
  samplesChunkMs: options.samplesPartitionMs,
  ...options.timescale,
});

async function openPostgres(url: string, options: OpenStoreOptions, logger: Logger): Promise<Store> {
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new StoreError('INVALID_OPTIONS', `DATABASE_URL must be a postgres:// URL, got ${redact(url)}`);
  }
  const timescale = await migratePostgres(url, timescaleSettings(options));
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 4 });
  // An idle connection cut by the server (restart, pg_terminate_backend) must not crash the
  // process; the pool drops it and the next query connects again.
  pool.on('error', (err) => logger.warn({ err: err.message }, 'PostgreSQL connection lost'));
  logger.info({ url: redact(url), timescale }, 'store open on PostgreSQL');
  return createDrizzleStore(drizzlePg(pool, { schema }), 'postgres', () => pool.end(), {
    timescale,
    samplesPartitionMs: options.samplesPartitionMs,
    async copySamples(data) {
      const client = await pool.connect();
      let failure: Error | undefined;
      // A server-side cut while the client is checked out arrives as an 'error' event too.
      const onError = (err: Error): void => {
        failure ??= err;
      };
      client.on('error', onError);
      try {
        await pipeline(Readable.from([data]), client.query(copyFrom(`COPY samples ${SAMPLE_COPY_COLUMNS} FROM STDIN WITH (FORMAT binary)`)));
      } catch (err) {
        failure = err as Error;
        throw err;
      } finally {
        // A connection cut mid-COPY is discarded; a refused batch (duplicate key) leaves it usable.
        client.off('error', onError);
        const broken = failure !== undefined && (failure as { code?: string }).code !== UNIQUE_VIOLATION;
        client.release(broken ? failure : undefined);
      }
    },
  });
}

/**
 * PostgreSQL's buffer cache inside PGlite's WebAssembly memory (its default, 128 MB, is kept for good
 * once touched): a site's live writes are small and its charts read one series at a time.
 */
const PGLITE_SETTINGS = ['shared_buffers = 16MB'];

async function openPglite(dataDir: string, options: OpenStoreOptions, logger: Logger): Promise<Store> {
  const dir = join(dataDir, 'pglite');
  let client: PGlite;
  try {
    await mkdir(dataDir, { recursive: true });
    await makePgliteDirectory(dir, MIGRATIONS_FOLDER);
    client = await PGlite.create(dir, { postgresqlconf: PGLITE_SETTINGS });
  } catch (cause) {
    if (cause instanceof StoreError) throw cause;
    throw new StoreError('CONNECT_FAILED', `cannot open PGlite in ${dir}: ${(cause as Error).message}`, { cause });
  }
  return openStoreOnPglite(client, { label: dir, timescale: options.timescale, samplesPartitionMs: options.samplesPartitionMs, logger });
}

/**
 * A store over a PGlite instance created by the caller (e.g. a build with more extensions,
 * such as the TimescaleDB one the tests use); the store closes it.
 */
export async function openStoreOnPglite(
  client: PGlite,
  options: { label?: string; timescale?: TimescaleOptions; samplesPartitionMs?: number; logger?: Logger } = {},
): Promise<Store> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const label = options.label ?? 'memory';
  let timescale: boolean;
  try {
    timescale = await migratePgliteInstance(client, label, timescaleSettings(options));
  } catch (err) {
    await client.close().catch(() => undefined);
    throw err;
  }
  logger.info({ dataDir: label, timescale }, 'store open on embedded PGlite');
  return createDrizzleStore(drizzlePglite(client, { schema }), 'pglite', () => client.close(), {
    timescale,
    samplesPartitionMs: options.samplesPartitionMs,
    async copySamples(data) {
      await client.query(`COPY samples ${SAMPLE_COPY_COLUMNS} FROM '/dev/blob' WITH (FORMAT binary)`, [], { blob: new Blob([data as Uint8Array<ArrayBuffer>]) });
    },
  });
}
