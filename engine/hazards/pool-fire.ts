import { tiltedCylinderViewFactors } from './view-factor.ts';

/** standard gravity, m/s² */
const G = 9.80665;
const DEG = Math.PI / 180;

/** The solid-flame model's parameters, from the standard (each with its source there). */
export interface SolidFlameParams {
  /** ambient air density ρa, kg/m³ */
  airDensity: number;
  /** which surface emissive power correlation: Mudan (1984, soot obscuration) or Shokri–Beyler (1989) */
  emissivePowerModel: 'mudan' | 'shokri-beyler';
  /** Mudan: E = Em·e^(−sD) + Es·(1 − e^(−sD)) — Em, Es kW/m², s 1/m */
  mudan: { luminousKwM2: number; sootKwM2: number; extinctionPerM: number };
  /** Shokri–Beyler: E = c·10^(−k·D) — c kW/m², k 1/m */
  shokriBeyler: { coefficientKwM2: number; decayPerM: number };
  /** Thomas's flame-length constants: calm L/D = c0·m*^e0; wind L/D = c1·m*^e1·u*^e2 */
  thomasLength: { calm: [number, number]; wind: [number, number, number] };
  /** Thomas's tilt: cos θ = c·u*^e (θ = 0 while that is ≥ 1) */
  thomasTilt: [number, number];
  /** Bagster's transmissivity τ = c·(pw·x)^e, pw the water vapour partial pressure (Pa), x the path (m) */
  bagster: [number, number];
}

/** A cylindrical flame as the model sees it. */
export interface SolidFlame {
  radiusM: number;
  /** flame length along its axis, m */
  lengthM: number;
  tiltRad: number;
  /** bearing the flame leans towards (downwind), degrees clockwise from north; undefined: towards every target (wind unknown) */
  leansTowardsDeg: number | undefined;
  emissivePowerKwM2: number;
}

export interface Atmosphere {
  /** 0–1 */
  relativeHumidity: number;
  airTemperatureC: number;
}

/**
 * Flame length and tilt (Thomas, "The size of flames from natural fires", 9th Symposium (International) on
 * Combustion, 1963, 844–859; as in the TNO Yellow Book CPR 14E 3rd ed. ch. 6 and CCPS CPQRA 2nd ed. §2.2.5):
 *   m* = m″ / (ρa √(g D)),  u* = uw / (g m″ D / ρa)^(1/3)
 *   calm (u* ≤ 1): L/D = 42 m*^0.61;  wind (u* > 1): L/D = 55 m*^0.67 u*^−0.21
 *   tilt: cos θ = 0.7 u*^−0.49 (θ = 0 while that is ≥ 1)
 */
export function thomasFlame(
  diameterM: number,
  burningRate: number,
  windMs: number,
  p: Pick<SolidFlameParams, 'airDensity' | 'thomasLength' | 'thomasTilt'>,
): { lengthM: number; tiltRad: number; uStar: number } {
  const mStar = burningRate / (p.airDensity * Math.sqrt(G * diameterM));
  const uStar = Math.max(0, windMs) / Math.cbrt((G * burningRate * diameterM) / p.airDensity);
  const [c0, e0] = p.thomasLength.calm;
  const [c1, e1, e2] = p.thomasLength.wind;
  const lengthM = diameterM * (uStar > 1 ? c1 * mStar ** e1 * uStar ** e2 : c0 * mStar ** e0);
  const cosTilt = uStar > 0 ? p.thomasTilt[0] * uStar ** p.thomasTilt[1] : 1;
  return { lengthM, tiltRad: cosTilt >= 1 ? 0 : Math.acos(cosTilt), uStar };
}

/** Surface emissive power of a pool of diameter D, kW/m², by the standard's chosen correlation. */
export function emissivePower(diameterM: number, p: Pick<SolidFlameParams, 'emissivePowerModel' | 'mudan' | 'shokriBeyler'>): number {
  if (p.emissivePowerModel === 'shokri-beyler') return p.shokriBeyler.coefficientKwM2 * 10 ** (-p.shokriBeyler.decayPerM * diameterM);
  const obscured = Math.exp(-p.mudan.extinctionPerM * diameterM);
  return p.mudan.luminousKwM2 * obscured + p.mudan.sootKwM2 * (1 - obscured);
}

/**
 * Water vapour partial pressure, Pa: pw = 101325 · RH · exp(14.4114 − 5328/Ta), Ta in K (the saturation
 * pressure fit used with Bagster's transmissivity in CCPS CPQRA 2nd ed. §2.2.5, after Mudan & Croce).
 */
export function waterVapourPressure(atmosphere: Atmosphere): number {
  return 101_325 * atmosphere.relativeHumidity * Math.exp(14.4114 - 5328 / (atmosphere.airTemperatureC + 273.15));
}

/** Atmospheric transmissivity over x metres (Bagster 1986): τ = 2.02 (pw·x)^−0.09, at most 1. */
export function transmissivity(pathM: number, atmosphere: Atmosphere, p: Pick<SolidFlameParams, 'bagster'>): number {
  const px = waterVapourPressure(atmosphere) * pathM;
  return px <= 0 ? 1 : Math.min(1, p.bagster[0] * px ** p.bagster[1]);
}

/** Flux at a target on the plane of the flame's base: on a vertical surface facing the flame, and the largest on any (√(Fv² + Fh²)). */
export interface Flux {
  vertical: number;
  max: number;
  /** the target is under the leaning flame or at its base: flame contact */
  contact: boolean;
}

/**
 * Flux (kW/m²) at X metres from the flame's base centre on a bearing, q = E · τ(X − R) · F.
 * In the plane of the tilt F is Mudan's exact view factor; off it the flame is taken as the sheared
 * cylinder of the same height leaning by atan(tan θ · cos φ) in the plane through the target
 * (φ the bearing from downwind) — it overstates the numerically integrated view factor by at most
 * ~20 %, never understates it (view-factor.test.ts). Under the leaning flame: contact, q = E.
 */
export function flameFlux(flame: SolidFlame, atmosphere: Atmosphere, distanceM: number, bearingDeg: number, p: Pick<SolidFlameParams, 'bagster'>): Flux {
  const R = flame.radiusM;
  const phi = flame.leansTowardsDeg === undefined ? 0 : (bearingDeg - flame.leansTowardsDeg) * DEG;
  const height = flame.lengthM * Math.cos(flame.tiltRad);
  const tilt = Math.atan(Math.tan(flame.tiltRad) * Math.cos(phi));
  const a = height / Math.cos(tilt) / R;
  const b = Math.max(distanceM, R * (1 + 1e-9)) / R;
  const f = tiltedCylinderViewFactors(a, b, tilt);
  if (!f) return { vertical: flame.emissivePowerKwM2, max: flame.emissivePowerKwM2, contact: true };
  const e = flame.emissivePowerKwM2 * transmissivity(Math.max(0, distanceM - R), atmosphere, p);
  return { vertical: e * f.vertical, max: e * Math.hypot(f.vertical, f.horizontal), contact: false };
}

/**
 * How far beyond the flame's base edge (m) the largest flux stays at or above q on a bearing; undefined
 * where it is below q already at the edge (the zone does not exist outside the flame there). To 0.1 m.
 */
export function reachBeyondEdge(flame: SolidFlame, atmosphere: Atmosphere, fluxKwM2: number, bearingDeg: number, p: Pick<SolidFlameParams, 'bagster'>): number | undefined {
  const R = flame.radiusM;
  const q = (beyond: number) => flameFlux(flame, atmosphere, R + beyond, bearingDeg, p).max;
  if (q(0) < fluxKwM2) return undefined;
  let lo = 0;
  let hi = Math.max(10, R);
  while (q(hi) >= fluxKwM2) {
    lo = hi;
    hi *= 2;
    if (hi > 1e5) return hi;
  }
  while (hi - lo > 0.1) {
    const mid = (lo + hi) / 2;
    if (q(mid) >= fluxKwM2) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
