// Vapour cloud explosion (TNO multi-energy) against hand calculations written out here. The blast curves are
// MSB B02-121 Tabell 5.2's published fits (engine/hazards/multi-energy.ts); they, and the TNT bound, are checked
// against their published sources in vce-published.test.ts. No published multi-energy worked example (input and
// answer) was found in a readable copy (Yellow Book CPR 14E §5.5.3, CCPS 1994 VCE guidelines were searched for).
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Alert, type Site } from '../../model/index.ts';
import { loadStandard, type Standard } from '../../standards/index.ts';
import { playOnVirtualTime, repeat, SITE_FILE, STANDARD_FILE, type Step } from './hazard-test-support.ts';
import { blastRadius, kinneyGraham, scaledDistanceTo, scaledOverpressure, type MultiEnergyParams } from './multi-energy.ts';
import { centroid, clipToConvex, polygonArea } from './polygon.ts';

const ME: MultiEnergyParams = { plateau: [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10], energyDensity: 3.5e6, ambient: 101_325, tntEnergy: 4.68e6, groundReflection: 2 };

describe('multi-energy blast curves', () => {
  it('each curve holds its source overpressure near the charge (0.01 … 10 × P0); curve 10 is held at 10 × P0 where 0.43·R̄^−2.35 would exceed it', () => {
    expect([1, 4, 7, 10].map((n) => scaledOverpressure(n, 0.1, ME))).toEqual([0.01, 0.1, 1, 10]);
  });
  it('curve 7 reaches 10 kPa (ΔP/P0 = 0.098692) on its 0.47·R̄^−1.46 piece: R̄ = (0.47 / 0.098692)^(1/1.46) = 4.7623^0.68493 = 2.9124', () => {
    expect(scaledDistanceTo(7, 10_000 / 101_325, ME)).toBeCloseTo(2.9124, 3);
  });
  it('curve 5 decays as 0.12/R̄ beyond R̄ 0.60: 10 kPa at R̄ = 0.12 / 0.098692 = 1.2159', () => {
    expect(scaledDistanceTo(5, 10_000 / 101_325, ME)).toBeCloseTo(1.2159, 3);
  });
  it('curves 6–10 share one far field: at R̄ 3, 0.47 · 3^−1.46 = 0.47 · 0.20110 = 0.09452 on both 7 and 10; curve 10 at R̄ 1 is 0.47', () => {
    expect(scaledOverpressure(7, 3, ME)).toBeCloseTo(0.09452, 4);
    expect(scaledOverpressure(10, 3, ME)).toBeCloseTo(0.09452, 4);
    expect(scaledOverpressure(10, 1, ME)).toBeCloseTo(0.47, 6);
  });
  it('the TNT bound (Kinney & Graham, surface burst) lies above: at R̄ 3, Z = 3 · (4.68e6 / (2 · 101325))^⅓ = 8.545 m/kg^⅓ → 0.1221, so it does not bind', () => {
    // ΔP/P0 = 808(1 + (Z/4.5)²) / √((1 + (Z/0.048)²)(1 + (Z/0.32)²)(1 + (Z/1.35)²))
    expect(kinneyGraham(8.545)).toBeCloseTo(0.1221, 3);
  });
  it('radius = R̄ · (E/P0)^⅓: 400 m³ of cloud in congestion, E = 400 · 3.5 MJ = 1.4 GJ, (E/P0)^⅓ = 23.994 m; curve 7, 10 kPa → 2.9124 · 23.994 = 69.9 m', () => {
    expect(blastRadius(1.4e9, 7, 10, ME)).toBeCloseTo(69.88, 1);
  });
  it('a curve whose source overpressure is below a threshold never reaches it: curve 5 (20.3 kPa) has no 22 kPa zone', () => {
    expect(blastRadius(1.4e9, 5, 22, ME)).toBe(0);
  });
});

describe('the cloud in a congested volume (Sutherland–Hodgman clipping)', () => {
  it('takes the part of the outline inside the cloud, its area and centre', () => {
    const outline = [
      { x: 155, y: 290 },
      { x: 185, y: 290 },
      { x: 185, y: 310 },
      { x: 155, y: 310 },
    ];
    const cloud = [
      { x: 100, y: 280 },
      { x: 165, y: 280 },
      { x: 165, y: 320 },
      { x: 100, y: 320 },
    ];
    const part = clipToConvex(outline, cloud);
    expect(polygonArea(part)).toBeCloseTo(10 * 20, 6); // x 155–165, y 290–310
    expect(centroid(part)).toEqual({ x: 160, y: 300 });
    expect(
      clipToConvex(outline, [
        { x: 0, y: 0 },
        { x: 10, y: 0 },
        { x: 0, y: 10 },
      ]),
    ).toEqual([]);
  });
});

let site: Site;
let standard: Standard;
beforeAll(async () => {
  site = await loadSite(SITE_FILE);
  standard = await loadStandard(STANDARD_FILE);
});

const vces = (alerts: Alert[]) => alerts.filter((a) => a.incident?.hazard === 'vce' && a.transition?.action !== 'escalate');
const wind = (from: number, speed: number, to: number): Step[] => [...repeat('WS1.wind_speed', speed, 0, to, 5_000), ...repeat('WS1.wind_direction', from, 0, to, 5_000)];

describe('vapour cloud explosion incident (demo depot, standard 1.0.0)', () => {
  it('is raised when the flammable cloud at GD101 covers part of the crude manifold MF1: its energy, curve 5 (high obstacle density, open) and the radii', () => {
    const { alerts } = playOnVirtualTime(site, standard, [...wind(90, 2, 60_000), ...repeat('GD101.gas', 45, 0, 60_000, 5_000)], 61_000);
    const [raised] = vces(alerts);
    expect(raised).toMatchObject({ kind: 'hazard-vce', severity: 1, subjects: [site.id], raisedAt: 0 });
    const zones = raised!.incident!.planZones!.features;
    const covered = zones.find((f) => f.properties['kind'] === 'congested-volume')!;
    // MF1 (x 155–185, y 290–310, 3 m high): the cloud reaches it only with GD101's 10 m reach disc (to x 160)
    const ring = (covered.geometry as { coordinates: [number, number][][] }).coordinates[0]!.slice(0, -1).map(([x, y]) => ({ x, y }));
    const v = polygonArea(ring) * 3;
    expect(covered.properties).toMatchObject({ asset: 'MF1', chargeStrength: 5, volumeM3: Math.round(v) });
    // E = V · 3.5 MJ/m³; radii on curve 5 (source 0.2 × P0 = 20.3 kPa): 10, 3 and 1 kPa only, no 22 or 35 kPa
    const e = v * 3.5e6;
    const radius = (kPa: number) => zones.find((f) => f.properties['kind'] === 'overpressure' && f.properties['kPa'] === kPa)?.properties['radiusM'];
    expect(radius(10)).toBeCloseTo(blastRadius(e, 5, 10, ME), 0);
    expect(radius(1)).toBeCloseTo(scaledDistanceTo(5, 1000 / 101_325, ME) * (e / 101_325) ** (1 / 3), 0);
    expect(radius(22)).toBeUndefined();
    expect(raised!.message.en).toContain('tanks inside 22 kPa (domino): —');
    expect(raised!.incident!.affected).toEqual(['MF1']);
    // outer zone first, WGS84 beside plan
    expect(zones.map((f) => f.properties['kPa'] ?? f.properties['kind'])).toEqual([1, 3, 10, 'congested-volume']);
    expect(raised!.incident!.zones.features).toHaveLength(zones.length);
  });

  it('names the tanks inside 22 kPa (domino): with a site study giving MF1 curve 10 and 6 m of congestion, T101 (shell 32 m from the blast centre) lies inside', () => {
    // curve 10 reaches 22 kPa at R̄ 1.697; at MF1's 3 m the covered volume gives r22 ≈ 31 m, just short of T101's shell —
    // a 6 m high pipe rack doubles E and takes r22 to ≈ 39 m (× 2^⅓)
    const studied: Site = {
      ...site,
      assets: site.assets.map((a) => (a.id === 'MF1' && a.kind === 'congested-area' ? { ...a, attributes: { ...a.attributes, chargeStrength: 10, height: 6 } } : a)),
    };
    const { alerts } = playOnVirtualTime(studied, standard, [...wind(90, 2, 30_000), ...repeat('GD101.gas', 45, 0, 30_000, 5_000)], 31_000);
    const raised = vces(alerts)[0]!;
    const zone22 = raised.incident!.planZones!.features.find((f) => f.properties['kPa'] === 22)!;
    const centre = raised.incident!.planZones!.features.find((f) => f.properties['kind'] === 'congested-volume')!;
    const c = centroid((centre.geometry as { coordinates: [number, number][][] }).coordinates[0]!.slice(0, -1).map(([x, y]) => ({ x, y })));
    // T101 at (105, 350), D 80 m: its shell is hypot(c − T101) − 40 from the centre, inside the 22 kPa radius; T102 (235, 350) is not
    const r22 = zone22.properties['radiusM'] as number;
    expect(Math.hypot(c.x - 105, c.y - 350) - 40).toBeLessThan(r22);
    expect(Math.hypot(c.x - 235, c.y - 350) - 40).toBeGreaterThan(r22);
    expect(raised.incident!.affected).toEqual(['MF1', 'T101']);
    expect(raised.message.en).toContain('tanks inside 22 kPa (domino): T101');
  });

  it('is not raised when the cloud misses every congested volume', () => {
    // GD301 (575, 345) with the wind from the south: the cloud goes north, away from MF1, PH1 and PR1
    const { alerts } = playOnVirtualTime(site, standard, [...wind(180, 3, 60_000), ...repeat('GD301.gas', 45, 0, 60_000, 5_000)], 61_000);
    expect(vces(alerts)).toEqual([]);
    expect(alerts.some((a) => a.incident?.hazard === 'gas-cloud')).toBe(true);
  });
});
