/** Thermal radiation of a burning tank, as seen from the ground around it. */
export interface PoolFire {
  /** heat release, kW */
  heatReleaseKw: number;
  /** distance from the tank's centre at which the flux falls to q (kW/m²), m */
  radiusAt(fluxKwM2: number): number;
  /** flux at r metres from the tank's centre, kW/m² */
  fluxAt(r: number): number;
}

/**
 * Full-surface fire, point-source model: Q = m″ · πD²/4 · ΔHc, q(r) = χ · Q / (4π r²) with r from
 * the tank's centre.
 */
export function poolFire(diameterM: number, burningRateKgM2s: number, heatOfCombustionMJkg: number, radiativeFraction: number): PoolFire {
  const heatReleaseKw = burningRateKgM2s * ((Math.PI * diameterM ** 2) / 4) * heatOfCombustionMJkg * 1000;
  const radiated = radiativeFraction * heatReleaseKw;
  return {
    heatReleaseKw,
    radiusAt: (q) => Math.sqrt(radiated / (4 * Math.PI * q)),
    fluxAt: (r) => radiated / (4 * Math.PI * r * r),
  };
}

/**
 * Rim-seal fire of a floating roof: only the seal ring burns, an annulus of area ≈ π · D · w
 * (w the seal width), so Q = m″ · πDw · ΔHc. The heat comes from a ring of radius R = (D − w)/2,
 * not from the centre: integrating point sources of χQ/(2πR) per metre of ring over the ring, the
 * flux at r from the centre (in the ring's plane) is q(r) = χQ / (4π |r² − R²|) — the point-source
 * law with |r² − R²| for r², so the zones hug the shell instead of the centre.
 */
export function rimSealFire(diameterM: number, sealWidthM: number, burningRateKgM2s: number, heatOfCombustionMJkg: number, radiativeFraction: number): PoolFire {
  const heatReleaseKw = burningRateKgM2s * Math.PI * diameterM * sealWidthM * heatOfCombustionMJkg * 1000;
  const radiated = radiativeFraction * heatReleaseKw;
  const ring = (diameterM - sealWidthM) / 2;
  return {
    heatReleaseKw,
    radiusAt: (q) => Math.sqrt(ring * ring + radiated / (4 * Math.PI * q)),
    fluxAt: (r) => radiated / (4 * Math.PI * Math.abs(r * r - ring * ring)),
  };
}
