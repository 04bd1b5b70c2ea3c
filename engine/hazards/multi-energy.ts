/**
 * The TNO multi-energy method (van den Berg 1985; Yellow Book, CPR 14E 3rd ed. 1997, §5.5.3): a
 * flammable cloud in a congested volume is a hemispherical charge of combustion energy
 * E = V × (3.5 MJ/m³, a stoichiometric hydrocarbon–air mixture); the side-on overpressure at distance R
 * is read from blast curve n (the charge strength, 1–10) at the scaled distance R̄ = R / (E/P0)^⅓.
 *
 * The curves are the published power-law fits ΔP/P0 = a·R̄^b of MSB (Swedish Civil Contingencies
 * Agency), Beräkning av impulsbelastad konstruktion B02-121 "Gasexplosion i det fria" (Morgan Johansson,
 * 2013-03-11) Tabell 5.2, repeated in B06-105 (2017-12-18) Tabell 4.2: each curve holds its source
 * overpressure (the standard's list, 0.01 … 10 × P0, = the table's first a) out to R̄ ≈ 0.2–0.7 and then
 * decays by the pieces below. B06-105 §4.3.2 states they were fitted to Gexcon's public multi-energy
 * calculator (a parametrisation of van den Berg's chart) and agree with it to "one or a few percent",
 * and that the fits of Alonso et al. (2006) contain errors for some strengths. The fits hold for
 * ΔP/P0 ≥ 0.001 (0.1 kPa), below every zone drawn. engine/hazards/vce-published.test.ts checks them.
 *
 * (Until 2026-12 the decay was a reconstruction, acoustic from the hemispherical charge radius
 * R̄0 = 0.24: beyond the plateau it gave 2.4–2.7 times less overpressure than these curves for strengths
 * 1–6, and blast radii correspondingly short.)
 *
 * No curve is taken above a hemispherical TNT surface burst of the same energy (Kinney & Graham,
 * Explosive Shocks in Air, 2nd ed. 1985, free-air fit with the charge doubled for the ground): with
 * the published curves this bound stays ≥ 22 % above curves 6–10 for R̄ 0.01–100 and never binds; it
 * guards a plateau list or a site's charge strength that would put a deflagration above a detonation.
 */
export interface MultiEnergyParams {
  /** scaled source overpressure ΔP/P0 of curves 1–10 */
  plateau: number[];
  /** combustion energy of the mixture, J/m³ */
  energyDensity: number;
  /** ambient pressure, Pa */
  ambient: number;
  /** blast energy of TNT, J/kg */
  tntEnergy: number;
  /** a surface burst counts as a free-air charge this many times larger */
  groundReflection: number;
}

/**
 * The decay of curve n beyond its source overpressure: pieces [a, b, up to R̄], ΔP/P0 = a·R̄^b (MSB B02-121
 * Tabell 5.2; the table's first, flat piece of each row is the source overpressure, taken from the standard).
 */
const DECAY: Record<number, readonly (readonly [number, number, number])[]> = {
  1: [[0.007, -0.98, Infinity]],
  2: [[0.013, -0.97, Infinity]],
  3: [[0.031, -0.96, Infinity]],
  4: [[0.064, -0.97, Infinity]],
  5: [[0.12, -1.0, Infinity]],
  6: [
    [0.32, -1.01, 2.35],
    [0.47, -1.46, 3.21],
    [0.32, -1.13, Infinity],
  ],
  7: [
    [0.48, -1.0, 0.96],
    [0.47, -1.46, 3.21],
    [0.32, -1.13, Infinity],
  ],
  8: [
    [0.47, -1.46, 3.21],
    [0.32, -1.13, Infinity],
  ],
  9: [
    [0.47, -1.46, 3.21],
    [0.32, -1.13, Infinity],
  ],
  10: [
    [0.43, -2.35, 0.9],
    [0.47, -1.46, 3.21],
    [0.32, -1.13, Infinity],
  ],
};

/** Kinney & Graham's free-air TNT overpressure ratio at scaled distance Z (m/kg^⅓) */
export function kinneyGraham(z: number): number {
  return (808 * (1 + (z / 4.5) ** 2)) / Math.sqrt((1 + (z / 0.048) ** 2) * (1 + (z / 0.32) ** 2) * (1 + (z / 1.35) ** 2));
}

/** Scaled side-on overpressure ΔP/P0 on curve `strength` (1–10) at scaled distance `rBar`. */
export function scaledOverpressure(strength: number, rBar: number, p: MultiEnergyParams): number {
  const n = Math.min(10, Math.max(1, Math.round(strength)));
  const [a, b] = DECAY[n]!.find(([, , upTo]) => rBar <= upTo)!;
  const curve = Math.min(p.plateau[n - 1]!, a * rBar ** b);
  // the TNT bound: Z = R / (k·E/E_TNT)^⅓ = R̄ · (E_TNT / (k·P0))^⅓
  const z = rBar * (p.tntEnergy / (p.groundReflection * p.ambient)) ** (1 / 3);
  return Math.min(curve, kinneyGraham(z));
}

/** The scaled distance out to which the overpressure is at least `scaled` (ΔP/P0); 0 where the curve never reaches it. */
export function scaledDistanceTo(strength: number, scaled: number, p: MultiEnergyParams): number {
  if (scaledOverpressure(strength, 1e-3, p) < scaled) return 0;
  let lo = Math.log(1e-3);
  let hi = Math.log(1e4);
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (scaledOverpressure(strength, Math.exp(mid), p) >= scaled) lo = mid;
    else hi = mid;
  }
  return Math.exp(lo);
}

/** Radius, m, out to which a charge of `energyJ` on curve `strength` gives at least `kPa`. */
export function blastRadius(energyJ: number, strength: number, kPa: number, p: MultiEnergyParams): number {
  return scaledDistanceTo(strength, (kPa * 1000) / p.ambient, p) * (energyJ / p.ambient) ** (1 / 3);
}
