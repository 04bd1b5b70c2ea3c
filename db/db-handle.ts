import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.ts';

/** A drizzle database over ketwin's schema, on PGlite or `pg`: what the store's parts query. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
