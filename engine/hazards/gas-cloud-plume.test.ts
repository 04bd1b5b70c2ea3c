// The gas cloud's physics, each against a hand calculation written out here (input, formula, expected,
// source). Published worked examples: Turner's Workbook (1970) and the CCPS QRA Guidelines (2000)
// dispersion examples could not be found in a readable copy while writing this (their numbers are not
// quoted here); the checks below are hand calculations from the same formulas and tables.
import { describe, expect, it } from 'vitest';
import { axisConcentration, distanceTo, halfWidth, type Sigmas } from './plume.ts';
import { classOf, stabilityClass, type StabilityParams } from './stability.ts';
import { sunElevationDeg } from './sun.ts';

// Briggs (1973) open country, as in the standard's gas-cloud params
const BRIGGS: Sigmas = {
  y: { A: [0.22, 0.0001, -0.5], B: [0.16, 0.0001, -0.5], C: [0.11, 0.0001, -0.5], D: [0.08, 0.0001, -0.5], E: [0.06, 0.0001, -0.5], F: [0.04, 0.0001, -0.5] },
  z: { A: [0.2, 0, 0], B: [0.12, 0, 0], C: [0.08, 0.0002, -0.5], D: [0.06, 0.0015, -0.5], E: [0.03, 0.0003, -1], F: [0.016, 0.0003, -1] },
};
const TABLE: StabilityParams = { windBandsMs: [2, 3, 5, 6], insolationSunDeg: [35, 60], daySunElevationDeg: 10 };
const ZHOUSHAN = { lat: 30.0531, lon: 122.0312 };

describe('sun elevation (NOAA General Solar Position Calculations)', () => {
  it('at solar noon of the June solstice over the demo depot: 90° − (latitude − declination) = 90 − (30.05 − 23.44) = 83.4°', () => {
    // solar noon ≈ 12:00 − 122.03°/15 h − (equation of time ≈ −1.7 min) ≈ 03:53 UTC
    expect(sunElevationDeg(Date.UTC(2024, 5, 20, 3, 53), ZHOUSHAN.lat, ZHOUSHAN.lon)).toBeCloseTo(83.4, 0);
  });
  it('at 30° N, 0° E on the March equinox at solar noon (12:07 UTC: the equation of time is −7 min): 90 − 30 = 60°', () => {
    expect(Math.abs(sunElevationDeg(Date.UTC(2024, 2, 20, 12, 7), 30, 0) - 60)).toBeLessThan(0.5);
  });
  it('below the horizon before dawn: the gas-leak scenario starts at 2023-11-14 22:13 UTC (06:13 in Zhoushan), the sun −1.4°', () => {
    expect(sunElevationDeg(1_700_000_000_000, ZHOUSHAN.lat, ZHOUSHAN.lon)).toBeCloseTo(-1.4, 1);
  });
});

describe('Pasquill stability class (Pasquill 1961 / Turner 1970 Table 1)', () => {
  it('reads the table: day by insolation, night by cloud, overcast neutral; in-between classes as the more stable', () => {
    const cls = (speedMs: number, sunDeg: number, cloudOktas: number | undefined) => stabilityClass({ speedMs, sunDeg, cloudOktas }, TABLE);
    expect(cls(1.5, 70, 0)).toBe('A'); // strong sun, < 2 m/s: A
    expect(cls(2.5, 70, 0)).toBe('B'); // strong, 2–3 m/s: A–B → B
    expect(cls(4, 45, 0)).toBe('C'); // moderate, 3–5 m/s: B–C → C
    expect(cls(4, 20, 0)).toBe('C'); // slight, 3–5: C
    expect(cls(7, 70, 0)).toBe('C'); // strong, > 6: C
    expect(cls(4, 70, 6)).toBe('C'); // 6/8 cloud cuts strong to moderate: B–C → C
    expect(cls(2.5, 20, 6)).toBe('D'); // slight cut below slight: neutral
    expect(cls(2.5, -5, 2)).toBe('F'); // night, ≤ 3/8 cloud, 2–3 m/s: F
    expect(cls(2.5, -5, 5)).toBe('E'); // night, ≥ 4/8 cloud: E
    expect(cls(4, -5, 2)).toBe('E'); // night clear 3–5: E
    expect(cls(1, -5, 5)).toBe('F'); // night below 2 m/s: the table's empty cell taken as F
    expect(cls(1, 70, 8)).toBe('D'); // overcast, day or night: D
    expect(cls(2.5, 5, 0)).toBe('F'); // sun under 10°: still night (Turner: an hour after sunrise)
  });
  it('without a cloud-cover reading takes the more stable of clear and overcast: never a class that carries the cloud less far', () => {
    expect(stabilityClass({ speedMs: 2, sunDeg: 12.6, cloudOktas: undefined }, TABLE)).toBe('D'); // slight sun 2–3 m/s: C clear, D overcast
    expect(stabilityClass({ speedMs: 1.5, sunDeg: -1.4, cloudOktas: undefined }, TABLE)).toBe('F'); // night: F either way
  });
  it('takes a measured class as a letter or 1–6', () => {
    expect([classOf('e'), classOf(6), classOf(0), classOf('G'), classOf(2.5)]).toEqual(['E', 'F', undefined, undefined, undefined]);
  });
});

describe('Gaussian plume, ground-level release (Turner 1970 eq. 5.8, H = 0), Briggs open-country σ', () => {
  it('C(x) = Q / (π σy σz u): Q 1 kg/s, u 1.5 m/s, class F, x 100 m → 0.0343 kg/m³', () => {
    // σy = 0.04·100·(1 + 0.0001·100)^−½ = 4/1.004988 = 3.98015 m; σz = 0.016·100/(1 + 0.0003·100) = 1.6/1.03 = 1.55340 m
    // C = 1 / (π · 3.98015 · 1.55340 · 1.5) = 1 / 29.1357 = 0.034322 kg/m³
    expect(axisConcentration(1, 1.5, 100, 'F', BRIGGS)).toBeCloseTo(0.034322, 5);
  });
  it('the LEL distance solves σy·σz = Q / (π u C_LEL): crude vapour 0.037 kg/m³, Q 1 kg/s, u 2 m/s, class D → 30.3 m', () => {
    // σy·σz = 1 / (π · 2 · 0.037) = 4.3016 m²; at x = 30.3: σy = 2.424/√1.00303 = 2.4204, σz = 1.818/√1.04545 = 1.7781 → 4.3037 ✓
    const x = distanceTo(0.037, 1, 2, 'D', BRIGGS);
    expect(x).toBeCloseTo(30.3, 1);
    expect(axisConcentration(1, 2, x, 'D', BRIGGS)).toBeCloseTo(0.037, 4);
    // ½ LEL reaches further: 43.0 m
    expect(distanceTo(0.0185, 1, 2, 'D', BRIGGS)).toBeCloseTo(43.0, 0);
  });
  it('the worst case the engine draws when the wind is unknown (EPA RMP: class F, 1.5 m/s), second-alarm release 5 kg/s: LEL 220 m, ½ LEL 316 m', () => {
    expect(distanceTo(0.037, 5, 1.5, 'F', BRIGGS)).toBeCloseTo(219.7, 0);
    expect(distanceTo(0.0185, 5, 1.5, 'F', BRIGGS)).toBeCloseTo(315.7, 0);
  });
  it('half-width of the contour: y = σy √(2 ln(C/C_LEL)); zero at the tip', () => {
    // class D, Q 1, u 2, x 15 m: σy = 1.2/√1.0015 = 1.19910, σz = 0.9/√1.0225 = 0.89005, C = 1/(π·1.19910·0.89005·2) = 0.14913
    // y = 1.19910 · √(2 ln(0.14913/0.037)) = 1.19910 · √(2 · 1.39389) = 1.19910 · 1.66966 = 2.0021 m
    expect(halfWidth(0.037, 1, 2, 15, 'D', BRIGGS)).toBeCloseTo(2.002, 2);
    expect(halfWidth(0.037, 1, 2, 31, 'D', BRIGGS)).toBe(0);
  });
});
