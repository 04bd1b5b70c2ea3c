/** Raw SQL answers, the same on PGlite and `pg`. */
import type { SQL } from 'drizzle-orm';
import type { Db } from '../db-handle.ts';

/** The rows of a raw query (both drivers answer `{ rows }`). */
export async function sqlRows<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** How many rows an UPDATE or DELETE touched (`rowCount` on `pg`, `affectedRows` on PGlite). */
export function rowsAffected(result: unknown): number {
  const r = result as { rowCount?: number | null; affectedRows?: number };
  return Number(r.rowCount ?? r.affectedRows ?? 0);
}
