// The rescue access rule (issue 16): the recommended gate and the road approach are never within ±45°
// of downwind; upwind before crosswind, nearest first; staging upwind beyond the largest zone when no
// gate may be used; nothing recommended when the wind is unknown; direction ignored in a calm.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSite } from '../../../../model/index.ts';
import type { Gate, GeoFeature, Road, Sample, SiteDetail } from './api.ts';
import { planBearing, planDistance, type XY } from './incident-geo.ts';
import { siteAccess, windSide, type AccessWind, type SiteAccess } from './site-access.ts';
import { STAGING_MARGIN_M } from './staging.ts';
import { assessWind } from './station-wind.ts';
import { DOWNWIND_HALF_ANGLE_DEG, offDownwind } from './wind-side.ts';
import { inZone } from './zones.ts';

const COMPASS = [
  ['N', 0],
  ['NE', 45],
  ['E', 90],
  ['SE', 135],
  ['S', 180],
  ['SW', 225],
  ['W', 270],
  ['NW', 315],
] as const;
const known = (fromDeg: number): AccessWind => ({ state: 'known', fromDeg });

/** a zone as the engine draws it: a 48-sided polygon about the centre, with its radius */
const ring = (c: XY, radiusM: number): GeoFeature => {
  const points: [number, number][] = [];
  for (let i = 0; i <= 48; i++) {
    const a = (2 * Math.PI * (i % 48)) / 48;
    points.push([c.x + radiusM * Math.cos(a), c.y + radiusM * Math.sin(a)]);
  }
  return { type: 'Feature', geometry: { type: 'Polygon', coordinates: [points] }, properties: { radiusM } };
};

/** the rule itself, asserted on every answer with a known wind */
function expectNeverDownwind(access: SiteAccess, fromDeg: number, zones: readonly GeoFeature[]): void {
  if (access.recommended) {
    expect(offDownwind(access.recommended.bearing, fromDeg)).toBeGreaterThan(DOWNWIND_HALF_ANGLE_DEG);
    expect(access.recommended.zones).toEqual([]);
  }
  if (access.approach) {
    expect(offDownwind(access.approach.bearing, fromDeg)).toBeGreaterThan(DOWNWIND_HALF_ANGLE_DEG);
    expect(zones.some((z) => inZone(z, access.approach!.point))).toBe(false);
  }
  for (const g of access.gates) if (g.excluded === undefined) expect(offDownwind(g.bearing, fromDeg)).toBeGreaterThan(DOWNWIND_HALF_ANGLE_DEG);
}

/** a live site view holding only a weather station's wind: what the rescue page reads the wind from */
function stationDetail(speedMs: number, fromDeg: number, quality: 'good' | 'bad' | 'uncertain' | 'stale' = 'good'): SiteDetail {
  const sample = (point: string, value: number): Sample => ({
    site: 's',
    point,
    value,
    ts: 1_000,
    quality: quality === 'stale' ? 'bad' : quality,
    ...(quality === 'stale' ? { reason: 'stale' } : {}),
  });
  return {
    site: {
      id: 's',
      name: { zh: 's', en: 's' },
      location: { lat: 30, lon: 122 },
      timeZone: 'Asia/Shanghai',
      plan: { width: 100, height: 100 },
      standards: [],
      assets: [{ id: 'WS1', kind: 'weather-station', name: { zh: '气象站', en: 'Weather station' }, position: { x: 0, y: 0 }, attributes: {} }],
      points: [
        { id: 'WS1.wind_speed', asset: 'WS1', name: 'wind_speed', unit: 'm/s' },
        { id: 'WS1.wind_direction', asset: 'WS1', name: 'wind_direction', unit: 'deg' },
      ],
    },
    score: null,
    clauses: [],
    alerts: [],
    values: { 'WS1.wind_speed': sample('WS1.wind_speed', speedMs), 'WS1.wind_direction': sample('WS1.wind_direction', fromDeg) },
  };
}

describe('rescue access on the demo plan: a full-surface fire in T101', async () => {
  const site = await loadSite(resolve('sites/zhoushan-demo.yaml'));
  const t101 = site.assets.find((a) => a.id === 'T101')!.position;
  // the full-surface fire's 37.5 / 12.5 / 4 kW/m² zones (engine/hazards/tank-fire.test.ts): 73, 126, 223 m
  const zones = [ring(t101, 223), ring(t101, 126), ring(t101, 73)];
  const plan = site.plan as { roads?: Road[]; gates?: Gate[] };
  // from T101 the main gate G1 lies 411 m at 148°, the east emergency gate G2 623 m at 107°
  const expected: Record<(typeof COMPASS)[number][0], string | undefined> = {
    N: 'G2', // G1 is 32° off downwind
    NE: 'G1', // both crosswind: the nearer
    E: 'G2', // upwind
    SE: 'G1', // both upwind: the nearer
    S: 'G1', // upwind before the crosswind G2
    SW: 'G1', // both crosswind: the nearer
    W: 'G1', // G2 is 17° off downwind
    NW: undefined, // both within 45° of downwind: stage upwind
  };

  it.each(COMPASS)('wind from %s (%i°): never a gate or approach within ±45° of downwind', (name, fromDeg) => {
    const access = siteAccess(plan, t101, zones, known(fromDeg));
    expectNeverDownwind(access, fromDeg, zones);
    expect(access.recommended?.gate.id).toBe(expected[name]);
    expect(access.approach).toBeDefined();
    if (access.recommended) {
      expect(access.staging).toBeUndefined();
      expect(access.route).toBeDefined();
    } else {
      // every gate excluded: stage on the upwind line, just beyond the 4 kW/m² zone (223 m)
      expect(access.gates.every((g) => g.excluded === 'downwind')).toBe(true);
      expect(access.staging).toMatchObject({ bearing: fromDeg, beyond: 0 });
      // the 48-sided polygon's edge lies up to 0.5 m inside the 223 m circle between its corners
      expect(access.staging!.distance).toBeGreaterThanOrEqual(222.4 + STAGING_MARGIN_M);
      expect(access.staging!.distance).toBeLessThanOrEqual(223 + STAGING_MARGIN_M + 2);
      expect(planBearing(t101, access.staging!.point)).toBeCloseTo(fromDeg, 6);
      expect(zones.some((z) => inZone(z, access.staging!.point))).toBe(false);
    }
  });

  it.each(COMPASS)('calm (0.3 m/s) with the vane at %s (%i°): the nearest gate and road point outside the zones, whatever the vane says', (_name, fromDeg) => {
    const wind = assessWind(stationDetail(0.3, fromDeg));
    expect(wind).toMatchObject({ state: 'calm', fromDeg });
    const calm = siteAccess(plan, t101, zones, wind);
    expect(calm.recommended?.gate.id).toBe('G1');
    expect(calm.gates.map((g) => g.side)).toEqual(['calm', 'calm']);
    expect(calm.staging).toBeUndefined();
    expect(zones.some((z) => inZone(z, calm.approach!.point))).toBe(false);
    // the 48-sided polygon's edge lies a little inside the 223 m circle between its corners
    expect(calm.approach!.distance).toBeGreaterThan(220);
    expect(calm.approach!.distance).toBeLessThan(226);
    expect(calm.approach).toEqual(siteAccess(plan, t101, zones, assessWind(stationDetail(0.3, 0))).approach);
  });

  it.each(COMPASS)('a stale, bad or uncertain reading from %s (%i°) is unknown wind: nothing recommended', (_name, fromDeg) => {
    for (const quality of ['stale', 'bad', 'uncertain'] as const) {
      const wind = assessWind(stationDetail(5, fromDeg, quality));
      expect(wind.state).toBe('unknown');
      expect(siteAccess(plan, t101, zones, wind)).toMatchObject({ recommended: undefined, approach: undefined, route: undefined, staging: undefined });
    }
    // the same reading, good: a recommendation that is not downwind
    const good = assessWind(stationDetail(5, fromDeg));
    expect(good).toMatchObject({ state: 'known', fromDeg });
    expectNeverDownwind(siteAccess(plan, t101, zones, good), fromDeg, zones);
  });

  it('unknown wind: every gate with its zones, none recommended, no approach, route or staging', () => {
    const access = siteAccess(plan, t101, [ring(t101, 450)], { state: 'unknown' });
    expect(access.gates.map((g) => [g.gate.id, g.side, g.excluded, g.zones])).toEqual([
      ['G1', 'unknown', 'zone', [0]],
      ['G2', 'unknown', undefined, []],
    ]);
    expect(access).toMatchObject({ wind: 'unknown', recommended: undefined, approach: undefined, route: undefined, staging: undefined });
  });
});

describe('rescue access on a synthetic plan: eight gates on a ring, a ring road', () => {
  // the incident at (500, 500); a gate every 45° at 300 m, and a 16-sided ring road 150 m out
  const centre = { x: 500, y: 500 };
  const at = (bearing: number, d: number): XY => ({ x: centre.x + d * Math.sin((bearing * Math.PI) / 180), y: centre.y + d * Math.cos((bearing * Math.PI) / 180) });
  const gates: Gate[] = COMPASS.map(([id, b]) => ({ id, name: { zh: id, en: id }, position: at(b, 300), role: 'main' }));
  const ringRoad: Road = { id: 'ring', name: { zh: '环路', en: 'Ring' }, kind: 'fire-lane', width: 6, points: Array.from({ length: 17 }, (_, i) => at((i % 16) * 22.5, 150)) };
  const spokes: Road[] = COMPASS.map(([id, b]) => ({ id: `to-${id}`, name: { zh: id, en: id }, kind: 'road', width: 6, points: [at(b, 300), at(b, 150)] }));
  const plan = { gates, roads: [ringRoad, ...spokes] };
  const zones = [ring(centre, 100), ring(centre, 60)];

  it.each(COMPASS)('wind from %s (%i°): the upwind gate, an approach outside the downwind sector, a route to it', (name, fromDeg) => {
    const access = siteAccess(plan, centre, zones, known(fromDeg));
    expectNeverDownwind(access, fromDeg, zones);
    expect(access.recommended).toMatchObject({ gate: { id: name }, side: 'upwind' });
    // the three gates of the downwind quarter and its edges are excluded: straight downwind and 45° either side
    expect(access.gates.filter((g) => g.excluded === 'downwind').length).toBe(3);
    // the ring road at 150 m: the nearest point outside the zones and not downwind
    expect(access.approach!.distance).toBeGreaterThan(100);
    expect(access.approach!.distance).toBeLessThanOrEqual(150);
    expect(access.route).toBeDefined();
  });

  it.each(COMPASS)('wind from %s (%i°) with only the downwind gates left: stage upwind beyond the largest zone', (_name, fromDeg) => {
    const downwindOnly = { gates: gates.filter((g) => offDownwind(planBearing(centre, g.position), fromDeg) <= DOWNWIND_HALF_ANGLE_DEG), roads: plan.roads };
    expect(downwindOnly.gates.length).toBe(3);
    const access = siteAccess(downwindOnly, centre, zones, known(fromDeg));
    expectNeverDownwind(access, fromDeg, zones);
    expect(access.recommended).toBeUndefined();
    expect(access.staging).toMatchObject({ bearing: fromDeg, beyond: 0 });
    expect(planDistance(centre, access.staging!.point)).toBeCloseTo(access.staging!.distance, 6);
    expect(access.staging!.distance).toBeGreaterThanOrEqual(99.7 + STAGING_MARGIN_M);
    expect(access.staging!.distance).toBeLessThanOrEqual(100 + STAGING_MARGIN_M + 2);
  });

  it('prefers an upwind gate to a nearer crosswind one, and a crosswind one to nothing', () => {
    const near = { ...gates.find((g) => g.id === 'E')!, id: 'E-near', position: at(90, 120) };
    const access = siteAccess({ gates: [...gates, near] }, centre, zones, known(0));
    expect(access.recommended?.gate.id).toBe('N');
    const noUpwind = siteAccess({ gates: gates.filter((g) => !['N', 'NE', 'NW'].includes(g.id)).concat(near) }, centre, zones, known(0));
    expect(noUpwind.recommended).toMatchObject({ gate: { id: 'E-near' }, side: 'crosswind' });
  });

  it('counts exactly 45° off downwind as downwind, and 46° not', () => {
    expect(windSide(225, 0)).toBe('downwind');
    expect(windSide(135, 0)).toBe('downwind');
    expect(windSide(226, 0)).toBe('crosswind');
    const edge = siteAccess({ gates: [{ ...gates[0]!, position: at(224, 300) }] }, centre, [], known(0));
    expect(edge.gates[0]).toMatchObject({ side: 'downwind', excluded: 'downwind' });
    const past = siteAccess({ gates: [{ ...gates[0]!, position: at(226, 300) }] }, centre, [], known(0));
    expect(past.recommended?.side).toBe('crosswind');
  });

  it.each(COMPASS)('calm (0.2 m/s) with the vane at %s (%i°): no side is downwind, so the nearest gate outside the zones, even where the vane points', (_name, fromDeg) => {
    // a gate 130 m out, right where the vane says the air goes: in a calm that says nothing
    const near = { ...gates[0]!, id: 'near', position: at(fromDeg + 180, 130) };
    const calm = siteAccess({ gates: [...gates, near], roads: plan.roads }, centre, zones, assessWind(stationDetail(0.2, fromDeg)));
    expect(calm).toMatchObject({ wind: 'calm', recommended: { gate: { id: 'near' }, side: 'calm' }, staging: undefined });
    expect(calm.gates.every((g) => g.side === 'calm' && g.excluded === undefined)).toBe(true);
    expect(zones.some((z) => inZone(z, calm.approach!.point))).toBe(false);
    expect(calm.route).toBeDefined();
  });

  it('calm: the nearest gate outside the zones, the vane ignored; unknown: none', () => {
    const near = { ...gates[0]!, id: 'near', position: at(200, 130) };
    const calm = siteAccess({ gates: [...gates, near], roads: plan.roads }, centre, zones, { state: 'calm' });
    expect(calm.recommended?.gate.id).toBe('near');
    expect(calm.approach!.distance).toBeCloseTo(150 * Math.cos(Math.PI / 16), 0);
    const unknown = siteAccess(plan, centre, zones, { state: 'unknown' });
    expect(unknown.gates).toHaveLength(8);
    expect(unknown).toMatchObject({ recommended: undefined, approach: undefined, route: undefined, staging: undefined });
  });
});
