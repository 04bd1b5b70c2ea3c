/**
 * View factors of a cylindrical flame to a small target on the plane of its base.
 *
 * The flame is the solid-flame model's cylinder of radius R and length L tilted by θ from the vertical:
 * its horizontal sections are circles of radius R, displaced downwind by z·tan θ (a sheared, "oblique"
 * cylinder, as the tilt correlations describe it). The target lies on the plane of the flame's base at
 * X from the base centre, in the plane of the tilt, the flame leaning towards it (θ > 0) or away
 * (θ < 0). With a = L/R, b = X/R (b > 1):
 *
 *   A = √(a² + (b+1)² − 2a(b+1) sin θ),  B = √(a² + (b−1)² − 2a(b−1) sin θ),  C = √(1 + (b²−1) cos²θ)
 *   D = √((b−1)/(b+1)),  E = a cos θ / (b − a sin θ),  F = √(b² − 1)
 *   T = atan((ab − F² sin θ)/(F C)) + atan(F sin θ / C)
 *   π Fv = −E atan D + E (a² + (b+1)² − 2b(1 + a sin θ))/(A B) · atan(A D / B) + (cos θ / C) · T
 *   π Fh = atan(1/D) + (sin θ / C) · T − (a² + (b+1)² − 2(b + 1 + a b sin θ))/(A B) · atan(A D / B)
 *
 * Fv for a vertical target facing the flame's axis, Fh for a horizontal one facing up. Mudan, "Geometric
 * view factors for thermal radiation hazard assessment", Fire Safety Journal 12 (1987) 89–96; as in the
 * SFPE Handbook of Fire Protection Engineering (3rd ed. 2002, §3-10, Beyler) and CCPS, Guidelines for
 * Chemical Process Quantitative Risk Analysis (2nd ed. 2000, §2.2.5). θ = 0 gives the upright cylinder
 * (checked against `uprightCylinderViewFactors`, the textbook upright form, and both against a numerical
 * integration over the flame surface in view-factor.test.ts).
 *
 * The formula holds while the flame stays on its side of the target's vertical plane, 1 + a sin θ < b;
 * nearer, the target is under the leaning flame (flame contact): `undefined`.
 */
export function tiltedCylinderViewFactors(a: number, b: number, tiltRad: number): { vertical: number; horizontal: number } | undefined {
  const s = Math.sin(tiltRad);
  const c = Math.cos(tiltRad);
  if (!(b > 1) || 1 + a * s >= b) return undefined;
  const A = Math.sqrt(a * a + (b + 1) ** 2 - 2 * a * (b + 1) * s);
  const B = Math.sqrt(a * a + (b - 1) ** 2 - 2 * a * (b - 1) * s);
  const C = Math.sqrt(1 + (b * b - 1) * c * c);
  const D = Math.sqrt((b - 1) / (b + 1));
  const E = (a * c) / (b - a * s);
  const F = Math.sqrt(b * b - 1);
  const T = Math.atan((a * b - F * F * s) / (F * C)) + Math.atan((F * s) / C);
  const atanADB = Math.atan((A * D) / B);
  const vertical = (-E * Math.atan(D) + E * ((a * a + (b + 1) ** 2 - 2 * b * (1 + a * s)) / (A * B)) * atanADB + (c / C) * T) / Math.PI;
  const horizontal = (Math.atan(1 / D) + (s / C) * T - ((a * a + (b + 1) ** 2 - 2 * (b + 1 + a * b * s)) / (A * B)) * atanADB) / Math.PI;
  return { vertical: Math.max(0, vertical), horizontal: Math.max(0, horizontal) };
}

/**
 * The upright cylinder (θ = 0) in the textbook form, a = L/R, b = X/R, A = (1+b)² + a², B = (1−b)² + a²:
 *   π Fv = (1/b) atan(a/√(b²−1)) − (a/b) atan√((b−1)/(b+1)) + (a/b)(A − 2b)/√(AB) · atan√(A(b−1)/(B(b+1)))
 *   π Fh = atan√((b+1)/(b−1)) − (a² + b² − 1)/√(AB) · atan√(A(b−1)/(B(b+1)))
 * (Mudan, Progress in Energy and Combustion Science 10 (1984) 59–80; the SFPE Handbook's and CCPS CPQRA's
 * vertical-cylinder view factors.)
 */
export function uprightCylinderViewFactors(a: number, b: number): { vertical: number; horizontal: number } {
  const A = (1 + b) ** 2 + a * a;
  const B = (1 - b) ** 2 + a * a;
  const root = Math.atan(Math.sqrt((A * (b - 1)) / (B * (b + 1))));
  const vertical =
    ((1 / b) * Math.atan(a / Math.sqrt(b * b - 1)) - (a / b) * Math.atan(Math.sqrt((b - 1) / (b + 1))) + (a / b) * ((A - 2 * b) / Math.sqrt(A * B)) * root) / Math.PI;
  const horizontal = (Math.atan(Math.sqrt((b + 1) / (b - 1))) - ((a * a + b * b - 1) / Math.sqrt(A * B)) * root) / Math.PI;
  return { vertical, horizontal };
}
