/**
 * (site, point) → series id, cached for the life of the store. Unknown pairs are created in
 * one statement per batch; concurrent creators meet on the unique key.
 */
import { sql } from 'drizzle-orm';
import type { Db } from './db-handle.ts';

export interface SeriesIds {
  /** The id of every (site, point) of the batch, in order; creates the missing ones. */
  resolve(sites: readonly string[], points: readonly string[]): Promise<Int32Array>;
  /** The id of an existing (site, point), or undefined. */
  find(site: string, point: string): Promise<number | undefined>;
}

const keyOf = (site: string, point: string): string => `${site}\u0000${point}`;

export function createSeriesIds(db: Db): SeriesIds {
  // per site, per point: a batch's lookups make no key string per sample (a central worker resolves every sample it takes)
  const cache = new Map<string, Map<string, number>>();
  const cached = (site: string, point: string): number | undefined => cache.get(site)?.get(point);
  const remember = (site: string, point: string, id: number): void => {
    let points = cache.get(site);
    if (!points) cache.set(site, (points = new Map()));
    points.set(point, id);
  };

  async function load(sites: string[], points: string[], create: boolean): Promise<void> {
    if (create) {
      await db.execute(sql`
        INSERT INTO series (site, point)
        SELECT * FROM unnest(${sql.param(sites)}::text[], ${sql.param(points)}::text[])
        ON CONFLICT DO NOTHING`);
    }
    const found = await db.execute<{ id: number; site: string; point: string }>(sql`
      SELECT s.id, s.site, s.point FROM series s
      JOIN unnest(${sql.param(sites)}::text[], ${sql.param(points)}::text[]) AS u(site, point)
        ON s.site = u.site AND s.point = u.point`);
    const rows = (found as unknown as { rows: { id: number; site: string; point: string }[] }).rows;
    for (const r of rows) remember(r.site, r.point, Number(r.id));
  }

  return {
    async resolve(sites, points) {
      const ids = new Int32Array(sites.length);
      let missingSites: string[] | undefined;
      let missingPoints: string[] | undefined;
      const seen = new Set<string>();
      // a batch is mostly one site's: its map is looked up again only when the site changes
      let site: string | undefined;
      let ofSite: Map<string, number> | undefined;
      for (let i = 0; i < sites.length; i++) {
        if (sites[i] !== site) {
          site = sites[i]!;
          ofSite = cache.get(site);
        }
        const id = ofSite?.get(points[i]!);
        if (id !== undefined) ids[i] = id;
        else if (!seen.has(keyOf(sites[i]!, points[i]!))) {
          seen.add(keyOf(sites[i]!, points[i]!));
          (missingSites ??= []).push(sites[i]!);
          (missingPoints ??= []).push(points[i]!);
        }
      }
      if (missingSites === undefined) return ids;
      await load(missingSites, missingPoints!, true);
      for (let i = 0; i < sites.length; i++) {
        const id = cached(sites[i]!, points[i]!);
        if (id === undefined) throw new Error(`series (${sites[i]}, ${points[i]}) was not created`);
        ids[i] = id;
      }
      return ids;
    },
    async find(site, point) {
      const known = cached(site, point);
      if (known !== undefined) return known;
      await load([site], [point], false);
      return cached(site, point);
    },
  };
}
