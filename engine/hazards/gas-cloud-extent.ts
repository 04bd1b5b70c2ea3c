import type { Asset } from '../../model/index.ts';
import { circleRing, type PlanPoint } from './geo.ts';
import { insidePolygon } from './polygon.ts';

/** segments of the circles a cloud or cordon is built from: fine enough at depot scale, small in JSON */
const SEGMENTS = 16;

/** Convex hull (Andrew's monotone chain), counter-clockwise, without collinear points. */
export function convexHull(points: PlanPoint[]): PlanPoint[] {
  const sorted = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  if (sorted.length < 3) return sorted;
  const cross = (o: PlanPoint, a: PlanPoint, b: PlanPoint) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  const half = (list: PlanPoint[]) => {
    const chain: PlanPoint[] = [];
    for (const p of list) {
      while (chain.length >= 2 && cross(chain.at(-2)!, chain.at(-1)!, p) <= 0) chain.pop();
      chain.push(p);
    }
    chain.pop();
    return chain;
  };
  return [...half(sorted), ...half([...sorted].reverse())];
}

/**
 * The area swept by discs of `radiusM` around each point and around each point moved by `shift`:
 * the convex hull of both sets of circles (a stadium for one point, a hull of stadia for several).
 */
export function swept(points: PlanPoint[], radiusM: number, shift?: PlanPoint): PlanPoint[] {
  const centres = shift ? [...points, ...points.map((p) => ({ x: p.x + shift.x, y: p.y + shift.y }))] : points;
  const hull = convexHull(centres.flatMap((c) => circleRing(c, radiusM, SEGMENTS)));
  return hull.map((p) => ({ x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 }));
}

/** Unit vector the wind blows towards, on the plan (x east, y north), from the direction it blows FROM. */
export function downwind(fromDeg: number): PlanPoint {
  const to = ((fromDeg + 180) * Math.PI) / 180;
  return { x: Math.sin(to), y: Math.cos(to) };
}

/** What an asset covers on the plan: a tank its shell circle, a dike its outline, anything else its position. */
export function footprint(asset: Asset): PlanPoint[] {
  if (asset.kind === 'tank') return circleRing(asset.position, asset.attributes.diameter / 2, SEGMENTS);
  if (asset.kind === 'dike' || asset.kind === 'congested-area') return asset.attributes.outline;
  return [asset.position];
}

/** Does the asset's footprint reach into the polygon (or, for an area, the polygon into it)? */
export function reaches(asset: Asset, ring: PlanPoint[]): boolean {
  const area = footprint(asset);
  if (area.some((p) => insidePolygon(p, ring))) return true;
  return area.length >= 3 && ring.some((p) => insidePolygon(p, area));
}
