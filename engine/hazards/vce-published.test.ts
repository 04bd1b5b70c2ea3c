// The vapour cloud explosion's blast curves against published sources (issue 19). Every input and expected value
// below is copied from the text named beside it, read on 2026-12-07; nothing is recalled.
//
// Found and used:
// - MSB (Myndigheten för samhällsskydd och beredskap, the Swedish Civil Contingencies Agency), "Beräkning av
//   impulsbelastad konstruktion": B02-121 "Beräkningsanvisning för last – Gasexplosion i det fria" (Morgan Johansson,
//   2013-03-11) Tabell 5.1 and 5.2, repeated as B06-105 "Beräkningsstöd – Gasexplosion i det fria" (2017-12-18)
//   Tabell 4.1 and 4.2. Originals: msb.se/contentassets/872971cf790a4cdcbd53b85a32011703/b02.-berakningsanvisning-for-last/
//   b02-121---gasexplosion-i-det-fria_130311.pdf and …/b06.-berakningsstod/b06-105_gasexplosion-i-det-fria.pdf; read as
//   text copies of both PDFs in a public GitHub repository (code index). B06-105 §4.3.2: van den Berg (1985) gives no
//   equations; the fits ΔP/P0 = a·r'^b were made to Gexcon's public multi-energy calculator and agree with it to "one
//   or a few percent"; Alonso et al. (2006)'s fits contain errors for some strengths. These are fits of the TNO chart,
//   a secondary source: the printed chart (Yellow Book CPR 14E) itself was not found in a readable copy.
// - CCPS, "CHEF Guide" (Chemical Hazards Engineering Fundamentals), §13.4 TNT model, worked example on p. 222, read at
//   aiche.org/sites/default/files/html/ccps/2979346/new/files/basic-html/page222.html.
// - Kingery–Bulmash hemispherical surface burst as simplified by Swisdak (1994, "Simplified Kingery Airblast
//   Calculations", NSWC, DTIC ADA526744): the worked example in the README of the PyPI package kingery-bulmash 1.0.0
//   (pypi.org/project/kingery-bulmash/1.0.0) and the incident-pressure coefficients as transcribed, citing Swisdak
//   (1994), in github.com/Freeyolo/tangos blast_model.py; the coefficients reproduce the README's example (5.05 kPa).
//
// Searched for and not found in a readable copy: a multi-energy worked example with its input and answer (Yellow Book
// CPR 14E 3rd ed. §5.5.3 / 2005 ch. 5; CCPS 1994 VCE guidelines; Crowl & Louvar); the Alonso et al. (2006) table
// itself (only its abstract); the Yellow Book's printed curves.
// Searched again on 2026-12-07 (H4), still not found: the CHEF Guide has no multi-energy example (p. 222 only names the
// method; its §13.5, pp. 222–225, is Baker–Strehlow–Tang); Díaz Alonso et al., J. Hazard. Mater. A137 (2006) 734–741
// (a studylib copy shows only its first page); Gexcon's online multi-energy calculator (a calculator, no worked
// example). Casal, Evaluation of the effects and consequences of major accidents in industrial plants, 2nd ed. (2018),
// Example 4.1 is known here only through OpenSRANE's verification page (github.com/OpenSRANE/OpenSRANE_Documentation,
// VCE_TNT): a TNT-equivalence case, 30 000 kg at 43 930 kJ/kg, 0.049 bar at 500 m — the page gives neither the yield
// nor the TNT energy the book used, so it cannot be re-run here.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadStandard } from '../../standards/index.ts';
import { hazardParams } from './hazard-params.ts';
import { STANDARD_1_1_FILE } from './hazard-test-support.ts';
import { kinneyGraham, scaledOverpressure, type MultiEnergyParams } from './multi-energy.ts';

/** within `pct` % of `expected` */
const near = (actual: number, expected: number, pct: number) => expect(Math.abs(actual / expected - 1) * 100).toBeLessThanOrEqual(pct);

// Tabell 5.2 as printed: per strength, pieces (a, b) with the largest r' each holds for; ΔP/P0 = a·r'^b, valid for ΔP/P0 ≥ 0.001
const TABLE_5_2: Record<number, [number, number, number][]> = {
  10: [
    [0.43, -2.35, 0.9],
    [0.47, -1.46, 3.21],
    [0.32, -1.13, Infinity],
  ],
  9: [
    [5, 0, 0.2],
    [0.47, -1.46, 3.21],
    [0.32, -1.13, Infinity],
  ],
  8: [
    [2, 0, 0.37],
    [0.47, -1.46, 3.21],
    [0.32, -1.13, Infinity],
  ],
  7: [
    [1, 0, 0.48],
    [0.48, -1.0, 0.96],
    [0.47, -1.46, 3.21],
    [0.32, -1.13, Infinity],
  ],
  6: [
    [0.5, 0, 0.64],
    [0.32, -1.01, 2.35],
    [0.47, -1.46, 3.21],
    [0.32, -1.13, Infinity],
  ],
  5: [
    [0.2, 0, 0.6],
    [0.12, -1.0, Infinity],
  ],
  4: [
    [0.1, 0, 0.63],
    [0.064, -0.97, Infinity],
  ],
  3: [
    [0.05, 0, 0.61],
    [0.031, -0.96, Infinity],
  ],
  2: [
    [0.02, 0, 0.64],
    [0.013, -0.97, Infinity],
  ],
  1: [
    [0.01, 0, 0.69],
    [0.007, -0.98, Infinity],
  ],
};
const printed = (n: number, r: number) => {
  const [a, b] = TABLE_5_2[n]!.find(([, , upTo]) => r <= upTo)!;
  return a * r ** b;
};

let me: MultiEnergyParams;
beforeAll(async () => {
  // the blast parameters exactly as the engine reads them from the standard the demo runs (engine/hazards/vce.ts)
  const p = hazardParams('vce', (await loadStandard(STANDARD_1_1_FILE)).hazards['vce']!);
  me = {
    plateau: p.list('plateauOverpressure'),
    energyDensity: p.number('combustionEnergyMJm3') * 1e6,
    ambient: p.number('ambientPressureKPa') * 1000,
    tntEnergy: p.number('tntEnergyMJkg') * 1e6,
    groundReflection: p.number('groundReflection'),
  };
});

describe('multi-energy curves against MSB B02-121 (2013) Tabell 5.1–5.2 / B06-105 (2017) Tabell 4.1–4.2', () => {
  it('Tabell 5.1: the approximate peak overpressure of each strength (10 > 1000, 9 500, 8 200, 7 100, 6 50, 5 20, 4 10, 3 5, 2 2, 1 1 kPa) — the standard’s source overpressures, within 10 %', () => {
    const peakKPa = [1, 2, 5, 10, 20, 50, 100, 200, 500];
    peakKPa.forEach((kPa, i) => near(scaledOverpressure(i + 1, 0.1, me) * 101.3, kPa, 10));
    expect(scaledOverpressure(10, 0.1, me) * 101.3).toBeGreaterThan(1000);
  });

  it('Tabell 5.2: every curve at R̄ 0.3 … 50, within 2 % of the printed fit (the engine uses the fit; 2 % allows the table’s rounding at its piece limits)', () => {
    for (let n = 1; n <= 10; n++) {
      for (const r of [0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 10, 20, 50]) {
        if (n === 10 && r < 0.27) continue; // curve 10's first piece exceeds 10 × P0 below R̄ 0.262, where the standard holds it
        near(scaledOverpressure(n, r, me), printed(n, r), 2);
      }
    }
  });

  it('Tabell 5.2: the piece limits join — a flat source overpressure meets its decay at the printed r′ (e.g. curve 5: 0.12 / 0.60 = 0.20)', () => {
    for (let n = 1; n <= 9; n++) {
      const [flat, , limit] = TABLE_5_2[n]![0]!;
      const [a, b] = TABLE_5_2[n]![1]!;
      near(a * limit ** b, flat, 2);
      near(scaledOverpressure(n, limit, me), flat, 2);
    }
  });

  it('B06-105 §5.1: for strengths 6–10 the overpressure is the same once r′ > ~2 (curves 6 and 10 at r′ 2.5 and 5)', () => {
    for (const r of [2.5, 5]) near(scaledOverpressure(6, r, me), scaledOverpressure(10, r, me), 1);
  });
});

/** the free-air scaled distance Z (m/kg^⅓) at which Kinney & Graham's curve falls to `ratio` = ΔP/P0 */
const kgDistanceTo = (ratio: number) => {
  let lo = 0.05;
  let hi = 500;
  for (let i = 0; i < 100; i++) {
    const mid = Math.sqrt(lo * hi);
    if (kinneyGraham(mid) >= ratio) lo = mid;
    else hi = mid;
  }
  return lo;
};

describe('the TNT bound (Kinney & Graham, hemispherical surface burst k = 2) against published TNT blast examples', () => {
  it('CCPS CHEF Guide §13.4 (p. 222): 1 × 10⁶ kJ → 10⁶ / 4600 = 217 kg TNT; 1 psi at Z = 18 m/kg^⅓ → X = 18 · 217^⅓ = 108 m. Ours 102 m (−6 %)', () => {
    const kgTnt = 1e6 / 4600; // the example's TNT equivalent, 217 kg
    expect(kgTnt).toBeCloseTo(217, 0);
    const ratio = 6.894757 / 101.325; // 1 psi
    const z = kgDistanceTo(ratio); // free air
    const x = z * (me.groundReflection * kgTnt) ** (1 / 3); // the surface burst counts as a charge k times larger
    near(x, 108, 10);
    // as a free-air burst (k = 1) it would be 25 % short: the CHEF chart is the surface-burst curve
    expect(z * kgTnt ** (1 / 3)).toBeLessThan(0.8 * 108);
  });

  it('Kingery–Bulmash (Swisdak 1994), kingery-bulmash 1.0.0 README: 10 000 kg TNT at 500 m → incident pressure 5.0549639655028455 kPa. Ours 4.81 kPa (−5 %)', () => {
    const kPa = kinneyGraham(500 / (me.groundReflection * 10_000) ** (1 / 3)) * 101.325;
    near(kPa, 5.0549639655028455, 10);
  });

  it('Kingery–Bulmash (Swisdak 1994 coefficients) across the zones 3–35 kPa (Z 5.3–32 m/kg^⅓): within 10 %', () => {
    // ln P(kPa) = A + B·lnZ + C·lnZ² + D·lnZ³ + E·lnZ⁴ — 2.9 < Z ≤ 23.8: 7.5938, −3.0523, 0.40977, 0.0261, −0.01267; Z > 23.8: 6.0536, −1.4066
    const swisdak = (z: number) => {
      const [a, b, c, d, e] = z <= 23.8 ? [7.5938, -3.0523, 0.40977, 0.0261, -0.01267] : [6.0536, -1.4066, 0, 0, 0];
      const l = Math.log(z);
      return Math.exp(a + b * l + c * l ** 2 + d * l ** 3 + e * l ** 4);
    };
    expect(swisdak(500 / 10_000 ** (1 / 3))).toBeCloseTo(5.055, 2); // the coefficients reproduce the README's example
    for (const z of [6, 8, 10, 15, 20, 25, 30]) near(kinneyGraham(z / me.groundReflection ** (1 / 3)) * 101.325, swisdak(z), 10);
    // outside the band the fits part (Z 3: +20 %; Z 60: +32 %), Kinney & Graham above: as an upper bound it errs high
    expect(kinneyGraham(3 / 2 ** (1 / 3)) * 101.325).toBeGreaterThan(swisdak(3));
  });

  it('the bound never binds on the published curves: it stays ≥ 20 % above curves 6–10 from R̄ 0.01 to 100', () => {
    const zPerRBar = (me.tntEnergy / (me.groundReflection * me.ambient)) ** (1 / 3);
    for (let n = 6; n <= 10; n++) {
      for (let lr = -2; lr <= 2; lr += 0.05) {
        const r = 10 ** lr;
        const curve = Math.min(me.plateau[n - 1]!, printed(n, r));
        expect(kinneyGraham(r * zPerRBar)).toBeGreaterThan(1.2 * curve);
        near(scaledOverpressure(n, r, me), curve, 2); // the bound takes nothing off the curve
      }
    }
  });
});
