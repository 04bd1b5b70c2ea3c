/**
 * The TNO multi-energy method (van den Berg 1985; Yellow Book, CPR 14E 3rd ed. 1997, §5.5.3): a
 * flammable cloud in a congested volume is a hemispherical charge of combustion energy
 * E = V × (3.5 MJ/m³, a stoichiometric hydrocarbon–air mixture); the side-on overpressure at distance R
 * is read from blast curve n (the charge strength, 1–10) at the scaled distance R̄ = R / (E/P0)^⅓.
 *
 * The printed curves are replaced by a reconstruction that keeps their defining features: curve n
 * stays at its source overpressure P̄n (0.01 … 10 × P0, the standard's list) across the charge, out to
 * the hemispherical charge radius R̄0 = (3·P0 / (2π·Ev))^⅓ (0.24 at 3.5 MJ/m³); beyond it a deflagration's
 * blast decays acoustically, P̄n·R̄0/R̄; and no curve lies above the detonation curve 10, taken as a
 * hemispherical TNT surface burst of the same energy (Kinney & Graham, Explosive Shocks in Air, 2nd
 * ed. 1985, free-air fit with the charge doubled for the ground). UNCONFIRMED against the printed chart.
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

/** R̄0: the scaled radius of the hemispherical charge of a stoichiometric cloud */
export const chargeRadius = (p: MultiEnergyParams) => ((3 * p.ambient) / (2 * Math.PI * p.energyDensity)) ** (1 / 3);

/** Kinney & Graham's free-air TNT overpressure ratio at scaled distance Z (m/kg^⅓) */
export function kinneyGraham(z: number): number {
  return (808 * (1 + (z / 4.5) ** 2)) / Math.sqrt((1 + (z / 0.048) ** 2) * (1 + (z / 0.32) ** 2) * (1 + (z / 1.35) ** 2));
}

/** Scaled side-on overpressure ΔP/P0 on curve `strength` (1–10) at scaled distance `rBar`. */
export function scaledOverpressure(strength: number, rBar: number, p: MultiEnergyParams): number {
  const source = p.plateau[Math.min(10, Math.max(1, Math.round(strength))) - 1]!;
  const r0 = chargeRadius(p);
  const deflagration = rBar <= r0 ? source : (source * r0) / rBar;
  // curve 10: Z = R / (k·E/E_TNT)^⅓ = R̄ · (E_TNT / (k·P0))^⅓
  const z = rBar * (p.tntEnergy / (p.groundReflection * p.ambient)) ** (1 / 3);
  return Math.min(deflagration, kinneyGraham(z));
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
