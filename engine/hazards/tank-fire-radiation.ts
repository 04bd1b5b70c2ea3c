import type { HazardDefinition } from '../../standards/index.ts';
import { EngineError } from '../engine-errors.ts';
import { hazardParams } from './hazard-params.ts';
import { emissivePower, flameFlux, reachBeyondEdge, thomasFlame, type Atmosphere, type SolidFlame, type SolidFlameParams } from './pool-fire.ts';

export { flameFlux, flameViewFactors, reachBeyondEdge, emissivePower, thomasFlame, transmissivity, type Atmosphere, type SolidFlame, type SolidFlameParams } from './pool-fire.ts';

/** The solid-flame parameters of the tank-fire hazard, read from the standard. */
export interface RadiationParams extends SolidFlameParams {
  burningRate: Record<string, number>;
  /** MJ/kg by product; only the radiative-fraction emissive power needs it (empty when the standard gives none) */
  heatOfCombustion: Record<string, number>;
  /** burning width of a floating roof's seal ring, m */
  sealWidthM: number;
  /** kW/m², the zones drawn */
  zoneFluxes: number[];
  /** used when the site gives no good humidity / air temperature reading */
  atmosphere: Atmosphere;
  /** with no good wind reading the flame leans towards every target at this speed, m/s */
  windUnknownMs: number;
  /** an open fire's zones are redrawn when the wind turns by more than turnDeg or its speed changes by more than speedMs */
  redraw: { turnDeg: number; speedMs: number };
}

export function radiationParams(definition: HazardDefinition): RadiationParams {
  const p = hazardParams('tank-fire', definition);
  const pair = (name: string): [number, number] => {
    const v = p.list(name);
    if (v.length !== 2) throw new EngineError('ENGINE_HAZARD_PARAM', `hazard tank-fire: ${name} must be a list of 2 numbers`);
    return [v[0]!, v[1]!];
  };
  const mudan = p.list('mudanEmissivePower');
  const wind = p.list('thomasFlameLengthWind');
  const model = p.number('emissivePowerModel');
  const models = { 1: 'mudan', 2: 'shokri-beyler', 3: 'radiative-fraction' } as const;
  if (model !== 1 && model !== 2 && model !== 3)
    throw new EngineError('ENGINE_HAZARD_PARAM', 'hazard tank-fire: emissivePowerModel must be 1 (Mudan), 2 (Shokri–Beyler) or 3 (radiative fraction)');
  if (mudan.length !== 3 || wind.length !== 3) throw new EngineError('ENGINE_HAZARD_PARAM', 'hazard tank-fire: mudanEmissivePower and thomasFlameLengthWind take 3 numbers');
  const shokri = pair('shokriBeylerEmissivePower');
  const burningRate = p.table('burningRate');
  const heatOfCombustion = p.has('heatOfCombustion') ? p.table('heatOfCombustion') : {};
  let radiativeFraction: RadiationParams['radiativeFraction'];
  if (model === 3) {
    const r = p.list('radiativeFractionEmissivePower');
    if (r.length !== 3) throw new EngineError('ENGINE_HAZARD_PARAM', 'hazard tank-fire: radiativeFractionEmissivePower takes 3 numbers (Fs, ξ, Es kW/m²)');
    const missing = Object.keys(burningRate).filter((product) => heatOfCombustion[product] === undefined);
    if (missing.length > 0)
      throw new EngineError(
        'ENGINE_HAZARD_PARAM',
        `hazard tank-fire: heatOfCombustion has no value for ${missing.join(', ')} (the radiative-fraction emissive power needs one for every product)`,
      );
    radiativeFraction = { fraction: r[0]!, sootFraction: r[1]!, sootKwM2: r[2]! };
  }
  return {
    burningRate,
    heatOfCombustion,
    sealWidthM: p.number('rimSealWidth'),
    zoneFluxes: p.list('zoneFluxes'),
    airDensity: p.number('airDensity'),
    emissivePowerModel: models[model],
    mudan: { luminousKwM2: mudan[0]!, sootKwM2: mudan[1]!, extinctionPerM: mudan[2]! },
    shokriBeyler: { coefficientKwM2: shokri[0], decayPerM: shokri[1] },
    radiativeFraction,
    thomasLength: { calm: pair('thomasFlameLengthCalm'), wind: [wind[0]!, wind[1]!, wind[2]!] },
    tilt: tiltParams(p, pair),
    bagster: pair('bagsterTransmissivity'),
    atmosphere: { relativeHumidity: p.number('relativeHumidity'), airTemperatureC: p.number('airTemperature') },
    windUnknownMs: p.number('windUnknownMs'),
    redraw: { turnDeg: p.number('windShiftDeg'), speedMs: p.number('windSpeedShiftMs') },
  };
}

/** tiltModel 1 (the default when absent): Thomas's cosine; 2: the Yellow Book's Froude–Reynolds form */
function tiltParams(p: ReturnType<typeof hazardParams>, pair: (name: string) => [number, number]): RadiationParams['tilt'] {
  const model = p.has('tiltModel') ? p.number('tiltModel') : 1;
  if (model === 1) return { model: 'thomas', cosine: pair('thomasTilt') };
  if (model !== 2) throw new EngineError('ENGINE_HAZARD_PARAM', 'hazard tank-fire: tiltModel must be 1 (Thomas) or 2 (Froude–Reynolds, the Yellow Book)');
  const c = p.list('froudeReynoldsTilt');
  if (c.length !== 3) throw new EngineError('ENGINE_HAZARD_PARAM', 'hazard tank-fire: froudeReynoldsTilt takes 3 numbers (c, Fr exponent, Re exponent)');
  return { model: 'froude-reynolds', coefficients: [c[0]!, c[1]!, c[2]!], airViscosityM2S: p.number('airKinematicViscosity') };
}

/** What a pool of one product burns with: m″ kg/(m²·s) and ΔHc MJ/kg (when the standard gives it). */
export interface Fuel {
  burningRate: number;
  heatOfCombustionMjKg: number | undefined;
}

/** The standard's fuel for a product; undefined when it has no burning rate for it. */
export function fuelOf(product: string, p: RadiationParams): Fuel | undefined {
  const burningRate = p.burningRate[product];
  return burningRate === undefined ? undefined : { burningRate, heatOfCombustionMjKg: p.heatOfCombustion[product] };
}

/** The wind the flame leans in: undefined = not known (then towards every target at the standard's speed). */
export type FlameWind = { speedMs: number; fromDeg: number } | undefined;

/** A pool of diameter D burning at m″: Thomas's flame over the whole surface, the chosen emissive power. */
export function poolFlame(diameterM: number, fuel: Fuel, wind: FlameWind, p: RadiationParams): SolidFlame {
  const shape = thomasFlame(diameterM, fuel.burningRate, wind?.speedMs ?? p.windUnknownMs, p);
  return {
    radiusM: diameterM / 2,
    lengthM: shape.lengthM,
    tiltRad: shape.tiltRad,
    leansTowardsDeg: wind ? (wind.fromDeg + 180) % 360 : undefined,
    emissivePowerKwM2: emissivePower(diameterM, p, { ...fuel, lengthM: shape.lengthM }),
  };
}

/**
 * Rim-seal fire of a floating roof: a ring fire. Only the seal burns — an annulus of width w along the
 * shell — so the flame is a thin wall standing on the ring, its length and tilt those of a pool of
 * diameter w (Thomas with D = w: a 0.9 m seal gives ≈ 2.4 m in calm air, as the ~1–2 m flames reported
 * for rim-seal fires, and lies over in a wind), its emissive power that of a pool of that width (thin,
 * unobscured flames radiate the most per m²). Seen from outside the tank, at the level of the seal, the
 * near side of the ring hides the far side: the wall radiates like the solid cylinder of the tank's
 * radius and the flame's length, which is the same view-factor model. The seal is taken at the top of
 * the shell (a full tank: the shell hides more of the flame as the roof sinks).
 */
export function rimSealFlame(diameterM: number, sealWidthM: number, fuel: Fuel, wind: FlameWind, p: RadiationParams): SolidFlame {
  const ring = poolFlame(sealWidthM, fuel, wind, p);
  return { ...ring, radiusM: diameterM / 2 };
}

/** One radiation zone: how far beyond the flame's base edge its flux reaches, by bearing. */
export interface RadiationZone {
  kWm2: number;
  /** metres beyond the edge on a bearing (degrees from north); 0 where the flux is below the zone's already at the edge */
  reachAt(bearingDeg: number): number;
  /** the least and the most reach over all bearings (upwind and downwind), m */
  minM: number;
  maxM: number;
}

/**
 * The zones of a flame: for each flux, the reach beyond the edge every `stepDeg` from downwind (the flux
 * falls off symmetrically about it, so half the bearings are computed), interpolated between. A flux not
 * reached on any bearing outside the flame has no zone.
 */
export function radiationZones(flame: SolidFlame, atmosphere: Atmosphere, p: RadiationParams, stepDeg = 10): RadiationZone[] {
  const towards = flame.leansTowardsDeg ?? 0;
  const steps = Math.round(180 / stepDeg);
  const zones: RadiationZone[] = [];
  for (const q of p.zoneFluxes) {
    const half: number[] = [];
    // with the wind unknown the flame leans towards every target: one reach all round
    for (let k = 0; k <= steps; k++) half.push(flame.leansTowardsDeg === undefined && k > 0 ? half[0]! : (reachBeyondEdge(flame, atmosphere, q, towards + k * stepDeg, p) ?? 0));
    if (half.every((r) => r === 0)) continue;
    const reachAt = (bearingDeg: number) => {
      const rel = Math.abs(((((bearingDeg - towards) % 360) + 540) % 360) - 180); // 0 downwind … 180 upwind
      const at = Math.min(rel / stepDeg, steps);
      const k = Math.min(Math.floor(at), steps - 1);
      return half[k]! + (half[k + 1]! - half[k]!) * (at - k);
    };
    zones.push({ kWm2: q, reachAt, minM: Math.min(...half), maxM: Math.max(...half) });
  }
  return zones;
}

/** The flux on a neighbour's shell: a vertical target at its nearest point, facing the flame (kW/m²). */
export function shellFlux(
  flame: SolidFlame,
  atmosphere: Atmosphere,
  centre: { x: number; y: number },
  target: { x: number; y: number },
  targetRadiusM: number,
  p: RadiationParams,
): number {
  const dx = target.x - centre.x;
  const dy = target.y - centre.y;
  const bearing = (Math.atan2(dx, dy) * 180) / Math.PI;
  return flameFlux(flame, atmosphere, Math.hypot(dx, dy) - targetRadiusM, bearing, p).vertical;
}
