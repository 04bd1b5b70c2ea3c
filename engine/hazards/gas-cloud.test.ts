import { TestScheduler } from 'rxjs/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Alert, type LiveEvent, type Quality, type Site } from '../../model/index.ts';
import { loadStandard, parseDuration, type Standard } from '../../standards/index.ts';
import { createEngine } from '../index.ts';
import { planToWgs84 } from './geo.ts';

const SITE = new URL('../../sites/zhoushan-demo.yaml', import.meta.url).pathname;
const STANDARD = new URL('../../standards/oil-depot-above-ground/1.0.0.yaml', import.meta.url).pathname;
const DETECTORS = ['GD101', 'GD102', 'GD201', 'GD202', 'GD301', 'GDP1'];

let site: Site;
let standard: Standard;
/** how long the cloud's condition must stay clear before the incident returns (the standard's alarms.incidentDelayOff) */
let delayOff: number;
beforeAll(async () => {
  site = await loadSite(SITE);
  standard = await loadStandard(STANDARD);
  delayOff = parseDuration(standard.alarms!.incidentDelayOff!)!.ms;
});

type Step = [number, string, number | boolean, Quality?];

/** Plays samples on virtual time through the real engine (demo site, standard 1.0.0); returns the gas-cloud incident's versions. */
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
  return events.filter((e) => e.type === 'alert').map((e) => e.data as Alert).filter((a) => a.incident?.hazard === 'gas-cloud');
}

/** Every 5 s from `from` to `to`: the wind, if any, then each detector's reading (2 %LEL unless given). */
function readings(from: number, to: number, gas: Record<string, number>, wind?: { speed: number; from: number }): Step[] {
  const steps: Step[] = [];
  for (let t = from; t <= to; t += 5_000) {
    if (wind) steps.push([t, 'WS1.wind_speed', wind.speed], [t, 'WS1.wind_direction', wind.from]);
    for (const d of DETECTORS) steps.push([t, `${d}.gas`, gas[d] ?? 2]);
  }
  return steps;
}

type Ring = [number, number][];
const zone = (alert: Alert, kind: string) => alert.incident!.planZones!.features.find((f) => f.properties['kind'] === kind)!;
const ring = (alert: Alert, kind: string) => (zone(alert, kind).geometry as { coordinates: Ring[] }).coordinates[0]!;
const box = (r: Ring) => ({
  x: [Math.min(...r.map((p) => p[0])), Math.max(...r.map((p) => p[0]))],
  y: [Math.min(...r.map((p) => p[1])), Math.max(...r.map((p) => p[1]))],
});

describe('gas cloud (detectors over their set-points, stretched downwind; ERG 2020 guide 128 cordon)', () => {
  it('raises on GD101 over its first alarm: the cloud 50 m downwind of it, the cordon 50 m round, the wind, D1 inside, T101 inventory', () => {
    // wind from the east at 2 m/s: the cloud goes west. GD101 at (150, 300), reach 10 m, first-alarm length 50 m.
    const level: Step[] = Array.from({ length: 25 }, (_, i) => [i * 5_000, 'T101.level', 10]);
    const alerts = play([...level, ...readings(0, 55_000, {}, { speed: 2, from: 90 }), ...readings(60_000, 120_000, { GD101: 30 }, { speed: 2, from: 90 })], 121_000);
    expect(alerts).toHaveLength(1);
    const cloud = alerts[0]!;
    expect(cloud).toMatchObject({ kind: 'hazard-gas-cloud', severity: 1, raisedAt: 60_000, subjects: [site.id], standard: 'oil-depot-above-ground@1.0.0' });
    // x from 150 − 50 − 10 = 90 (downwind) to 160 (10 m upwind), y 300 ± 10
    expect(box(ring(cloud, 'gas-cloud'))).toEqual({ x: [90, 160], y: [290, 310] });
    // the cordon: 50 m beyond the cloud on every side (first alarm: no downwind evacuation)
    expect(box(ring(cloud, 'cordon'))).toEqual({ x: [40, 210], y: [240, 360] });
    const wgs = (cloud.incident!.zones.features.find((f) => f.properties['kind'] === 'gas-cloud')!.geometry as { coordinates: Ring[] }).coordinates[0]!;
    expect(wgs[0]).toEqual(planToWgs84(site.location, { x: ring(cloud, 'gas-cloud')[0]![0], y: ring(cloud, 'gas-cloud')[0]![1] }));
    expect(cloud.incident!.wind).toEqual({ speedMs: 2, fromDeg: 90 });
    // cordon, cloud, then GD101 as a point standing for its 10 m reach, in both projections
    expect(cloud.incident!.zones.features.map((f) => [f.properties['kind'], f.geometry.type])).toEqual([['cordon', 'Polygon'], ['gas-cloud', 'Polygon'], ['gas-detector', 'Point']]);
    expect(cloud.incident!.planZones!.features[2]).toMatchObject({ geometry: { coordinates: [150, 300] }, properties: { asset: 'GD101', radiusM: 10, alarm: 1, lel: 30 } });
    expect(cloud.incident!.zones.features[2]!.geometry.coordinates).toEqual(planToWgs84(site.location, { x: 150, y: 300 }));
    // the cloud lies inside dike D1; T101's shell (x ≤ 145 at y 310… ) is touched at its north-east
    expect(cloud.incident!.affected).toContain('GD101');
    expect(cloud.incident!.affected).toContain('D1');
    expect(cloud.incident!.affected).not.toContain('T102');
    // GD101 watches T101: 10 m × π·80²/4 × 0.86 t/m³ ≈ 43,228 t
    expect(cloud.incident!.inventory).toEqual([{ asset: 'T101', product: 'crude', tonnes: 43228 }]);
    expect(cloud.message.en).toContain('GD101 30 %LEL');
    expect(cloud.message.en).toContain('towards 270°');
    expect(cloud.message.en).toContain('0 of them having reached the second alarm');
    expect(cloud.message.zh).toContain('GD101 30 %LEL');
    expect(cloud.actions).toHaveLength(4);
  });

  it('at the second alarm stretches the cloud 100 m and the cordon 300 m downwind, finding the fire pumps there as ignition sources', () => {
    // wind from the north: downwind is south, where FP1 (150, 110) and FP2 (150, 135) stand; GEN1 (270, 100) is off to the side
    const alerts = play(readings(0, 60_000, { GD101: 45 }, { speed: 1.5, from: 0 }), 61_000);
    const cloud = alerts[0]!;
    expect(box(ring(cloud, 'gas-cloud'))).toEqual({ x: [140, 160], y: [190, 310] });
    expect(box(ring(cloud, 'cordon'))).toEqual({ x: [90, 210], y: [-160, 360] });
    expect(cloud.message.en).toContain('ignition sources in the cordon: FP1, FP2;');
    expect(cloud.message.en).toContain('1 of them having reached the second alarm');
    expect(cloud.actions[0]!.en).toContain('(FP1, FP2)');
    expect(zone(cloud, 'cordon').properties).toMatchObject({ isolationM: 50, downwindEvacuationM: 300 });
  });

  it('takes the site\'s word on ignition sources: an asset marked ignitionSource false (explosion-proof) is left out', () => {
    const marked: Site = { ...site, assets: site.assets.map((a) => (a.id === 'FP2' && a.kind === 'fire-pump' ? { ...a, attributes: { ...a.attributes, ignitionSource: false } } : a)) };
    const cloud = play(readings(0, 30_000, { GD101: 45 }, { speed: 1.5, from: 0 }), 31_000, marked)[0]!;
    expect(cloud.message.en).toContain('ignition sources in the cordon: FP1;');
  });

  it('is re-issued when another detector joins or leaves or the wind turns by more than 22.5°, not on a small turn; returns when all are clear', () => {
    // every detector reports each 5 s; a change of wind below 22.5° (0° → 10°) re-issues nothing; a detector
    // leaves the cloud 60 s after its first reading below the first alarm; the incident returns once the
    // cloud has stayed gone for its delay-off
    const alerts = play(
      [
        ...readings(0, 115_000, { GD101: 45 }, { speed: 1.5, from: 0 }),
        ...readings(120_000, 175_000, { GD101: 45, GD102: 25 }, { speed: 1.5, from: 0 }),
        ...readings(180_000, 235_000, { GD101: 45, GD102: 25 }, { speed: 1.5, from: 10 }),
        ...readings(240_000, 295_000, { GD101: 45, GD102: 25 }, { speed: 1.5, from: 40 }),
        ...readings(300_000, 305_000, { GD102: 25 }, { speed: 1.5, from: 40 }),
        ...readings(310_000, 400_000, {}, { speed: 1.5, from: 40 }),
      ],
      401_000,
    ).filter((a) => a.transition?.action !== 'escalate'); // unacknowledged for 5 min: escalated, beside the point here
    expect(alerts.map((a) => [a.transition?.action, a.changedAt])).toEqual([
      ['raise', 0],
      ['update', 120_000],
      ['update', 240_000],
      ['update', 360_000],
      ['return', 370_000 + delayOff],
    ]);
    expect(alerts[4]!.transition?.comment).toBe('condition cleared, awaiting close');
    expect(alerts[4]!.lifecycle).toMatchObject({ condition: 'returned', closeRequired: true });
    expect(alerts[3]!.incident!.affected[0]).toBe('GD102');
    expect(alerts[1]!.incident!.affected.slice(0, 2)).toEqual(['GD101', 'GD102']);
    expect(alerts[2]!.incident!.wind).toEqual({ speedMs: 1.5, fromDeg: 40 });
  });

  it('holds a detector in alarm whose reading turns bad or stale, naming it, until a good reading clears it', () => {
    const alerts = play(
      [
        ...readings(0, 60_000, { GD101: 45 }, { speed: 1.5, from: 90 }),
        [65_000, 'GD101.gas', 0, 'bad'],
        ...readings(65_000, 200_000, {}, { speed: 1.5, from: 90 }).filter(([, p]) => p !== 'GD101.gas'),
        ...readings(205_000, 270_000 + delayOff, {}, { speed: 1.5, from: 90 }),
      ],
      271_000 + delayOff,
    ).filter((a) => a.transition?.action !== 'escalate');
    expect(alerts.map((a) => [a.transition?.action, a.changedAt])).toEqual([
      ['raise', 0],
      ['update', 65_000],
      ['update', 205_000], // reading again: no longer named
      ['return', 265_000 + delayOff], // 60 s after its first good reading below the first alarm, then the delay-off
    ]);
    expect(alerts[1]!.message.en).toContain('detectors without a good reading: GD101');
    expect(alerts[1]!.message.en).toContain('GD101 45 %LEL'); // its last good reading
  });

  it('keeps its zones while readings swing about the set-points: a second alarm is held, a dip shorter than 60 s changes nothing', () => {
    const swinging: Step[] = [];
    for (let t = 0; t <= 240_000; t += 5_000) {
      swinging.push([t, 'WS1.wind_speed', 1.5], [t, 'WS1.wind_direction', 0]);
      // GD101 45, 35, 15, 45, … %LEL: over the second alarm, under it, under the first, for 5 s each
      for (const d of DETECTORS) swinging.push([t, `${d}.gas`, d === 'GD101' ? [45, 35, 15][(t / 5_000) % 3]! : 2]);
    }
    const alerts = play(swinging, 241_000).filter((a) => a.transition?.action !== 'escalate');
    expect(alerts.map((a) => a.transition?.action)).toEqual(['raise']);
    expect(box(ring(alerts[0]!, 'cordon')).y[0]).toBe(-160); // the second-alarm cordon throughout
  });

  it('returns once when two detectors leave the cloud at the same instant', () => {
    const alerts = play([...readings(0, 30_000, { GD201: 30, GD202: 30 }, { speed: 1.5, from: 10 }), ...readings(35_000, 120_000 + delayOff, {}, { speed: 1.5, from: 10 })], 121_000 + delayOff);
    // both leave at 95 s (60 s after their first reading below the first alarm); the incident returns once, after the delay-off
    expect(alerts.map((a) => [a.transition?.action, a.changedAt])).toEqual([['raise', 0], ['return', 95_000 + delayOff]]);
  });

  it('in a calm (under 0.5 m/s) spreads the cloud to every side, still reporting the wind', () => {
    const cloud = play(readings(0, 30_000, { GD301: 30 }, { speed: 0.3, from: 90 }), 31_000)[0]!;
    expect(box(ring(cloud, 'gas-cloud'))).toEqual({ x: [515, 635], y: [285, 405] });
    expect(cloud.incident!.wind).toEqual({ speedMs: 0.3, fromDeg: 90 });
    expect(cloud.message.en).toContain('towards —');
  });

  it('without a wind reading spreads the cloud to every side and says nothing of the wind', () => {
    const alerts = play(readings(0, 30_000, { GD301: 30 }), 31_000);
    const cloud = alerts[0]!;
    // GD301 at (575, 345): a circle of 10 + 50 m
    expect(box(ring(cloud, 'gas-cloud'))).toEqual({ x: [515, 635], y: [285, 405] });
    expect(cloud.incident!.wind).toBeUndefined();
    expect(cloud.message.en).toContain('towards —');
    expect(cloud.incident!.affected).toEqual(expect.arrayContaining(['GD301', 'T301', 'T302', 'D3']));
  });
});
