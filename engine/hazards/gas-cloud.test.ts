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
  return events
    .filter((e) => e.type === 'alert')
    .map((e) => e.data as Alert)
    .filter((a) => a.incident?.hazard === 'gas-cloud');
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

// The engine's clock in these tests starts at 1970-01-01 00:00 UTC: 08:08 solar time in Zhoushan, the sun 12.6° up (day, slight
// insolation); without a cloud-cover reading the more stable of clear and overcast is taken, so a 1.5–2 m/s wind is class D
// (Pasquill: C clear, D overcast). The cloud is a Gaussian plume (gas-cloud-plume.test.ts checks the formulas by hand) from each
// detector in alarm: 1 kg/s at the first alarm, 5 kg/s at the second; crude vapour LEL 0.037 kg/m³, diesel 0.032.
describe('gas cloud (detectors over their set-points, a Gaussian plume downwind to the LEL and ½ LEL; ERG 2020 guide 128 cordon)', () => {
  it('raises on GD101 over its first alarm: the cloud to the LEL 30 m downwind of it (class D, 2 m/s, 1 kg/s), the cordon 50 m round ½ LEL, the wind, D1 inside, T101 inventory', () => {
    // wind from the east at 2 m/s: the cloud goes west. GD101 at (150, 300), reach 10 m, first-alarm length 50 m.
    const level: Step[] = Array.from({ length: 25 }, (_, i) => [i * 5_000, 'T101.level', 10]);
    const alerts = play([...level, ...readings(0, 55_000, {}, { speed: 2, from: 90 }), ...readings(60_000, 120_000, { GD101: 30 }, { speed: 2, from: 90 })], 121_000);
    expect(alerts).toHaveLength(1);
    const cloud = alerts[0]!;
    expect(cloud).toMatchObject({ kind: 'hazard-gas-cloud', severity: 1, raisedAt: 60_000, subjects: [site.id], standard: 'oil-depot-above-ground@1.0.0' });
    // LEL 0.037 kg/m³ at σy·σz = Q/(π u C) = 1/(π · 2 · 0.037) = 4.30 m²: x = 30.3 m (was a fixed 50 m before the plume);
    // x from 150 − 30.3 = 119.7 (downwind) to 160 (the 10 m detector reach upwind), y 300 ± 10 (the reach: the plume is narrower)
    expect(box(ring(cloud, 'gas-cloud'))).toEqual({ x: [119.7, 160], y: [290, 310] });
    expect(zone(cloud, 'gas-cloud').properties).toMatchObject({ lengthM: 30, stability: 'D', windMs: 2, extentKnown: true });
    // ½ LEL at 43.0 m; the cordon 50 m beyond it on every side (first alarm: no downwind evacuation): 150 − 43.0 − 50 = 57.0
    expect(zone(cloud, 'half-lel').properties).toMatchObject({ lengthM: 43 });
    expect(box(ring(cloud, 'cordon'))).toEqual({ x: [57, 210], y: [240, 360] });
    const wgs = (cloud.incident!.zones.features.find((f) => f.properties['kind'] === 'gas-cloud')!.geometry as { coordinates: Ring[] }).coordinates[0]!;
    expect(wgs[0]).toEqual(planToWgs84(site.location, { x: ring(cloud, 'gas-cloud')[0]![0], y: ring(cloud, 'gas-cloud')[0]![1] }));
    expect(cloud.incident!.wind).toEqual({ speedMs: 2, fromDeg: 90 });
    // cordon, ½ LEL, cloud (LEL), then GD101 as a point standing for its 10 m reach, in both projections
    expect(cloud.incident!.zones.features.map((f) => [f.properties['kind'], f.geometry.type])).toEqual([
      ['cordon', 'Polygon'],
      ['half-lel', 'Polygon'],
      ['gas-cloud', 'Polygon'],
      ['gas-detector', 'Point'],
    ]);
    expect(cloud.incident!.planZones!.features[3]).toMatchObject({ geometry: { coordinates: [150, 300] }, properties: { asset: 'GD101', radiusM: 10, alarm: 1, lel: 30 } });
    expect(cloud.incident!.zones.features[3]!.geometry.coordinates).toEqual(planToWgs84(site.location, { x: 150, y: 300 }));
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

  it('at the second alarm (5 kg/s) stretches the cloud to 80 m and the cordon 300 m beyond ½ LEL downwind, finding the fire pumps there as ignition sources', () => {
    // wind from the north: downwind is south, where FP1 (150, 110) and FP2 (150, 135) stand; GEN1 (270, 100) is off to the side
    const alerts = play(readings(0, 60_000, { GD101: 45 }, { speed: 1.5, from: 0 }), 61_000);
    const cloud = alerts[0]!;
    // class D, 1.5 m/s, 5 kg/s: LEL at 79.7 m (σy·σz = 5/(π · 1.5 · 0.037) = 28.7 m²), ½ LEL at 114.0 m
    expect(box(ring(cloud, 'gas-cloud'))).toEqual({ x: [140, 160], y: [220.3, 310] });
    // the cordon: 50 m round ½ LEL and 300 m further downwind: 300 − 114.0 − 50 − 300 = −164
    expect(box(ring(cloud, 'cordon'))).toEqual({ x: [90, 210], y: [-164, 360] });
    expect(cloud.message.en).toContain('ignition sources in the cordon: FP1, FP2;');
    expect(cloud.message.en).toContain('1 of them having reached the second alarm');
    expect(cloud.actions[0]!.en).toContain('(FP1, FP2)');
    expect(zone(cloud, 'cordon').properties).toMatchObject({ isolationM: 50, downwindEvacuationM: 300 });
  });

  it("takes the site's word on ignition sources: an asset marked ignitionSource false (explosion-proof) is left out", () => {
    const marked: Site = {
      ...site,
      assets: site.assets.map((a) => (a.id === 'FP2' && a.kind === 'fire-pump' ? { ...a, attributes: { ...a.attributes, ignitionSource: false } } : a)),
    };
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
    expect(box(ring(alerts[0]!, 'cordon')).y[0]).toBe(-164); // the second-alarm cordon throughout
  });

  it('returns once when two detectors leave the cloud at the same instant', () => {
    const alerts = play(
      [...readings(0, 30_000, { GD201: 30, GD202: 30 }, { speed: 1.5, from: 10 }), ...readings(35_000, 120_000 + delayOff, {}, { speed: 1.5, from: 10 })],
      121_000 + delayOff,
    );
    // both leave at 95 s (60 s after their first reading below the first alarm); the incident returns once, after the delay-off
    expect(alerts.map((a) => [a.transition?.action, a.changedAt])).toEqual([
      ['raise', 0],
      ['return', 95_000 + delayOff],
    ]);
  });

  it('in a calm (under 0.5 m/s) says the extent is unknown and draws the worst case to every side, still reporting the wind', () => {
    const cloud = play(readings(0, 30_000, { GD301: 30 }, { speed: 0.3, from: 90 }), 31_000)[0]!;
    // worst case (EPA RMP: class F, 1.5 m/s), 1 kg/s, diesel LEL 0.032 kg/m³ (GD301 watches T301): 103.6 m, + the 10 m reach
    expect(box(ring(cloud, 'gas-cloud'))).toEqual({ x: [461.4, 688.6], y: [231.4, 458.6] });
    expect(zone(cloud, 'gas-cloud').properties).toMatchObject({ stability: 'F', windMs: 1.5, extentKnown: false });
    expect(cloud.incident!.wind).toEqual({ speedMs: 0.3, fromDeg: 90 });
    expect(cloud.message.en).toContain('towards —');
    expect(cloud.message.en).toContain('extent unknown: calm — drawn for the worst case (class F, 1.5 m/s) to every side');
    expect(cloud.message.zh).toContain('范围未知');
  });

  it('without a wind reading spreads the cloud to every side and says nothing of the wind', () => {
    const alerts = play(readings(0, 30_000, { GD301: 30 }), 31_000);
    const cloud = alerts[0]!;
    // GD301 at (575, 345): never a small cloud for want of data — the worst case, a circle of 10 + 103.6 m
    expect(box(ring(cloud, 'gas-cloud'))).toEqual({ x: [461.4, 688.6], y: [231.4, 458.6] });
    expect(cloud.incident!.wind).toBeUndefined();
    expect(cloud.message.en).toContain('towards —');
    expect(cloud.message.en).toContain('extent unknown: no good wind reading');
    expect(cloud.incident!.affected).toEqual(expect.arrayContaining(['GD301', 'T301', 'T302', 'D3']));
  });

  it('redraws as "extent unknown", never smaller, when the wind reading turns bad (stale readings arrive as bad from the collector)', () => {
    const alerts = play(
      [...readings(0, 30_000, { GD101: 30 }, { speed: 2, from: 90 }), [35_000, 'WS1.wind_speed', 2, 'bad'], ...readings(35_000, 60_000, { GD101: 30 })],
      61_000,
    ).filter((a) => a.transition?.action !== 'escalate');
    expect(alerts.map((a) => [a.transition?.action, a.changedAt])).toEqual([
      ['raise', 0],
      ['update', 35_000],
    ]);
    const [known, unknown] = [zone(alerts[0]!, 'gas-cloud').properties, zone(alerts[1]!, 'gas-cloud').properties];
    expect([known['extentKnown'], unknown['extentKnown']]).toEqual([true, false]);
    // class D at 2 m/s: 30 m; worst case F at 1.5 m/s: 96.3 m (crude LEL, 1 kg/s) to every side
    expect([known['lengthM'], unknown['lengthM']]).toEqual([30, 96]);
    expect(alerts[1]!.message.en).toContain('extent unknown: no good wind reading');
  });
});
