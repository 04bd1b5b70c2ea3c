// The depots of bench/scale-out: the demo depot copied into sites of about `points` points each (every copy read
// by the demo standard, bench/engine-bench-sites.ts), and a quiet depot's readings for them. Edges and workers
// build the same sites from the same numbers.
import { resolve } from 'node:path';
import { loadSite, type Point, type Sample, type Site } from '../model/index.ts';
import { QUIET_READINGS, syntheticSite } from './engine-bench-sites.ts';

export interface ScaleOutSize {
  sites: number;
  points: number;
  /** demo copies a site is made of (the rest of its points are plain readings no clause reads) */
  copies: number;
}

export const siteId = (i: number): string => `so-${String(i).padStart(3, '0')}`;

export async function scaleOutSites(size: ScaleOutSize, only?: readonly number[]): Promise<Site[]> {
  const demo = await loadSite(resolve('sites/zhoushan-demo.yaml'));
  const indexes = only ?? Array.from({ length: size.sites }, (_, i) => i);
  // no more copies than fit in the points asked for (a copy of the demo is about 87 points)
  const copies = Math.max(1, Math.min(size.copies, Math.floor(size.points / demo.points.length)));
  return indexes.map((i) => syntheticSite(demo, siteId(i), copies, size.points));
}

/** what an edge needs of a site to read it: its id and its points' ids, names and units */
export interface SitePoints {
  id: string;
  points: readonly Pick<Point, 'id' | 'name' | 'unit'>[];
}

/**
 * The points of the sites `only`, as ids, names and units: a site's points depend on the size alone (its id is
 * not in them), so they are built once and shared. An edge of the bench holds a quarter of a hundred sites, and
 * building their whole models (assets, plans, copies of the demo) cost it 180–240 MiB, what a depot's edge with
 * its one site never costs.
 */
export async function scaleOutSitePoints(size: ScaleOutSize, only: readonly number[]): Promise<SitePoints[]> {
  if (only.length === 0) return [];
  const [site] = await scaleOutSites(size, [only[0]!]);
  const points = site!.points.map(({ id, name, unit }) => ({ id, name, unit }));
  return only.map((i) => ({ id: siteId(i), points }));
}

/** every point of a site read once at `ts`; numbers move a little each round (a flat reading is suspect) */
export function siteRound(site: SitePoints, round: number, ts: number): Sample[] {
  return site.points.map((p) => {
    const quiet = QUIET_READINGS[p.name] ?? (p.unit === 'bool' ? false : 1);
    const value = typeof quiet === 'number' ? quiet + (round % 10) * 0.001 : quiet;
    return { site: site.id, point: p.id, value, quality: 'good', ts };
  });
}
