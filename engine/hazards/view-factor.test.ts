import { describe, expect, it } from 'vitest';
import { flameFlux } from './pool-fire.ts';
import { tiltedCylinderViewFactors, uprightCylinderViewFactors } from './view-factor.ts';

/**
 * View factor from a small target at (b·cos ψ, b·sin ψ, 0) to the solid flame, by direct integration over
 * its lateral surface: F = ∫ cos β_flame · cos β_target / (π s²) dA over the elements that face the target
 * and that the target faces (a convex body: no element hides another that faces the target). The flame is
 * the sheared cylinder of radius 1 (lengths in radii): horizontal circles displaced by z·tan θ towards +x,
 * of height a·cos θ. The vertical target faces the base centre; the horizontal one faces up.
 * Midpoint rule on an n × n grid (θ around, z up).
 */
function integrated(a: number, b: number, tiltRad: number, psiRad = 0, n = 500): { vertical: number; horizontal: number } {
  const t = [b * Math.cos(psiRad), b * Math.sin(psiRad), 0];
  const facing = [-Math.cos(psiRad), -Math.sin(psiRad), 0];
  const tan = Math.tan(tiltRad);
  const height = a * Math.cos(tiltRad);
  let vertical = 0;
  let horizontal = 0;
  for (let i = 0; i < n; i++) {
    const phi = ((i + 0.5) / n) * 2 * Math.PI;
    const [c, s] = [Math.cos(phi), Math.sin(phi)];
    // tangents ∂P/∂φ = (−sin φ, cos φ, 0), ∂P/∂z = (tan θ, 0, 1): their cross product is the outward normal × dA/(dφ dz)
    const normal = [c, s, -tan * c];
    const len = Math.hypot(normal[0]!, normal[1]!, normal[2]!);
    for (let j = 0; j < n; j++) {
      const z = ((j + 0.5) / n) * height;
      const p = [z * tan + c, s, z];
      const d = [t[0]! - p[0]!, t[1]! - p[1]!, t[2]! - p[2]!];
      const s2 = d[0]! ** 2 + d[1]! ** 2 + d[2]! ** 2;
      const dist = Math.sqrt(s2);
      const cosFlame = (normal[0]! * d[0]! + normal[1]! * d[1]! + normal[2]! * d[2]!) / (len * dist);
      if (cosFlame <= 0) continue;
      const dA = len * ((2 * Math.PI) / n) * (height / n);
      const cosVertical = -(facing[0]! * d[0]! + facing[1]! * d[1]!) / dist;
      const cosHorizontal = d[2]! / -dist;
      if (cosVertical > 0) vertical += (cosFlame * cosVertical * dA) / (Math.PI * s2);
      if (cosHorizontal > 0) horizontal += (cosFlame * cosHorizontal * dA) / (Math.PI * s2);
    }
  }
  return { vertical, horizontal };
}

const DEG = Math.PI / 180;

describe('view factor of a cylindrical flame (Mudan 1987), against integration over the flame surface', () => {
  // a = L/R, b = X/R, tilt; T101's fire: a = 54.4/40 = 1.36 calm, 44.1/40 = 1.10 tilted 54° at 4.2 m/s; T102's shell at b = 90/40 = 2.25
  const cases: [number, number, number][] = [
    [1.36, 2.25, 0],
    [1.1, 2.25, 54],
    [1.1, 2.25, -54],
    [2, 3, 30],
    [0.06, 1.05, 0],
    [3, 5, 20],
    [1.2, 2.5, 45],
    [2.56, 3, 0],
    [0.5, 10, 60],
  ];
  it.each(cases)('a = %f, b = %f, tilt %f°: closed form within 0.2 % of the integral', (a, b, tiltDeg) => {
    const exact = tiltedCylinderViewFactors(a, b, tiltDeg * DEG)!;
    const numeric = integrated(a, b, tiltDeg * DEG);
    expect(exact.vertical).toBeGreaterThan(0);
    expect(Math.abs(exact.vertical / numeric.vertical - 1)).toBeLessThan(0.002);
    expect(Math.abs(exact.horizontal / numeric.horizontal - 1)).toBeLessThan(0.002);
  });

  it('the upright special case: the tilted form at θ = 0 is the textbook upright form', () => {
    for (const [a, b] of [
      [1.36, 2.25],
      [0.06, 1.05],
      [5, 1.5],
      [0.5, 20],
    ] as const) {
      const tilted = tiltedCylinderViewFactors(a, b, 0)!;
      const upright = uprightCylinderViewFactors(a, b);
      expect(tilted.vertical).toBeCloseTo(upright.vertical, 12);
      expect(tilted.horizontal).toBeCloseTo(upright.horizontal, 12);
    }
    // T101 calm, T102's shell: Fv = 0.1805, Fh = 0.0720 (hand-evaluated from the upright form above)
    expect(uprightCylinderViewFactors(54.4167 / 40, 2.25).vertical).toBeCloseTo(0.1805, 4);
    expect(uprightCylinderViewFactors(54.4167 / 40, 2.25).horizontal).toBeCloseTo(0.072, 4);
  });

  it('under the leaning flame (1 + a·sin θ ≥ b) the formula does not hold: flame contact', () => {
    expect(tiltedCylinderViewFactors(1.1, 1.3, 54 * DEG)).toBeUndefined();
    const flame = { radiusM: 40, lengthM: 44, tiltRad: 54 * DEG, leansTowardsDeg: 90, emissivePowerKwM2: 20 };
    expect(flameFlux(flame, { relativeHumidity: 0.5, airTemperatureC: 20 }, 50, 90, { bagster: [2.02, -0.09] })).toEqual({ vertical: 20, max: 20, contact: true });
  });

  it('off the plane of the tilt, the sheared cylinder of the same height leaning atan(tan θ·cos φ): never below the integral, at most ~20 % above', () => {
    const air = { relativeHumidity: 0, airTemperatureC: 20 }; // τ = 1: the flux is E·F
    for (const [a, b, tiltDeg] of [
      [1.1, 2.25, 54],
      [1.36, 2.25, 30],
      [2, 4, 45],
    ] as const) {
      const flame = { radiusM: 1, lengthM: a, tiltRad: tiltDeg * DEG, leansTowardsDeg: 0, emissivePowerKwM2: 1 };
      for (const psi of [45, 90, 135]) {
        const model = flameFlux(flame, air, b, psi, { bagster: [2.02, -0.09] }).vertical;
        const numeric = integrated(a, b, tiltDeg * DEG, psi * DEG, 400).vertical;
        expect(model / numeric).toBeGreaterThan(0.995);
        expect(model / numeric).toBeLessThan(1.2);
      }
    }
  });
});
