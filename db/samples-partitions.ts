/**
 * The time partitions of `samples` on plain PostgreSQL and PGlite (migration 0010): before a batch
 * is written, every reading's time must fall in a partition, so the partitions it lacks are made
 * first, one interval wide, aligned to the epoch. A partition made earlier with another interval, or
 * the one holding readings from before partitioning, is respected: a new partition fills only the gap
 * between its neighbours. Several processes writing at once may race to make the same partition;
 * the loser reads the partitions again and goes on. Under TimescaleDB `samples` is a hypertable that
 * makes its own chunks, and this does nothing.
 */
import { sql } from 'drizzle-orm';
import type { Db } from './db-handle.ts';
import { sqlState } from './dead-letters.ts';
import { sqlRows } from './drizzle/sql-rows.ts';

export const DEFAULT_SAMPLES_PARTITION_MS = 24 * 3_600_000;

export interface SamplesPartitions {
  /** Makes the partitions that readings at these times (epoch ms) need. */
  ensure(ts: ArrayLike<number>): Promise<void>;
  /** After a write found no partition for a reading (one dropped by another process): read them again. */
  forget(): void;
  /** Drops the partitions wholly before `cutoff` (epoch ms) that hold no reading any more (retention, holds kept); how many. */
  dropEmptyBefore(cutoff: number): Promise<number>;
}

/** [from, to) in epoch ms; ±Infinity for MINVALUE / MAXVALUE */
interface Range {
  from: number;
  to: number;
}

interface Partition extends Range {
  name: string;
}

const DUPLICATE_TABLE = '42P07';
const OVERLAPS_PARTITION = '42P17';
const RACES = new Set([DUPLICATE_TABLE, OVERLAPS_PARTITION, '23505']);

export function createSamplesPartitions(db: Db, intervalMs: number = DEFAULT_SAMPLES_PARTITION_MS): SamplesPartitions {
  if (!Number.isInteger(intervalMs) || intervalMs < 60_000) throw new RangeError(`samples partition interval must be a whole number of ms ≥ 1 minute, got ${intervalMs}`);
  /** null until read; empty when `samples` is not partitioned */
  let ranges: Partition[] | null = null;
  let partitioned = true;

  async function read(): Promise<Partition[]> {
    const rows = await sqlRows<{ partitioned: boolean; name: string | null; from_ms: string | null; to_ms: string | null; min_from: boolean; max_to: boolean }>(
      db,
      sql`SELECT p.relkind = 'p' AS partitioned, b.name,
                 extract(epoch FROM (regexp_match(b.bound, 'FROM [(]''([^'']+)''[)]'))[1]::timestamptz) * 1000 AS from_ms,
                 extract(epoch FROM (regexp_match(b.bound, 'TO [(]''([^'']+)''[)]'))[1]::timestamptz) * 1000 AS to_ms,
                 coalesce(b.bound LIKE '%FROM (MINVALUE)%', false) AS min_from,
                 coalesce(b.bound LIKE '%TO (MAXVALUE)%', false) AS max_to
          FROM pg_class p
          LEFT JOIN LATERAL (SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                             WHERE i.inhparent = p.oid) b ON true
          WHERE p.oid = 'samples'::regclass`,
    );
    partitioned = rows[0]?.partitioned === true;
    const found: Partition[] = [];
    for (const r of rows) {
      if (r.name === null || (r.from_ms === null && !r.min_from)) continue;
      found.push({ name: r.name, from: r.min_from ? -Infinity : Number(r.from_ms), to: r.max_to ? Infinity : Number(r.to_ms) });
    }
    return found.sort((a, b) => a.from - b.from);
  }

  function covered(list: Range[], t: number): boolean {
    // few partitions are live at once; the newest are at the end, where live readings land
    for (let i = list.length - 1; i >= 0; i--) {
      const r = list[i]!;
      if (t >= r.from && t < r.to) return true;
      if (r.to <= t) return false;
    }
    return false;
  }

  /** the missing range around t: one interval, cut to the gap between its neighbours */
  function gapAround(list: Range[], t: number): Range {
    const start = Math.floor(t / intervalMs) * intervalMs;
    let from = start;
    let to = start + intervalMs;
    for (const r of list) {
      if (r.to <= t) from = Math.max(from, r.to);
      else if (r.from > t) to = Math.min(to, r.from);
    }
    return { from, to };
  }

  async function create(range: Range): Promise<void> {
    const name = `"samples_p${range.from}"`;
    const from = new Date(range.from).toISOString();
    const to = new Date(range.to).toISOString();
    try {
      await db.execute(sql.raw(`CREATE TABLE IF NOT EXISTS ${name} PARTITION OF samples FOR VALUES FROM ('${from}') TO ('${to}')`));
    } catch (err) {
      if (!RACES.has(sqlState(err) ?? '')) throw err;
    }
  }

  return {
    async ensure(ts) {
      if (!partitioned || ts.length === 0) return;
      ranges ??= await read();
      if (!partitioned) return;
      let last = NaN;
      let missing: number[] | undefined;
      for (let i = 0; i < ts.length; i++) {
        const t = ts[i]!;
        if (t === last) continue;
        last = t;
        if (!covered(ranges, t)) (missing ??= []).push(t);
      }
      if (missing === undefined) return;
      for (const t of missing) {
        if (covered(ranges, t)) continue;
        await create(gapAround(ranges, t));
        ranges = await read();
        if (!covered(ranges, t)) throw new Error(`no partition of samples holds ${new Date(t).toISOString()} after making one`);
      }
    },

    forget() {
      ranges = null;
    },

    async dropEmptyBefore(cutoff) {
      const all = await read();
      if (!partitioned) return 0;
      let dropped = 0;
      for (const p of all) {
        if (!(p.to <= cutoff)) continue;
        const name = sql.raw(`"${p.name.replaceAll('"', '""')}"`);
        const gone = await db.transaction(async (tx) => {
          // locked first, so that no reading lands in it between the look and the drop
          await tx.execute(sql`LOCK TABLE ${name} IN ACCESS EXCLUSIVE MODE`);
          const [held] = await sqlRows<{ any: boolean }>(tx as unknown as Db, sql`SELECT EXISTS (SELECT 1 FROM ${name}) AS any`);
          if (held?.any === true) return false;
          await tx.execute(sql`DROP TABLE ${name}`);
          return true;
        });
        if (gone) dropped++;
      }
      ranges = null;
      return dropped;
    },
  };
}
