import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Alert, type Dike, type Site, type Tank } from '../../model/index.ts';
import { loadStandard, parseDuration, type Standard } from '../../standards/index.ts';
import { playOnVirtualTime, repeat, SITE_FILE, STANDARD_1_1_FILE as STANDARD_FILE, type Step } from './hazard-test-support.ts';
import { distanceToOutline } from './polygon.ts';
import { uprightCylinderViewFactors } from './view-factor.ts';

const MIN = 60_000;

let site: Site;
let standard: Standard;
let delayOff: number;
beforeAll(async () => {
  [site, standard] = await Promise.all([loadSite(SITE_FILE), loadStandard(STANDARD_FILE)]);
  delayOff = parseDuration(standard.alarms!.incidentDelayOff!)!.ms;
});

const dikeFires = (alerts: Alert[]) => alerts.filter((a) => a.incident?.hazard === 'dike-fire' && a.transition?.action !== 'escalate');
const wind = (speed: number, from: number, until: number): Step[] => [...repeat('WS1.wind_speed', speed, 0, until, 5_000), ...repeat('WS1.wind_direction', from, 0, until, 5_000)];
const tank = (id: string) => site.assets.find((a): a is Tank => a.id === id)!;
const dikeOutline = (id: string) => site.assets.find((a): a is Dike => a.kind === 'dike' && a.id === id)!.attributes.outline;

describe('dike fire: the dike floor burning as one pool', () => {
  it('product in D2 while T201 burns: an 113 m pool over the floor, zones from the dike wall, the tanks inside in the flame (hand calculation)', () => {
    const { alerts } = playOnVirtualTime(
      site,
      standard,
      [...wind(0, 270, 2 * MIN), [0, 'T201.level', 12], [0, 'T202.level', 10], [0, 'D2.hydrocarbon_detected', true], [10_000, 'T201.flame', true]],
      2 * MIN,
    );
    const [fire, ...rest] = dikeFires(alerts);
    expect(rest).toEqual([]);
    expect(fire!.changedAt).toBe(10_000);
    expect(fire!.subjects).toEqual(['D2']);
    // D2's floor, A = 10,000 m²: D = √(4A/π) = 112.84 m. Gasoline, m″ = 0.055 kg/(m²·s), ρa = 1.2, calm air (u* ≤ 1):
    // m* = m″/(ρa·√(g·D)) = 0.055/(1.2 × √(9.80665 × 112.84)) = 0.0013778; L = D × 42 × m*^0.61 = 112.84 × 0.7554 = 85.23 m, upright.
    // Mudan: E = 140·e^(−0.12 × 112.84) + 20·(1 − e^(−0.12 × 112.84)) = 20.0 kW/m² (the soot hides the luminous flame).
    expect(fire!.message.en).toContain("a pool of 113 m equivalent diameter over the dike floor's 10000 m²");
    expect(fire!.message.en).toContain('solid flame 85.2 m long, upright, emissive power 20 kW/m²');
    expect(fire!.message.en).toContain('the tanks in the dike stand in the flame: T201, T202');
    expect(fire!.message.en).toContain('product in the dike (its hydrocarbon detector), T201 burning');
    expect(fire!.incident!.affected).toEqual(['D2', 'T201', 'T202']);
    expect(fire!.incident!.countdowns.map((c) => [c.label.en, c.deadline])).toEqual([
      ['Cool T201', 10_000 + 5 * MIN],
      ['Cool T202', 10_000 + 5 * MIN],
    ]);
    // 12 m × π·40.5²/4 × 0.75 t/m³ = 11,594 t; 10 m → 9,662 t
    expect(fire!.incident!.inventory).toEqual([
      { asset: 'T201', product: 'gasoline', tonnes: 11_594 },
      { asset: 'T202', product: 'gasoline', tonnes: 9_662 },
    ]);

    // T301 outside: its shell 70 − 14.25 = 55.75 m from D2's east wall. Bagster: pw = 101325 × 0.5 × e^(14.4114 − 5328/293.15)
    // = 1175.4 Pa, τ = 2.02 × (1175.4 × 55.75)^−0.09 = 0.7445; Mudan's upright-cylinder factor to a vertical target with
    // a = L/R = 85.23/56.42, b = (56.42 + 55.75)/56.42 (view-factor.test.ts checks it against integration): q = E·τ·F.
    const R = Math.sqrt(10_000 / Math.PI);
    const gap = 70 - tank('T301').attributes.diameter / 2;
    expect(distanceToOutline(tank('T301').position, dikeOutline('D2')) - tank('T301').attributes.diameter / 2).toBeCloseTo(gap, 9);
    const q = 20.0 * 0.7445 * uprightCylinderViewFactors(85.23 / R, (R + gap) / R).vertical;
    const reported = Number(/T301 (\d+(\.\d)?) kW\/m²/.exec(fire!.message.en)![1]);
    expect(Math.abs(reported - q)).toBeLessThan(0.1);
    expect(q).toBeLessThan(15); // below an atmospheric tank's 15 kW/m²: not exposed
    expect(fire!.message.en).toMatch(/exposed tanks outside: —$/);

    // each zone runs from the dike wall out to its reach: every point of its ring lies between the upwind and the downwind reach of the wall
    const outline = dikeOutline('D2');
    const zones = fire!.incident!.planZones!.features.filter((f) => f.properties['kind'] === 'thermal-radiation');
    expect(zones.map((f) => f.properties['kWm2'])).toEqual([12.5, 4, 1.6]); // 37.5 and 25 kW/m² only inside a 20 kW/m² flame: none
    for (const f of zones) {
      const [least, most] = f.properties['beyondEdgeM'] as [number, number];
      for (const [x, y] of (f.geometry as { coordinates: [number, number][][] }).coordinates[0]!) {
        const beyond = distanceToOutline({ x, y }, outline);
        expect(beyond).toBeGreaterThanOrEqual(least - 1);
        expect(beyond).toBeLessThanOrEqual(most + 1);
      }
    }
  });

  it('needs both product in the dike and a burning tank (or its own flame detector): product alone is a spill, a tank fire alone is a tank fire', () => {
    const spill = playOnVirtualTime(site, standard, [[0, 'D2.hydrocarbon_detected', true]], MIN);
    expect(dikeFires(spill.alerts)).toEqual([]);
    const tankOnly = playOnVirtualTime(
      site,
      standard,
      [
        [0, 'D2.hydrocarbon_detected', false],
        [0, 'T201.flame', true],
      ],
      MIN,
    );
    expect(dikeFires(tankOnly.alerts)).toEqual([]);
    expect(tankOnly.alerts.some((a) => a.incident?.hazard === 'tank-fire')).toBe(true);
  });

  it('a sump that reads clear once the leak has stopped does not put the pool out while a tank of the dike burns', () => {
    const steps: Step[] = [
      [0, 'D2.hydrocarbon_detected', true],
      [0, 'T201.flame', true],
      [MIN, 'D2.hydrocarbon_detected', false],
      [3 * MIN, 'T201.flame', false],
    ];
    const fire = dikeFires(playOnVirtualTime(site, standard, steps, 3 * MIN + delayOff + MIN).alerts);
    expect(fire.map((a) => [a.changedAt, a.transition?.action])).toEqual([
      [0, 'raise'],
      [3 * MIN + delayOff, 'return'],
    ]);
  });

  it('a product reading gone bad keeps the fire; once the tank is out it returns after the delay-off', () => {
    const steps: Step[] = [
      [0, 'D2.hydrocarbon_detected', true],
      [0, 'T202.flame', true],
      [MIN, 'D2.hydrocarbon_detected', false, 'bad'], // the sump detector burnt: not "no product"
      [3 * MIN, 'T202.flame', false],
    ];
    const fire = dikeFires(playOnVirtualTime(site, standard, steps, 3 * MIN + delayOff + MIN).alerts);
    expect(fire.map((a) => [a.changedAt, a.transition?.action])).toEqual([
      [0, 'raise'],
      [3 * MIN + delayOff, 'return'],
    ]);
  });

  it("the dike's own flame detector alone is a dike fire (D1 given one), the crude tanks inside in the flame", async () => {
    const withFlame: Site = {
      ...site,
      points: [
        ...site.points,
        { ...site.points.find((p) => p.id === 'D1.water_level')!, id: 'D1.flame', name: 'flame', unit: 'bool', node: 'ns=1;s=D1.flame' } as Site['points'][number],
      ],
    };
    const fire = dikeFires(playOnVirtualTime(withFlame, standard, [...wind(0, 270, MIN), [1_000, 'D1.flame', true]], MIN).alerts);
    expect(fire).toHaveLength(1);
    expect(fire[0]!.message.en).toMatch(/^Crude tank group dike: dike fire \(the flame detector over the dike floor\)/);
    expect(fire[0]!.incident!.affected.slice(0, 3)).toEqual(['D1', 'T101', 'T102']);
  });

  it('follows the wind: a westerly of 8 m/s leans the flame over the east wall, and a turn to the north redraws the zones', () => {
    const steps: Step[] = [
      ...repeat('WS1.wind_speed', 8, 0, 2 * MIN, 5_000),
      ...repeat('WS1.wind_direction', 270, 0, MIN - 1, 5_000),
      ...repeat('WS1.wind_direction', 0, MIN, 2 * MIN, 5_000),
      [0, 'D2.hydrocarbon_detected', true],
      [1_000, 'T201.flame', true],
    ];
    const fire = dikeFires(playOnVirtualTime(site, standard, steps, 2 * MIN).alerts);
    expect(fire.map((a) => [a.changedAt, a.transition?.action, a.incident!.wind])).toEqual([
      [1_000, 'raise', { speedMs: 8, fromDeg: 270 }],
      [MIN, 'update', { speedMs: 8, fromDeg: 0 }],
    ]);
    expect(fire[0]!.message.en).toContain('towards 90°');
    expect(fire[1]!.message.en).toContain('towards 180°');
    // downwind of the east wall T301 receives more than it does upwind of the north-wind flame
    const t301 = (a: Alert) => Number(/T301 (\d+(\.\d)?) kW\/m²/.exec(a.message.en)![1]);
    expect(t301(fire[0]!)).toBeGreaterThan(t301(fire[1]!));
  });
});
