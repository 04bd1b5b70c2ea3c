import type { PlanPoint } from './geo.ts';

const DEG = Math.PI / 180;
const along = (p: PlanPoint, bearingDeg: number, d: number): PlanPoint => ({ x: p.x + d * Math.sin(bearingDeg * DEG), y: p.y + d * Math.cos(bearingDeg * DEG) });

/** The outline of a zone that starts at a circle's edge and reaches `reachAt(bearing)` metres beyond it. */
export function ringAroundCircle(centre: PlanPoint, radiusM: number, reachAt: (bearingDeg: number) => number, stepDeg = 7.5): PlanPoint[] {
  const ring: PlanPoint[] = [];
  for (let b = 0; b < 360; b += stepDeg) ring.push(along(centre, b, radiusM + reachAt(b)));
  return ring;
}

/**
 * The outline of a zone that starts at a convex outline (a dike wall) and reaches `reachAt(bearing)`
 * metres beyond it, measured along the outward normal: each edge moved out, each corner rounded.
 */
export function ringAroundOutline(outline: PlanPoint[], reachAt: (bearingDeg: number) => number, stepDeg = 10): PlanPoint[] {
  const n = outline.length;
  let twiceArea = 0;
  for (let i = 0; i < n; i++) {
    const a = outline[i]!;
    const b = outline[(i + 1) % n]!;
    twiceArea += a.x * b.y - b.x * a.y;
  }
  const sign = twiceArea >= 0 ? 1 : -1; // counter-clockwise: the outward normal of (dx, dy) is (dy, −dx)
  const normalBearing = (a: PlanPoint, b: PlanPoint) => Math.atan2(sign * (b.y - a.y), -sign * (b.x - a.x)) / DEG;
  const ring: PlanPoint[] = [];
  for (let i = 0; i < n; i++) {
    const prev = outline[(i + n - 1) % n]!;
    const at = outline[i]!;
    const next = outline[(i + 1) % n]!;
    const from = normalBearing(prev, at);
    const turn = ((((normalBearing(at, next) - from) % 360) + 540) % 360) - 180;
    const steps = Math.max(1, Math.ceil(Math.abs(turn) / stepDeg));
    for (let k = 0; k <= steps; k++) {
      const b = from + (turn * k) / steps;
      ring.push(along(at, b, reachAt(((b % 360) + 360) % 360)));
    }
  }
  return ring;
}

/** The centroid and area of a polygon (shoelace). */
export function polygonCentroid(outline: PlanPoint[]): { centre: PlanPoint; area: number } {
  let a2 = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < outline.length; i++) {
    const p = outline[i]!;
    const q = outline[(i + 1) % outline.length]!;
    const cross = p.x * q.y - q.x * p.y;
    a2 += cross;
    cx += (p.x + q.x) * cross;
    cy += (p.y + q.y) * cross;
  }
  return { centre: { x: cx / (3 * a2), y: cy / (3 * a2) }, area: Math.abs(a2) / 2 };
}
