import { TestScheduler } from 'rxjs/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Alert, type LiveEvent, type Quality, type Site } from '../../model/index.ts';
import { loadStandard, parseDuration, type Standard } from '../../standards/index.ts';
import { createEngine } from '../index.ts';

const SITE = new URL('../../sites/zhoushan-demo.yaml', import.meta.url).pathname;
const STANDARD = new URL('../../standards/oil-depot-above-ground/1.0.0.yaml', import.meta.url).pathname;
const MIN = 60_000;

let site: Site;
let standard: Standard;
beforeAll(async () => {
  site = await loadSite(SITE);
  standard = await loadStandard(STANDARD);
});

type Step = [number, string, number | boolean, Quality?];

/** Plays samples on virtual time through the real engine (demo site, standard 1.0.0); returns every incident version. */
function play(steps: Step[], until: number, on: Site = site): Alert[] {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  const events: LiveEvent[] = [];
  scheduler.run(({ flush }) => {
    const engine = createEngine({ sites: [on], standards: [standard], scheduler });
    engine.events$.subscribe((e) => events.push(e));
    for (const [ms, point, value, quality] of steps) {
      scheduler.schedule(() => engine.ingest({ site: on.id, point, value, quality: quality ?? 'good', ts: 1_700_000_000_000 + ms }), ms);
    }
    scheduler.schedule(() => engine.dispose(), until);
    flush();
  });
  return events
    .filter((e) => e.type === 'alert')
    .map((e) => e.data as Alert)
    .filter((a) => a.incident !== undefined);
}

/** `point` reads `value` every 5 s over [from, to] (the demo's points go stale after 10 s of silence). */
const every5s = (point: string, value: number | boolean, from: number, to: number): Step[] =>
  Array.from({ length: Math.floor((to - from) / 5_000) + 1 }, (_, i): Step => [from + i * 5_000, point, value]);

const boilovers = (alerts: Alert[]) => alerts.filter((a) => a.incident!.hazard === 'boilover' && a.transition?.action !== 'escalate');

describe('boilover (crude, full-surface fire: oil above the water bottom / heat-wave speed)', () => {
  it('a flame that falls and comes back within the delay-off is the same fire: its countdown does not move later', () => {
    const delayOff = parseDuration(standard.alarms!.incidentDelayOff!)!.ms;
    const steps: Step[] = [...every5s('T101.level', 10.5, 0, 5 * MIN), [0, 'T101.flame', true], [MIN, 'T101.flame', false], [MIN + 10_000, 'T101.flame', true]];
    const alerts = boilovers(play(steps, 5 * MIN));
    expect(alerts.map((a) => a.transition?.action)).toEqual(['raise']);
    expect(delayOff).toBeGreaterThan(10_000);
  });

  it('counts down from the detection on T101 with the assumed water bottom, 800 m evacuation, every other tank threatened', () => {
    // T101 crude, D 80 m, level 10.5 m, no water-bottom reading → 0.5 m assumed: 10 m of oil.
    // the surface falls at m″/ρ = 0.039 kg/m²s / 860 kg/m³ = 4.535e-5 m/s = 0.16326 m/h on top of the heat wave:
    // 10 m / (1.2 + 0.16326) m/h = 7.3354 h = 440 min (earliest), 10 / (0.3 + 0.16326) = 21.587 h = 1,295 min (latest).
    // evacuation: max(10 × 80 m, 800 m) = 800 m — every other tank of the demo lies within it.
    const alerts = boilovers(play([...every5s('T101.level', 10.5, 0, 30 * MIN), [0, 'T101.flame', false], [MIN, 'T101.flame', true]], 30 * MIN));
    expect(alerts).toHaveLength(1);
    const boilover = alerts[0]!;
    expect(boilover).toMatchObject({ kind: 'hazard-boilover', severity: 1, raisedAt: MIN, subjects: ['T101'] });
    const details = boilover.incident!;
    // the window is shown as two countdowns: the earliest and the latest
    expect(details.countdowns).toEqual([
      {
        kind: 'boilover',
        label: { zh: '最早沸溢时间（罐底水层为假定值）', en: 'Earliest boilover (water bottom assumed)' },
        deadline: MIN + Math.round((10 / (1.2 + (0.039 / 860) * 3600)) * 3_600_000),
      },
      {
        kind: 'boilover-latest',
        label: { zh: '最晚沸溢时间（罐底水层为假定值）', en: 'Latest boilover (water bottom assumed)' },
        deadline: MIN + Math.round((10 / (0.3 + (0.039 / 860) * 3600)) * 3_600_000),
      },
    ]);
    expect(Math.round((details.countdowns[0]!.deadline - MIN) / MIN)).toBe(440);
    expect(Math.round((details.countdowns[1]!.deadline - MIN) / MIN)).toBe(1295);
    expect(details.affected).toEqual(['T101', 'T102', 'T201', 'T202', 'T301', 'T302']);
    const t101 = site.assets.find((a) => a.id === 'T101')!.position;
    const ring = (details.planZones!.features[0]!.geometry as { coordinates: [number, number][][] }).coordinates[0]!;
    for (const [x, y] of ring) expect(Math.hypot(x - t101.x, y - t101.y)).toBeCloseTo(800, 6);
    expect(details.planZones!.features[0]!.properties).toMatchObject({ kind: 'evacuation', radiusM: 800 });
    expect(details.zones.features).toHaveLength(1);
    // the same circle in WGS84: 800 m is about 0.0072° of latitude at the site
    const wgs = (details.zones.features[0]!.geometry as { coordinates: [number, number][][] }).coordinates[0]!;
    const lats = wgs.map(([, lat]) => lat);
    expect(Math.max(...lats) - Math.min(...lats)).toBeCloseTo((2 * 800 * 180) / (Math.PI * 6_371_008.8), 5);
    // 10.5 m × π·80²/4 × 0.86 t/m³ ≈ 45,390 t
    expect(details.inventory).toEqual([{ asset: 'T101', product: 'crude', tonnes: 45390 }]);
    expect(boilover.message.en).toContain('about 10 m of oil above the water bottom (0.5 m)');
    expect(boilover.message.en).toContain("plus the burning surface's own fall of 0.16 m/h boilover may come in 440–1295 min");
    expect(boilover.actions[0]!.en).toContain('within 800 m');
  });

  it('uses the water-bottom reading when the tank has one', () => {
    const withWater: Site = {
      ...site,
      points: [
        ...site.points,
        { asset: 'T101', name: 'water_bottom', id: 'T101.water_bottom', unit: 'm', source: 'plc-tankfarm', node: 'ns=1;s=T101.water_bottom', staleAfterMs: 10_000 },
      ],
    };
    // 10.5 − 1.5 = 9 m of oil: 9 / (1.2 + 0.16326) = 6.6018 h = 396 min
    const steps = [...every5s('T101.level', 10.5, 0, 5 * MIN), ...every5s('T101.water_bottom', 1.5, 0, 5 * MIN), [MIN, 'T101.flame', true] as Step];
    const countdown = boilovers(play(steps, 5 * MIN, withWater))[0]!.incident!.countdowns[0]!;
    expect(countdown).toMatchObject({ label: { en: 'Earliest boilover' }, deadline: MIN + Math.round((9 / (1.2 + (0.039 / 860) * 3600)) * 3_600_000) });
    expect(Math.round((countdown.deadline - MIN) / MIN)).toBe(396);
  });

  it('without a level at the detection gives the zone at once and the countdown from the first good level', () => {
    const alerts = boilovers(play([[0, 'T101.flame', true], ...every5s('T101.level', 6.5, 2 * MIN, 3 * MIN)], 3 * MIN));
    expect(alerts.map((a) => [a.transition?.action, a.changedAt])).toEqual([
      ['raise', 0],
      ['update', 2 * MIN],
    ]);
    expect(alerts[0]!.incident!.countdowns).toEqual([]);
    expect(alerts[0]!.message.en).toContain('about — m of oil');
    // 6 m / (1.2 + 0.16326) m/h = 4.4012 h = 264 min from the first level
    expect(alerts[1]!.incident!.countdowns[0]!.deadline).toBe(2 * MIN + Math.round((6 / (1.2 + (0.039 / 860) * 3600)) * 3_600_000));
  });

  it('is not raised for a gasoline tank on fire, nor by a bad flame reading; returns when the flame is out', () => {
    expect(
      boilovers(
        play(
          [
            [0, 'T201.level', 10],
            [0, 'T201.flame', true],
          ],
          MIN,
        ),
      ),
    ).toEqual([]);
    expect(
      boilovers(
        play(
          [
            [0, 'T101.level', 10],
            [0, 'T101.flame', true, 'bad'],
          ],
          MIN,
        ),
      ),
    ).toEqual([]);
    // the flame out must stay out for the incident's delay-off before the incident returns
    const delayOff = parseDuration(standard.alarms!.incidentDelayOff!)!.ms;
    const alerts = boilovers(
      play(
        [
          [0, 'T101.level', 10],
          [0, 'T101.flame', true],
          [30_000, 'T101.flame', true, 'bad'],
          [MIN, 'T101.flame', false],
        ],
        2 * MIN,
      ),
    );
    expect(alerts.map((a) => [a.transition?.action, a.changedAt])).toEqual([
      ['raise', 0],
      ['return', MIN + delayOff],
    ]);
    const returned = alerts.at(-1)!;
    expect(returned.transition?.comment).toBe('condition cleared, awaiting close');
    expect(returned.lifecycle).toMatchObject({ condition: 'returned', closeRequired: true });
    expect(returned.state).toBe('active'); // awaiting close, never cleared by itself
    expect(returned.incident!.countdowns).toEqual([]);
  });
});
