import type { PlanPoint } from './geo.ts';

const DEG = Math.PI / 180;
const along = (p: PlanPoint, bearingDeg: number, d: number): PlanPoint => ({ x: p.x + d * Math.sin(bearingDeg * DEG), y: p.y + d * Math.cos(bearingDeg * DEG) });

/** The outline of a zone that starts at a circle's edge and reaches `reachAt(bearing)` metres beyond it. */
export function ringAroundCircle(centre: PlanPoint, radiusM: number, reachAt: (bearingDeg: number) => number, stepDeg = 7.5): PlanPoint[] {
  const ring: PlanPoint[] = [];
  for (let b = 0; b < 360; b += stepDeg) ring.push(along(centre, b, radiusM + reachAt(b)));
  return ring;
}
