import { EngineError } from '../engine-errors.ts';
import { tiltedCylinderViewFactors } from './view-factor.ts';

/** standard gravity, m/s² */
const G = 9.80665;
const DEG = Math.PI / 180;

/** The solid-flame model's parameters, from the standard (each with its source there). */
export interface SolidFlameParams {
  /** ambient air density ρa, kg/m³ */
  airDensity: number;
  /** which surface emissive power correlation: Mudan (1984, soot obscuration), Shokri–Beyler (1989) or the Yellow Book's radiative fraction */
  emissivePowerModel: 'mudan' | 'shokri-beyler' | 'radiative-fraction';
  /** Mudan: E = Em·e^(−sD) + Es·(1 − e^(−sD)) — Em, Es kW/m², s 1/m */
  mudan: { luminousKwM2: number; sootKwM2: number; extinctionPerM: number };
  /** Shokri–Beyler: E = c·10^(−k·D) — c kW/m², k 1/m */
  shokriBeyler: { coefficientKwM2: number; decayPerM: number };
  /** Yellow Book: E = (1 − ξ)·Fs·m″·ΔHc/(1 + 4L/D) + ξ·Es — Fs the radiative fraction, ξ the share of the surface hidden by soot, Es kW/m² */
  radiativeFraction: { fraction: number; sootFraction: number; sootKwM2: number } | undefined;
  /** Thomas's flame-length constants: calm L/D = c0·m*^e0; wind L/D = c1·m*^e1·u*^e2 */
  thomasLength: { calm: [number, number]; wind: [number, number, number] };
  /**
   * the flame's tilt from the vertical: Thomas's cos θ = c·u*^e (θ = 0 while that is ≥ 1), or the Yellow Book's
   * sin θ / cos² θ = c·Fr^f·Re^r with Fr = u²/(g D), Re = u D/ν (ν the air's kinematic viscosity, m²/s)
   */
  tilt: { model: 'thomas'; cosine: [number, number] } | { model: 'froude-reynolds'; coefficients: [number, number, number]; airViscosityM2S: number };
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
 *   tilt: cos θ = 0.7 u*^−0.49 (θ = 0 while that is ≥ 1), or the Yellow Book's (CPR 14E 3rd ed. §6.5, as in
 *   its worked example §6.6.3): sin θ / cos² θ = 0.666 Fr^0.333 Re^0.117, solved as sin θ = (√(4c² + 1) − 1)/(2c)
 */
export function thomasFlame(
  diameterM: number,
  burningRate: number,
  windMs: number,
  p: Pick<SolidFlameParams, 'airDensity' | 'thomasLength' | 'tilt'>,
): { lengthM: number; tiltRad: number; uStar: number } {
  const wind = Math.max(0, windMs);
  const mStar = burningRate / (p.airDensity * Math.sqrt(G * diameterM));
  const uStar = wind / Math.cbrt((G * burningRate * diameterM) / p.airDensity);
  const [c0, e0] = p.thomasLength.calm;
  const [c1, e1, e2] = p.thomasLength.wind;
  const lengthM = diameterM * (uStar > 1 ? c1 * mStar ** e1 * uStar ** e2 : c0 * mStar ** e0);
  return { lengthM, tiltRad: tiltOf(diameterM, wind, uStar, p.tilt), uStar };
}

function tiltOf(diameterM: number, windMs: number, uStar: number, tilt: SolidFlameParams['tilt']): number {
  if (windMs <= 0) return 0;
  if (tilt.model === 'thomas') {
    const cosTilt = tilt.cosine[0] * uStar ** tilt.cosine[1];
    return cosTilt >= 1 ? 0 : Math.acos(cosTilt);
  }
  const [c, f, r] = tilt.coefficients;
  const k = c * ((windMs * windMs) / (G * diameterM)) ** f * ((windMs * diameterM) / tilt.airViscosityM2S) ** r;
  return Math.asin((Math.sqrt(4 * k * k + 1) - 1) / (2 * k));
}

/** What burns, as the radiative-fraction emissive power needs it: m″ kg/(m²·s), ΔHc MJ/kg, the flame's length m. */
export interface BurningPool {
  burningRate: number;
  heatOfCombustionMjKg: number | undefined;
  lengthM: number;
}

/**
 * Surface emissive power of a pool of diameter D, kW/m², by the standard's chosen correlation. The Yellow
 * Book's radiative fraction (CPR 14E 3rd ed. §6.5, worked example §6.6.3) spreads Fs·m″·ΔHc of the pool's
 * area over the flame's side and top (πDL + πD²/4): E_max = Fs·m″·ΔHc/(1 + 4L/D), then hides ξ of it behind soot.
 */
export function emissivePower(diameterM: number, p: Pick<SolidFlameParams, 'emissivePowerModel' | 'mudan' | 'shokriBeyler' | 'radiativeFraction'>, pool?: BurningPool): number {
  if (p.emissivePowerModel === 'shokri-beyler') return p.shokriBeyler.coefficientKwM2 * 10 ** (-p.shokriBeyler.decayPerM * diameterM);
  if (p.emissivePowerModel === 'radiative-fraction') {
    const r = p.radiativeFraction;
    if (!r || !pool || pool.heatOfCombustionMjKg === undefined)
      throw new EngineError('ENGINE_HAZARD_PARAM', "the radiative-fraction emissive power needs its fractions and the burning product's heat of combustion in the standard");
    const clear = (r.fraction * pool.burningRate * pool.heatOfCombustionMjKg * 1000) / (1 + (4 * pool.lengthM) / diameterM);
    return (1 - r.sootFraction) * clear + r.sootFraction * r.sootKwM2;
  }
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
 * View factors from the flame to a small target X metres from its base centre on a bearing, on the plane of
 * its base; undefined under the leaning flame or at its base (flame contact). In the plane of the tilt they
 * are Mudan's exact view factors; off it the flame is taken as the sheared cylinder of the same height leaning
 * by atan(tan θ · cos φ) in the plane through the target (φ the bearing from downwind) — that overstates the
 * numerically integrated view factor by at most ~20 %, never understates it (view-factor.test.ts).
 */
export function flameViewFactors(flame: SolidFlame, distanceM: number, bearingDeg: number): { vertical: number; horizontal: number } | undefined {
  const R = flame.radiusM;
  const phi = flame.leansTowardsDeg === undefined ? 0 : (bearingDeg - flame.leansTowardsDeg) * DEG;
  const height = flame.lengthM * Math.cos(flame.tiltRad);
  const tilt = Math.atan(Math.tan(flame.tiltRad) * Math.cos(phi));
  const a = height / Math.cos(tilt) / R;
  const b = Math.max(distanceM, R * (1 + 1e-9)) / R;
  return tiltedCylinderViewFactors(a, b, tilt);
}

/** Flux (kW/m²) at X metres from the flame's base centre on a bearing, q = E · τ(X − R) · F. Under the leaning flame: contact, q = E. */
export function flameFlux(flame: SolidFlame, atmosphere: Atmosphere, distanceM: number, bearingDeg: number, p: Pick<SolidFlameParams, 'bagster'>): Flux {
  const f = flameViewFactors(flame, distanceM, bearingDeg);
  if (!f) return { vertical: flame.emissivePowerKwM2, max: flame.emissivePowerKwM2, contact: true };
  const e = flame.emissivePowerKwM2 * transmissivity(Math.max(0, distanceM - flame.radiusM), atmosphere, p);
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
