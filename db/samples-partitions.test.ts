import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sample } from '../model/index.ts';
import { createDrizzleStore } from './drizzle-store.ts';
import { MIGRATIONS_FOLDER } from './migrate.ts';
import { openStoreOnPglite } from './open.ts';
import * as schema from './schema.ts';
import { createPgliteMemoryTarget, createPostgresTarget, createTimescaleTarget, type StoreTarget } from './store-targets.ts';

const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const T0 = Date.UTC(2026, 5, 1);

const reading = (point: string, ts: number, value = 1): Sample => ({ site: 's1', point, ts, value, quality: 'good' });

const PARTITIONS = `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
  WHERE i.inhparent = 'samples'::regclass ORDER BY 1`;

/** the partitions' [from, to) in epoch ms, oldest first */
async function partitionsOf(t: StoreTarget): Promise<{ from: number; to: number }[]> {
  const rows = await t.admin!(`SELECT extract(epoch FROM (regexp_match(b, 'FROM [(]''([^'']+)''[)]'))[1]::timestamptz)::float8 * 1000 AS "from",
      extract(epoch FROM (regexp_match(b, 'TO [(]''([^'']+)''[)]'))[1]::timestamptz)::float8 * 1000 AS "to"
    FROM (SELECT pg_get_expr(c.relpartbound, c.oid) AS b FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'samples'::regclass) p
    ORDER BY 1`);
  return rows.map((r) => ({ from: Number(r.from), to: Number(r.to) }));
}

let disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const d of disposers.reverse()) await d();
  disposers = [];
});

async function target(make: () => Promise<StoreTarget>): Promise<StoreTarget> {
  const t = await make();
  disposers.push(() => t.dispose());
  return t;
}

for (const [name, make] of [
  ['PostgreSQL', () => createPostgresTarget(POSTGRES_URL)],
  ['PGlite', createPgliteMemoryTarget],
] as const) {
  describe(`samples partitioned by time on ${name}`, () => {
    it('makes a partition a day wide for each day readings arrive in, and reads across them', async () => {
      const t = await target(make);
      const store = await t.open();
      await store.writeSamples([reading('a', T0 + 5 * MIN, 1), reading('a', T0 + DAY + 5 * MIN, 2), reading('a', T0 - 1, 0)]);
      await store.writeSamples([reading('a', T0 + 6 * MIN, 3)]);
      const got = await store.series('s1', 'a', T0 - DAY, T0 + 2 * DAY);
      expect(got.map((p) => p.value)).toEqual([0, 1, 3, 2]);
      await store.close();
      expect(await partitionsOf(t)).toEqual([
        { from: T0 - DAY, to: T0 },
        { from: T0, to: T0 + DAY },
        { from: T0 + DAY, to: T0 + 2 * DAY },
      ]);
    });

    it('narrowed to minutes, fills only the gaps a wider partition made before leaves', async () => {
      const t = await target(make);
      const daily = await t.open();
      await daily.writeSamples([reading('a', T0 + 5 * MIN)]);
      await daily.close();
      const store = await t.open({ samplesPartitionMs: MIN });
      await store.writeSamples([reading('a', T0 + 7 * MIN), reading('a', T0 + DAY + 30_000), reading('a', T0 + DAY + MIN + 1), reading('a', T0 + DAY + 30_001)]);
      expect(await store.series('s1', 'a', T0, T0 + 2 * DAY)).toHaveLength(5);
      await store.close();
      expect(await partitionsOf(t)).toEqual([
        { from: T0, to: T0 + DAY },
        { from: T0 + DAY, to: T0 + DAY + MIN },
        { from: T0 + DAY + MIN, to: T0 + DAY + 2 * MIN },
      ]);
    });

    it('retention drops the partitions it emptied, keeps one a hold still needs, and a late reading into a dropped one is stored', async () => {
      const t = await target(make);
      const [a, b] = [await t.open(), await t.open()];
      await a.writeSamples([reading('a', T0 + MIN), reading('a', T0 + DAY + MIN), reading('a', T0 + 90 * DAY)]);
      await b.addHold({ site: 's1', from: T0 + DAY, to: T0 + 2 * DAY - 1, reason: 'incident inquiry' });
      const counts = await b.purge({ samples: 30 }, T0 + 91 * DAY);
      expect(counts.samples).toBe(1);
      expect(await partitionsOf(t)).toEqual([
        { from: T0 + DAY, to: T0 + 2 * DAY },
        { from: T0 + 90 * DAY, to: T0 + 91 * DAY },
      ]);
      // `a` still knows the dropped partition: its write finds none for the reading, learns them again, and makes it
      await a.writeSamples([reading('a', T0 + 2 * MIN)]);
      expect((await a.series('s1', 'a', T0, T0 + 100 * DAY)).map((p) => p.ts)).toEqual([T0 + 2 * MIN, T0 + DAY + MIN, T0 + 90 * DAY]);
      await Promise.all([a.close(), b.close()]);
    });

    it('repeats a stored batch without a second row, in a partition made by that batch', async () => {
      const t = await target(make);
      const store = await t.open();
      const batch = [reading('a', T0 + 3 * DAY), reading('b', T0 + 3 * DAY)];
      await store.writeSamples(batch);
      await store.writeSamples(batch);
      expect(await store.series('s1', 'a', T0, T0 + 4 * DAY)).toHaveLength(1);
      await store.close();
    });
  });
}

describe('samples partitioned by time, several writers', () => {
  it('two processes writing the first readings of a new day at once both store them', async () => {
    const t = await target(() => createPostgresTarget(POSTGRES_URL));
    const [a, b] = await Promise.all([t.open({ samplesPartitionMs: MIN }), t.open({ samplesPartitionMs: MIN })]);
    for (let round = 0; round < 5; round++) {
      const at = T0 + round * MIN + 1;
      await Promise.all([a.writeSamples([reading('a', at)]), b.writeSamples([reading('b', at)])]);
    }
    expect(await a.series('s1', 'a', T0, T0 + DAY)).toHaveLength(5);
    expect(await b.series('s1', 'b', T0, T0 + DAY)).toHaveLength(5);
    expect(await partitionsOf(t)).toHaveLength(5);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('a database from before partitioning', () => {
  it('keeps its readings, as the partition of everything before the day after the newest, and goes on writing', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'ketwin-migrations-'));
    disposers.push(() => rm(folder, { recursive: true, force: true }));
    await cp(MIGRATIONS_FOLDER, folder, { recursive: true });
    await rm(join(folder, '0010_samples_partitioned.sql'));
    const journalFile = join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: { tag: string }[] };
    journal.entries = journal.entries.filter((e) => e.tag !== '0010_samples_partitioned');
    await writeFile(journalFile, JSON.stringify(journal));

    const client = await PGlite.create();
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder: folder });
    const before = createDrizzleStore(db, 'pglite', async () => undefined);
    await before.writeSamples([reading('a', T0 + 5 * MIN, 1), reading('a', T0 + 10 * MIN, 2)]);
    expect((await client.query<{ relkind: string }>(`SELECT relkind FROM pg_class WHERE oid = 'samples'::regclass`)).rows[0]!.relkind).toBe('r');

    const store = await openStoreOnPglite(client);
    await store.writeSamples([reading('a', T0 + 20 * MIN, 3), reading('a', T0 + DAY + MIN, 4)]);
    expect((await store.series('s1', 'a', T0, T0 + 2 * DAY)).map((p) => p.value)).toEqual([1, 2, 3, 4]);
    const partitions = (await client.query<{ name: string; bound: string }>(PARTITIONS)).rows;
    expect(partitions.map((p) => p.name)).toEqual(['samples_before_partitioning', `samples_p${T0 + DAY}`]);
    expect(partitions[0]!.bound).toMatch(/FROM \(MINVALUE\) TO \('2026-06-02 00:00:00\+00'\)/);
    await store.close();
  });
});

describe('samples on TimescaleDB', () => {
  it('is a hypertable, not partitioned by ketwin, its chunks as wide as asked', async () => {
    const t = await target(createTimescaleTarget);
    const store = await t.open({ samplesPartitionMs: 10 * MIN });
    await store.writeSamples([reading('a', T0), reading('a', T0 + DAY)]);
    expect(await store.series('s1', 'a', T0, T0 + DAY)).toHaveLength(2);
    expect(await t.admin!(`SELECT relkind FROM pg_class WHERE oid = 'samples'::regclass`)).toEqual([{ relkind: 'r' }]);
    const [dimension] = await t.admin!(`SELECT time_interval::text AS width FROM timescaledb_information.dimensions WHERE hypertable_name = 'samples'`);
    expect(dimension).toEqual({ width: '00:10:00' });
    await store.close();
  });
});
