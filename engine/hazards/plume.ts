import type { PlanPoint } from './geo.ts';
import type { StabilityClass } from './stability.ts';

/**
 * Briggs' dispersion coefficients in the form σ = a·x·(1 + b·x)^c (x downwind, m), one (a, b, c) per
 * stability class for σy and for σz, read from the standard (Briggs 1973, open country).
 */
export interface Sigmas {
  y: Record<string, [number, number, number]>;
  z: Record<string, [number, number, number]>;
}

const sigma = ([a, b, c]: [number, number, number], x: number) => a * x * (1 + b * x) ** c;

/**
 * Ground-level concentration on the plume's axis of a continuous ground-level point release, kg/m³:
 * C(x) = Q / (π σy σz u) — the Gaussian plume with full reflection at the ground, source and receptor
 * at height 0 (Turner 1970, eq. 5.8 with H = 0; CCPS QRA Guidelines 2nd ed. §2.1.3).
 */
export function axisConcentration(qKgS: number, uMs: number, x: number, cls: StabilityClass, s: Sigmas): number {
  return qKgS / (Math.PI * sigma(s.y[cls]!, x) * sigma(s.z[cls]!, x) * uMs);
}

/** The downwind distance, m, at which the axis concentration falls to `limit` kg/m³ (bisection on the monotone C(x)); 0 if never above it past 1 m. */
export function distanceTo(limit: number, qKgS: number, uMs: number, cls: StabilityClass, s: Sigmas): number {
  const c = (x: number) => axisConcentration(qKgS, uMs, x, cls, s);
  if (c(1) <= limit) return 0;
  let lo = 1;
  let hi = 2;
  while (c(hi) > limit && hi < 1e6) hi *= 2;
  for (let i = 0; i < 60 && hi - lo > 0.01; i++) {
    const mid = (lo + hi) / 2;
    if (c(mid) > limit) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Half-width of the `limit` contour at x: y = σy·√(2 ln(C(x)/limit)), 0 where C(x) ≤ limit. */
export function halfWidth(limit: number, qKgS: number, uMs: number, x: number, cls: StabilityClass, s: Sigmas): number {
  const ratio = axisConcentration(qKgS, uMs, x, cls, s) / limit;
  return ratio > 1 ? sigma(s.y[cls]!, x) * Math.sqrt(2 * Math.log(ratio)) : 0;
}

/** points along the contour on each side */
const STEPS = 12;

/**
 * The `limit` contour of a plume from `origin` carried along the unit vector `towards`, out to
 * `lengthM` (its distance to the limit): points on both sides, origin to tip, on the plan.
 */
export function contour(origin: PlanPoint, towards: PlanPoint, lengthM: number, widthAt: (x: number) => number): PlanPoint[] {
  const points: PlanPoint[] = [origin];
  const across = { x: -towards.y, y: towards.x };
  for (let i = 1; i <= STEPS; i++) {
    const x = (lengthM * i) / STEPS;
    const w = i === STEPS ? 0 : widthAt(x);
    const along = { x: origin.x + towards.x * x, y: origin.y + towards.y * x };
    points.push({ x: along.x + across.x * w, y: along.y + across.y * w }, { x: along.x - across.x * w, y: along.y - across.y * w });
  }
  return points;
}
