import { TestScheduler } from 'rxjs/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Alert, type ClauseResult, type LiveEvent, type Site } from '../../model/index.ts';
import { loadStandard, parseDuration, type Standard } from '../../standards/index.ts';
import { createEngine, type Engine } from '../index.ts';
import { planToWgs84 } from './geo.ts';

const SITE = new URL('../../sites/zhoushan-demo.yaml', import.meta.url).pathname;
const STANDARD = new URL('../../standards/oil-depot-above-ground/1.0.0.yaml', import.meta.url).pathname;
const HH = 'GB50074-15.1.2-HH';
const MIN = 60_000;

let site: Site;
let standard: Standard;
beforeAll(async () => {
  site = await loadSite(SITE);
  standard = await loadStandard(STANDARD);
});

type Step = [number, string, number | boolean];

/** Plays samples on virtual time through the real engine with the demo site and the 1.0.0 standard. */
function play(steps: Step[], until: number, commands?: (engine: Engine, at: (ms: number, fn: () => void) => void) => void) {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  const events: LiveEvent[] = [];
  scheduler.run(({ flush }) => {
    const engine = createEngine({ sites: [site], standards: [standard], scheduler });
    engine.events$.subscribe((e) => events.push(e));
    const at = (ms: number, fn: () => void) => scheduler.schedule(fn, ms);
    for (const [ms, point, value] of steps) at(ms, () => engine.ingest({ site: site.id, point, value, quality: 'good', ts: 1_700_000_000_000 + ms }));
    commands?.(engine, at);
    at(until, () => engine.dispose());
    flush();
  });
  const alerts = events.filter((e) => e.type === 'alert').map((e) => e.data as Alert);
  const results = events.filter((e) => e.type === 'result').map((e) => e.data as ClauseResult);
  return { alerts, results };
}

/** T201 level every 10 s from `from` m rising at `mPerHour` for `minutes`, then held where it got to for `holdMinutes`. */
function filling(from: number, mPerHour: number, minutes: number, holdMinutes = 0, everyMs = 10_000): Step[] {
  const steps: Step[] = [];
  for (let t = 0; t <= minutes * MIN; t += everyMs) steps.push([t, 'T201.level', from + (mPerHour * t) / 3_600_000]);
  const top = from + (mPerHour * minutes) / 60;
  for (let t = minutes * MIN + everyMs; t <= (minutes + holdMinutes) * MIN; t += everyMs) steps.push([t, 'T201.level', top]);
  return steps;
}

const near = (c: [number, number]) => Math.abs(c[0] - site.location.lon) < 0.01 && Math.abs(c[1] - site.location.lat) < 0.01;

describe('overfill forecast (API 2350 response time)', () => {
  it('raises an incident with countdown, inventory and the dike zone before the high-high clause fails when T201 fills fast', () => {
    // T201: critical high 16.9 m, high-high 16.2, high 15.6, category 2 → 30 min. At 3 m/h from 14 m the
    // forecast drops below 30 min at 15.4 m (28 min in), before high (32 min) and high-high (44 min).
    const { alerts, results } = play(filling(14, 3, 46), 47 * MIN);
    const incident = alerts.find((a) => a.incident?.hazard === 'overfill');
    expect(incident).toBeDefined();
    const hhFail = results.find((r) => r.clause === HH && r.subject === 'T201' && r.verdict === 'fail');
    expect(hhFail).toBeDefined();
    expect(incident!.raisedAt).toBeLessThan(hhFail!.since);
    const firstLevelAlarm = alerts.find((a) => a.subjects.includes('T201') && !a.incident);
    expect(firstLevelAlarm).toBeDefined();
    expect(incident!.raisedAt).toBeLessThan(firstLevelAlarm!.raisedAt);
    expect(incident!.raisedAt).toBeGreaterThanOrEqual(27 * MIN);
    expect(incident!.raisedAt).toBeLessThanOrEqual(29 * MIN);
    expect(incident).toMatchObject({ kind: 'hazard-overfill', severity: 1, subjects: ['T201'], standard: 'oil-depot-above-ground@1.0.0' });
    const details = incident!.incident!;
    expect(details.affected).toEqual(['T201']);
    // a little under 30 min to go when raised
    const countdown = details.countdowns.find((c) => c.kind === 'overfill')!;
    expect(countdown.deadline - incident!.raisedAt).toBeGreaterThan(25 * MIN);
    expect(countdown.deadline - incident!.raisedAt).toBeLessThanOrEqual(30 * MIN);
    // ≈ 15.4 m × π·40.5²/4 × 0.75 t/m³ ≈ 14,900 t
    expect(details.inventory[0]).toMatchObject({ asset: 'T201', product: 'gasoline' });
    expect(details.inventory[0]!.tonnes).toBeGreaterThan(14_500);
    expect(details.inventory[0]!.tonnes).toBeLessThan(15_300);
    // the D2 dike outline, in plan metres and in WGS84 near the site
    const d2 = site.assets.find((a) => a.id === 'D2')!;
    const outline = (d2.attributes as { outline: { x: number; y: number }[] }).outline;
    const plan = details.planZones!.features[0]!.geometry as { type: 'Polygon'; coordinates: [number, number][][] };
    expect(plan.coordinates[0]!.slice(0, outline.length)).toEqual(outline.map((p) => [p.x, p.y]));
    const wgs = details.zones.features[0]!.geometry as { type: 'Polygon'; coordinates: [number, number][][] };
    expect(wgs.coordinates[0]!.every(near)).toBe(true);
    expect(wgs.coordinates[0]![0]).toEqual(planToWgs84(site.location, outline[0]!));
    expect(incident!.message.en).toContain('30-min response time');
    expect(incident!.actions.length).toBeGreaterThan(0);
  });

  it('is acknowledged like any alarm, returns when the level stops rising, and is cleared only when a person closes it', () => {
    const delayOff = parseDuration(standard.alarms!.incidentDelayOff!)!.ms;
    let acknowledged: Alert | undefined;
    let closed: Alert | undefined;
    const { alerts } = play(filling(14, 3, 30, 10), 41 * MIN, (engine, at) => {
      at(29 * MIN + 5_000, () => {
        const open = engine.snapshot(site.id)!.alerts.find((a) => a.incident?.hazard === 'overfill')!;
        acknowledged = engine.acknowledge(open.id, 'operator', 'filling stopped by the control room');
      });
      at(40 * MIN, () => {
        closed = engine.close(acknowledged!.id, 'shift-lead', 'level steady, filling line isolated');
      });
    });
    expect(acknowledged?.lifecycle).toMatchObject({ acknowledged: true, condition: 'active' });
    expect(acknowledged?.incident?.hazard).toBe('overfill');
    const overfill = alerts.filter((a) => a.incident?.hazard === 'overfill');
    const returned = overfill.find((a) => a.transition?.action === 'return')!;
    expect(returned.transition?.comment).toBe('condition cleared, awaiting close');
    // acknowledged and returned, but an incident awaits closing by a person: its countdowns are over
    expect(returned.state).toBe('acknowledged');
    expect(returned.lifecycle).toMatchObject({ condition: 'returned', acknowledged: true, closeRequired: true });
    expect(returned.incident!.countdowns).toEqual([]);
    // the level stops rising at 30 min; the forecast clears within 6 min, then stays clear for the delay-off
    expect(returned.changedAt).toBeGreaterThan(30 * MIN + delayOff);
    expect(returned.changedAt).toBeLessThanOrEqual(36 * MIN + delayOff);
    const last = overfill.at(-1)!;
    expect(last).toEqual(closed);
    expect(last.transition).toMatchObject({ action: 'close', by: 'shift-lead', comment: 'level steady, filling line isolated', at: 40 * MIN });
    expect(last.state).toBe('cleared');
  });

  it('is not raised when T201 fills slowly', () => {
    // 0.5 m/h from 14 m to 16 m: at 16 m the critical high is still 108 min away
    const { alerts } = play(filling(14, 0.5, 240, 0, 60_000), 241 * MIN);
    expect(alerts.filter((a) => a.incident)).toEqual([]);
  });

  it('carries the wind of the weather station when raised, and none when the wind reading is bad', () => {
    const wind = filling(14, 3, 30).flatMap(([t]): Step[] => [
      [t, 'WS1.wind_speed', 4.2],
      [t, 'WS1.wind_direction', 370],
    ]);
    const { alerts } = play([...wind, ...filling(14, 3, 30)], 31 * MIN);
    expect(alerts.find((a) => a.incident?.hazard === 'overfill')!.incident!.wind).toEqual({ speedMs: 4.2, fromDeg: 10 });
    // one wind reading at the start only: the collector reports it stale (bad) 10 s later, long before the incident
    const stale = play([...wind.slice(0, 2), ...filling(14, 3, 30)], 31 * MIN, (engine, at) =>
      at(10_000, () => {
        for (const [, point, value] of wind.slice(0, 2)) engine.ingest({ site: site.id, point, value, quality: 'bad', reason: 'stale', ts: 1_700_000_010_000 });
      }),
    );
    expect(stale.alerts.find((a) => a.incident?.hazard === 'overfill')!.incident!.wind).toBeUndefined();
  });
});

describe('tank fire (solid-flame radiation, GB 50074 §12.5.4 cooling)', () => {
  it('gives radiation zones for T201 from its shell, lists T202 as exposed with a 10-minute cooling deadline', () => {
    // By hand, T201 gasoline D = 40.5 m, m″ = 0.055 kg/m²s, no wind reading: the flame is taken to lean at the standard's
    // 5 m/s towards every target. u* = 5 / (9.80665 × 0.055 × 40.5 / 1.2)^(1/3) = 1.9007; Thomas: L = 40.5 × 55 × m*^0.67
    // × u*^−0.21 = 33.2 m, cos θ = 0.7 × 1.9007^−0.49 → θ = 59.3°: the flame reaches 33.2 × sin 59.3° = 28.6 m beyond the
    // shell — past T202's, 19.5 m away (flame contact: E = 140·e^(−4.86) + 20·(1 − e^(−4.86)) = 20.9 kW/m² > 15, exposed).
    // E = 20.9 < 25: no 37.5 or 25 kW/m² zone outside the flame; 12.5 kW/m² to 28.6 m (under the flame), 4 kW/m² to 40.8 m,
    // 1.6 kW/m² to 58.2 m beyond the shell, all round. T102 (147 m centre to centre, D 80) gets 0.6 kW/m²: not exposed.
    const { alerts } = play(
      [
        [0, 'T201.level', 10],
        [0, 'T201.flame', false],
        [60_000, 'T201.flame', true],
        [120_000, 'T201.flame', true],
      ],
      5 * MIN,
    );
    const fires = alerts.filter((a) => a.incident?.hazard === 'tank-fire');
    expect(fires).toHaveLength(1); // a repeated reading changes nothing
    const fire = fires[0]!;
    expect(fire.raisedAt).toBe(60_000);
    const details = fire.incident!;
    const zones = details.planZones!.features.map((f) => [f.properties['kWm2'], f.properties['beyondEdgeM'], f.properties['radiusM']]);
    expect(zones).toEqual([
      [12.5, [29, 29], 49],
      [4, [41, 41], 61],
      [1.6, [58, 58], 78],
    ]);
    expect(details.affected).toEqual(['T201', 'T202']);
    const coolT202 = details.countdowns.find((c) => c.label.en === 'Cool T202')!;
    expect(coolT202.deadline).toBe(60_000 + 10 * MIN);
    expect(details.countdowns.find((c) => c.label.en === 'Cool T201')!.deadline).toBe(60_000 + 5 * MIN);
    // the 4 kW/m² ring: its plan vertices 20.25 + 40.8 m from T201's centre, WGS84 near the site
    const t201 = site.assets.find((a) => a.id === 'T201')!.position;
    const ring = (details.planZones!.features[1]!.geometry as { coordinates: [number, number][][] }).coordinates[0]!;
    for (const [x, y] of ring) expect(Math.hypot(x - t201.x, y - t201.y)).toBeCloseTo(20.25 + 40.78, 0);
    for (const f of details.zones.features) expect((f.geometry as { coordinates: [number, number][][] }).coordinates[0]!.every(near)).toBe(true);
    expect(fire.message.en).toContain('the wind unknown: taken leaning 59° towards every side');
    expect(fire.message.en).toContain('T202 20.9 kW/m²');
    expect(fire.message.en).toContain('T202');
    // 10 m × 1,288 m² × 0.75 t/m³ ≈ 9,662 t in T201; T202 has no reading yet
    expect(details.inventory).toEqual([{ asset: 'T201', product: 'gasoline', tonnes: 9662 }]);
  });

  it('returns when the flame has stayed gone for the delay-off', () => {
    const delayOff = parseDuration(standard.alarms!.incidentDelayOff!)!.ms;
    const { alerts } = play(
      [
        [0, 'T201.flame', true],
        [MIN, 'T201.flame', false],
      ],
      2 * MIN,
    );
    const fire = alerts.filter((a) => a.incident?.hazard === 'tank-fire');
    expect(fire.map((a) => [a.transition?.action, a.changedAt])).toEqual([
      ['raise', 0],
      ['return', MIN + delayOff],
    ]);
  });
});
