import { beforeAll, describe, expect, it } from 'vitest';
import { loadStandard } from '../../standards/index.ts';
import { emissivePower, flameFlux, thomasFlame, transmissivity, waterVapourPressure } from './pool-fire.ts';
import { poolFlame, radiationParams, radiationZones, rimSealFlame, shellFlux, type RadiationParams } from './tank-fire-radiation.ts';

const STANDARD = new URL('../../standards/oil-depot-above-ground/1.0.0.yaml', import.meta.url).pathname;
let p: RadiationParams;
beforeAll(async () => {
  p = radiationParams((await loadStandard(STANDARD)).hazards['tank-fire']!);
});
const AIR = { relativeHumidity: 0.5, airTemperatureC: 20 };
/** m″ as the standard gives it; ΔHc only the radiative-fraction emissive power needs */
const CRUDE = { burningRate: 0.039, heatOfCombustionMjKg: undefined };
const GASOLINE = { burningRate: 0.055, heatOfCombustionMjKg: undefined };

/*
 * Published worked examples are in pool-fire-published.test.ts: the TNO Yellow Book's pool fire (CPR 14E 3rd ed.
 * §6.6.3, reproduced within 0.1 % with the book's own correlations), the tilted cylinder's view factor in two of its
 * examples and its Table 6.A.1. Below, the standard's defaults (Mudan's emissive power, Thomas's tilt), which no
 * worked example found here uses, are checked by hand: each figure written out step by step (input, formula,
 * value), every formula with its source in the standard's tank-fire params; the view factor is also checked against
 * numerical integration (view-factor.test.ts). Searched without a usable result (2026-12-07): the CCPS CPQRA 2nd ed.
 * pool-fire example, Mudan (1984), the SFPE Handbook's, NUREG-1805 (2004) ch. 5 and its FDT spreadsheets, the
 * PDHonline M312 copy of that chapter, NISTIR 6546, the CCPS CHEF Guide's fire chapter, Casal (2nd ed. 2018; its
 * Example 3.4 is quoted only for the point-source model), and open-source consequence codes' tests.
 */
describe('solid-flame pool fire, hand calculations', () => {
  it("hand calculation 1 — T101 (crude, D 80 m) full-surface in calm air: 2.71 kW/m² on T102's shell, 50 m away", () => {
    // m″ = 0.039 kg/m²s, ρa = 1.2 kg/m³, g = 9.80665 m/s²
    // m* = m″/(ρa √(gD)) = 0.039 / (1.2 × √(9.80665 × 80)) = 0.039 / 33.611 = 1.1603e-3
    // Thomas (1963), calm: L = D × 42 × m*^0.61 = 80 × 42 × 0.016196 = 54.42 m
    const shape = thomasFlame(80, 0.039, 0, p);
    expect(shape.lengthM).toBeCloseTo(54.42, 2);
    expect(shape.tiltRad).toBe(0);
    // Mudan (1984): E = 140·e^(−0.12×80) + 20·(1 − e^(−0.12×80)) = 0.0095 + 19.9986 = 20.008 kW/m²
    expect(emissivePower(80, p)).toBeCloseTo(20.008, 3);
    // Shokri–Beyler (1989), the alternative: E = 58 × 10^(−0.00823×80) = 58 × 0.21958 = 12.736 kW/m²
    expect(emissivePower(80, { ...p, emissivePowerModel: 'shokri-beyler' })).toBeCloseTo(12.736, 3);
    // pw = 101325 × 0.5 × exp(14.4114 − 5328/293.15) = 101325 × 0.5 × 0.023200 = 1175.4 Pa
    expect(waterVapourPressure(AIR)).toBeCloseTo(1175.4, 0);
    // Bagster: τ = 2.02 × (1175.4 × 50)^−0.09 = 2.02 × 0.37220 = 0.7518 (x = 130 − 40 − 40 = 50 m, shell to shell)
    expect(transmissivity(50, AIR, p)).toBeCloseTo(0.7518, 4);
    // view factor, upright cylinder a = L/R = 54.42/40 = 1.3604, b = X/R = 90/40 = 2.25: Fv = 0.18046
    // q = E·τ·Fv = 20.008 × 0.7518 × 0.18046 = 2.715 kW/m² — far below the 15 kW/m² exposure threshold
    const flame = poolFlame(80, CRUDE, { speedMs: 0, fromDeg: 270 }, p);
    expect(flameFlux(flame, AIR, 90, 90, p).vertical).toBeCloseTo(2.715, 2);
    expect(shellFlux(flame, AIR, { x: 105, y: 350 }, { x: 235, y: 350 }, 40, p)).toBeCloseTo(2.715, 2);
    // the point-source model it replaces gave χQ/4πr² = 0.3 × 0.039 × 5026.5 m² × 42.6 MJ/kg / (4π × 90²) = 24.6 kW/m²
  });

  it('hand calculation 2 — the same fire in a 4.2 m/s wind blowing towards T102: 4.34 kW/m², flame 44.1 m tilted 54.0°', () => {
    // u* = uw / (g m″ D/ρa)^(1/3) = 4.2 / (9.80665 × 0.039 × 80 / 1.2)^(1/3) = 4.2 / 25.497^(1/3) = 4.2 / 2.9433 = 1.4270
    // Thomas (1963), wind: L = D × 55 × m*^0.67 × u*^−0.21 = 80 × 55 × 0.010796 × 0.92807 = 44.09 m
    // tilt: cos θ = 0.7 × u*^−0.49 = 0.7 × 0.84000 = 0.5880 → θ = 53.98°
    const shape = thomasFlame(80, 0.039, 4.2, p);
    expect(shape.uStar).toBeCloseTo(1.427, 3);
    expect(shape.lengthM).toBeCloseTo(44.09, 2);
    expect((shape.tiltRad * 180) / Math.PI).toBeCloseTo(53.98, 2);
    // Mudan (1987) tilted cylinder, a = 44.09/40 = 1.1021, b = 2.25, θ = 53.98° towards T102: Fv = 0.28868
    // q = 20.008 × 0.7518 × 0.28868 = 4.343 kW/m²; blowing away from T102 (θ = −53.98°): Fv = 0.06336, q = 0.953 kW/m²
    const towards = poolFlame(80, CRUDE, { speedMs: 4.2, fromDeg: 270 }, p); // from the west: leans east, to T102
    expect(shellFlux(towards, AIR, { x: 105, y: 350 }, { x: 235, y: 350 }, 40, p)).toBeCloseTo(4.343, 2);
    const away = poolFlame(80, CRUDE, { speedMs: 4.2, fromDeg: 90 }, p);
    expect(shellFlux(away, AIR, { x: 105, y: 350 }, { x: 235, y: 350 }, 40, p)).toBeCloseTo(0.953, 2);
    // the 2.3–4.4 kW/m² for a solid-flame model: calm 2.71, downwind 4.34
  });

  it('hand calculation 3 — gasoline pool D 20 m (m″ 0.055): flame 25.6 m calm, E 30.9 kW/m², 4.47 kW/m² at 30 m from its centre', () => {
    // m* = 0.055 / (1.2 × √(9.80665 × 20)) = 0.055 / 16.806 = 3.2726e-3; L = 20 × 42 × m*^0.61 = 20 × 42 × 0.030486 = 25.61 m
    expect(thomasFlame(20, 0.055, 0, p).lengthM).toBeCloseTo(25.61, 2);
    // E = 140·e^(−2.4) + 20·(1 − e^(−2.4)) = 12.701 + 18.186 = 30.886 kW/m²
    expect(emissivePower(20, p)).toBeCloseTo(30.886, 3);
    // a = 25.61/10 = 2.561, b = 30/10 = 3: Fv = 0.14461; τ = 2.02 × (1175.4 × 20)^−0.09 = 0.81647
    // q = 30.886 × 0.81647 × 0.14461 = 3.647 kW/m² on a vertical target; with Fh = 0.06330, Fmax = √(Fv² + Fh²) = 0.15786: 3.981 kW/m²
    const flame = poolFlame(20, GASOLINE, { speedMs: 0, fromDeg: 0 }, p);
    const q = flameFlux(flame, AIR, 30, 0, p);
    expect(q.vertical).toBeCloseTo(3.647, 2);
    expect(q.max).toBeCloseTo(3.981, 2);
  });

  it("zones are measured from the flame's edge and exist only where the flux is reached outside the flame", () => {
    // T101 calm: at the shell Fmax ≈ 0.7 at most, so 20 kW/m² × 0.7 < 25: no 37.5 or 25 kW/m² zone outside the flame
    const zones = radiationZones(poolFlame(80, CRUDE, { speedMs: 0, fromDeg: 0 }, p), AIR, p);
    expect(zones.map((z) => z.kWm2)).toEqual([12.5, 4, 1.6]);
    const four = zones.find((z) => z.kWm2 === 4)!;
    expect(four.minM).toBeCloseTo(four.maxM, 6); // calm: round
    // the 4 kW/m² edge: the largest flux there is 4 kW/m²
    const flame = poolFlame(80, CRUDE, { speedMs: 0, fromDeg: 0 }, p);
    expect(flameFlux(flame, AIR, 40 + four.maxM, 123, p).max).toBeCloseTo(4, 1);
    // in a wind the zones reach further downwind than upwind
    const windy = radiationZones(poolFlame(80, CRUDE, { speedMs: 4.2, fromDeg: 270 }, p), AIR, p).find((z) => z.kWm2 === 4)!;
    expect(windy.reachAt(90)).toBeCloseTo(windy.maxM, 6);
    expect(windy.reachAt(270)).toBeCloseTo(windy.minM, 6);
    expect(windy.maxM).toBeGreaterThan(four.maxM);
  });

  it("rim-seal fire: a ring flame of the seal's width — 2.4 m high in calm air, its zones a few metres to ~20 m beyond the shell", () => {
    // Thomas with D = w = 0.9 m: m* = 0.039/(1.2 × √(9.80665 × 0.9)) = 0.010937; L = 0.9 × 42 × m*^0.61 = 0.9 × 42 × 0.063652 = 2.406 m
    // E (Mudan, D = 0.9 m) = 140·e^(−0.108) + 20·(1 − e^(−0.108)) = 125.67 + 2.05 = 127.72 kW/m² (thin, unobscured flame)
    const rim = rimSealFlame(80, 0.9, CRUDE, { speedMs: 0, fromDeg: 0 }, p);
    expect(rim.lengthM).toBeCloseTo(2.406, 3);
    expect(rim.emissivePowerKwM2).toBeCloseTo(127.72, 2);
    expect(rim.radiusM).toBe(40);
    const zones = radiationZones(rim, AIR, p);
    expect(zones.map((z) => [z.kWm2, Math.round(z.maxM)])).toEqual([
      [37.5, 3],
      [25, 5],
      [12.5, 9],
      [4, 22],
      [1.6, 41],
    ]);
    // nothing near T102: 1.2 kW/m² on its shell
    expect(shellFlux(rim, AIR, { x: 105, y: 350 }, { x: 235, y: 350 }, 40, p)).toBeCloseTo(1.19, 2);
  });
});
