import type { PlanPoint } from './geo.ts';
import { distanceToOutline, insidePolygon } from './polygon.ts';

const DEG = Math.PI / 180;
const along = (p: PlanPoint, bearingDeg: number, d: number): PlanPoint => ({ x: p.x + d * Math.sin(bearingDeg * DEG), y: p.y + d * Math.cos(bearingDeg * DEG) });

/** The outline of a zone that starts at a circle's edge and reaches `reachAt(bearing)` metres beyond it. */
export function ringAroundCircle(centre: PlanPoint, radiusM: number, reachAt: (bearingDeg: number) => number, stepDeg = 7.5): PlanPoint[] {
  const ring: PlanPoint[] = [];
  for (let b = 0; b < 360; b += stepDeg) ring.push(along(centre, b, radiusM + reachAt(b)));
  return ring;
}

/**
 * The outline of a zone that starts at a polygon's edge (a dike wall) and reaches `reachAt(bearing)`
 * metres beyond it, bearings taken from `centre` (inside the polygon): on each ray from the centre,
 * the farthest point whose distance to the outline is the reach — the polygon buffered by the reach,
 * corners rounded, never drawn nearer to the wall than the reach (a ray offset from the wall point
 * would cut the corners and draw the zone smaller than it is).
 */
export function ringAroundPolygon(centre: PlanPoint, outline: PlanPoint[], reachAt: (bearingDeg: number) => number, stepDeg = 5): PlanPoint[] {
  const ring: PlanPoint[] = [];
  const far = outline.reduce((m, p) => Math.max(m, Math.hypot(p.x - centre.x, p.y - centre.y)), 0);
  for (let b = 0; b < 360; b += stepDeg) {
    const reach = Math.max(0, reachAt(b));
    // the buffered outline crosses the ray once between the centre and the farthest vertex + reach
    let lo = 0;
    let hi = far + reach + 1;
    for (let k = 0; k < 40 && hi - lo > 0.05; k++) {
      const mid = (lo + hi) / 2;
      const p = along(centre, b, mid);
      if (insidePolygon(p, outline) || distanceToOutline(p, outline) <= reach) lo = mid;
      else hi = mid;
    }
    ring.push(along(centre, b, lo));
  }
  return ring;
}
