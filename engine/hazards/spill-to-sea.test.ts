import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Site } from '../../model/index.ts';
import { loadStandard, parseDuration, type Standard } from '../../standards/index.ts';
import { planToWgs84 } from './geo.ts';
import { playOnVirtualTime, repeat, SITE_FILE, STANDARD_FILE, type Step } from './hazard-test-support.ts';

let site: Site;
let standard: Standard;
/** how long an incident's condition must stay clear before it returns (the standard's alarms.incidentDelayOff) */
let delayOff: number;
beforeAll(async () => {
  site = await loadSite(SITE_FILE);
  standard = await loadStandard(STANDARD_FILE);
  delayOff = parseDuration(standard.alarms!.incidentDelayOff!)!.ms;
});

const MIN = 60_000;
const spills = (alerts: ReturnType<typeof playOnVirtualTime>['alerts']) => alerts.filter((a) => a.incident?.hazard === 'spill-to-sea');
/** T201's level every 10 s from `from` m falling at `mPerHour` over `minutes` */
const falling = (from: number, mPerHour: number, minutes: number): Step[] => {
  const steps: Step[] = [];
  for (let t = 0; t <= minutes * MIN; t += 10_000) steps.push([t, 'T201.level', from - (mPerHour * t) / 3_600_000]);
  return steps;
};

describe('spill to sea (product in a dike while its rainwater drain valve is open)', () => {
  it('T201 losing 0.5 m/h with its outlet valve shut and D2 drain open: incident with the dike, the outfall boom area and the drain route; returns when the drain has been shut for the delay-off', () => {
    const steps: Step[] = [
      ...falling(12, 0.5, 6),
      ...repeat('T201.outlet_valve_open', false, 0, 6 * MIN, 10_000),
      [0, 'D2.drain_valve_open', true],
      ...repeat('WS1.wind_speed', 6, 0, 6 * MIN, 5_000),
      ...repeat('WS1.wind_direction', 180, 0, 6 * MIN, 5_000),
      [4 * MIN, 'D2.drain_valve_open', false],
    ];
    const seen = spills(playOnVirtualTime(site, standard, steps, 6 * MIN).alerts);
    // the trend must have lost 10 mm (minLossMetres): 72 s at 0.5 m/h, so the reading at 80 s
    expect(seen.map((a) => [a.transition?.action, a.changedAt])).toEqual([
      ['raise', 80_000],
      ['return', 4 * MIN + delayOff],
    ]);
    expect(seen[1]!.transition?.comment).toBe('condition cleared, awaiting close');
    expect(seen[1]!.lifecycle).toMatchObject({ condition: 'returned', closeRequired: true });
    const spill = seen[0]!;
    expect(spill).toMatchObject({ kind: 'hazard-spill-to-sea', severity: 1, subjects: ['D2'], standard: 'oil-depot-above-ground@1.0.0' });
    expect(spill.message.en).toBe(
      'Product in Gasoline tank group dike (T201 level falling without outflow) while its rainwater drain valve is open: it can run down the drain to the sea (outfall at 450, 500 m on the plan)',
    );
    expect(spill.message.zh).toContain('汽油罐组防火堤内有油品（T201 液位异常下降）');
    expect(spill.actions[0]).toEqual({ zh: '立即关闭防火堤雨水排放阀', en: "Close the dike's rainwater drain valve now" });
    expect(spill.actions.map((a) => a.en).join(' ')).toContain('booms at the sea outfall');
    const details = spill.incident!;
    expect(details.affected).toEqual(['D2', 'T201']);
    // ≈ 11.99 m × π·40.5²/4 × 0.75 t/m³
    expect(details.inventory[0]).toMatchObject({ asset: 'T201', product: 'gasoline' });
    expect(details.inventory[0]!.tonnes).toBeGreaterThan(11_500);
    expect(details.inventory[0]!.tonnes).toBeLessThan(11_600);
    expect(details.wind).toEqual({ speedMs: 6, fromDeg: 180 });
    const [dikeZone, boom] = details.planZones!.features;
    expect(dikeZone!.properties['kind']).toBe('dike');
    expect((dikeZone!.geometry.coordinates as [number, number][][])[0]!.slice(0, 4)).toEqual([
      [340, 330],
      [480, 330],
      [480, 420],
      [340, 420],
    ]);
    expect(boom!.properties).toMatchObject({
      kind: 'boom-area',
      boomRadiusM: 200,
      route: [
        [480, 420],
        [450, 500],
      ],
    });
    for (const [x, y] of (boom!.geometry.coordinates as [number, number][][])[0]!) expect(Math.hypot(x - 450, y - 500)).toBeCloseTo(200, 6);
    expect(details.zones.features[1]!.properties['routeWgs84']).toEqual([planToWgs84(site.location, { x: 480, y: 420 }), planToWgs84(site.location, { x: 450, y: 500 })]);
  });

  it('takes a fall with the outlet valve open for a transfer, unless it is faster than any transfer could be', () => {
    const transfer: Step[] = [...falling(12, 0.5, 3), ...repeat('T201.outlet_valve_open', true, 0, 3 * MIN, 10_000), [0, 'D2.drain_valve_open', true]];
    expect(spills(playOnVirtualTime(site, standard, transfer, 3 * MIN).alerts)).toEqual([]);
    // T201's largest transfer is 1,500 m³/h over 1,288 m²: 1.16 m/h, × 1.1 → 1.28 m/h; 2 m/h is a breach
    const breach: Step[] = [...falling(12, 2, 3), ...repeat('T201.outlet_valve_open', true, 0, 3 * MIN, 10_000), [0, 'D2.drain_valve_open', true]];
    expect(spills(playOnVirtualTime(site, standard, breach, 3 * MIN).alerts).map((a) => a.raisedAt)).toEqual([20_000]);
  });

  it('the dike hydrocarbon detector is evidence for every tank of the dike; nothing while the drain is shut', () => {
    const steps: Step[] = [
      ...repeat('D2.hydrocarbon_detected', true, 0, 3 * MIN, 10_000),
      ...repeat('T201.level', 10, 0, 3 * MIN, 10_000),
      ...repeat('T202.level', 8, 0, 3 * MIN, 10_000),
      [0, 'D2.drain_valve_open', false],
      [MIN, 'D2.drain_valve_open', true],
      [2 * MIN, 'D2.drain_valve_open', true, 'bad'], // the valve's reading lost: the incident holds
    ];
    const seen = spills(playOnVirtualTime(site, standard, steps, 3 * MIN).alerts);
    expect(seen.map((a) => [a.transition?.action, a.changedAt])).toEqual([['raise', MIN]]);
    expect(seen[0]!.message.en).toContain('(the dike hydrocarbon detector)');
    expect(seen[0]!.incident!.affected).toEqual(['D2', 'T201', 'T202']);
    expect(seen[0]!.incident!.inventory.map((i) => [i.asset, i.tonnes])).toEqual([
      ['T201', 9662],
      ['T202', 7729],
    ]);
  });
});
