import { describe, expect, it } from 'vitest';
import type { Gate, GeoFeature, Road } from './api.ts';
import { inZone, siteAccess, windSide } from './site-access.ts';

const from = (fromDeg: number) => ({ state: 'known' as const, fromDeg });
const UNKNOWN = { state: 'unknown' as const };
const CALM = { state: 'calm' as const };

const gate = (id: string, x: number, y: number): Gate => ({ id, name: { zh: id, en: id }, position: { x, y }, role: 'main' });
const circle = (x: number, y: number, radiusM: number): GeoFeature => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [x, y] }, properties: { radiusM } });
const square = (x: number, y: number, side: number): GeoFeature => ({
  type: 'Feature',
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [x, y],
        [x + side, y],
        [x + side, y + side],
        [x, y + side],
        [x, y],
      ],
    ],
  },
  properties: {},
});
const road = (id: string, points: [number, number][]): Road => ({ id, name: { zh: id, en: id }, kind: 'fire-lane', width: 6, points: points.map(([x, y]) => ({ x, y })) });

// an incident at (100, 100); gates north (100, 300), east (300, 100), south (100, 0) and west (0, 100)
const centre = { x: 100, y: 100 };
const gates = [gate('N', 100, 300), gate('E', 300, 100), gate('S', 100, 0), gate('W', 0, 100)];

describe('site access for a rescue team', () => {
  it("tells upwind, crosswind and downwind from the wind's direction of origin", () => {
    expect(windSide(0, 0)).toBe('upwind');
    expect(windSide(350, 20)).toBe('upwind');
    expect(windSide(90, 0)).toBe('crosswind');
    expect(windSide(180, 0)).toBe('downwind');
    expect(windSide(200, 350)).toBe('downwind');
    expect(windSide(90, undefined)).toBe('unknown');
  });

  it('counts a point inside a circle zone and a polygon zone, and not outside them', () => {
    expect(inZone(circle(100, 100, 50), { x: 140, y: 100 })).toBe(true);
    expect(inZone(circle(100, 100, 50), { x: 160, y: 100 })).toBe(false);
    expect(inZone(square(0, 0, 10), { x: 5, y: 5 })).toBe(true);
    expect(inZone({ ...circle(0, 0, 0), properties: {} }, { x: 0, y: 0 })).toBe(false);
  });

  it('recommends the nearest gate outside every zone, upwind before nearer ones downwind', () => {
    // wind from the north: the north gate is upwind though farther than the south one
    const access = siteAccess({ gates }, centre, [circle(100, 100, 60)], from(0));
    expect(access.gates.map((g) => g.gate.id)).toEqual(['S', 'W', 'N', 'E']);
    expect(access.recommended?.gate.id).toBe('N');
    expect(access.gates.find((g) => g.gate.id === 'S')?.side).toBe('downwind');
    // an outer zone reaching the north gate: the nearest crosswind gate outside, the west one
    const wider = siteAccess({ gates }, centre, [circle(100, 100, 60), square(0, 250, 200)], from(0));
    expect(wider.gates.find((g) => g.gate.id === 'N')?.zones).toEqual([1]);
    expect(wider.recommended?.gate.id).toBe('W');
  });

  it('takes the nearest gate outside the zones in a calm, and none when the wind is unknown', () => {
    expect(siteAccess({ gates }, centre, [circle(100, 100, 101)], CALM).recommended?.gate.id).toBe('N');
    const unknown = siteAccess({ gates }, centre, [circle(100, 100, 101)], UNKNOWN);
    expect(unknown.recommended).toBeUndefined();
    expect(unknown.gates.map((g) => [g.gate.id, g.side, g.excluded])).toEqual([
      ['S', 'unknown', 'zone'],
      ['W', 'unknown', 'zone'],
      ['N', 'unknown', undefined],
      ['E', 'unknown', undefined],
    ]);
  });

  it('recommends no gate when every gate is inside a zone, and has none when the site records none', () => {
    const all = siteAccess({ gates }, centre, [circle(100, 100, 250)], from(0));
    expect(all.recommended).toBeUndefined();
    expect(all.gates.every((g) => g.zones.length === 1)).toBe(true);
    expect(siteAccess({}, centre, [], CALM)).toEqual({ wind: 'calm', gates: [], recommended: undefined, approach: undefined, route: undefined, staging: undefined });
  });

  it('finds the nearest point of road outside the zones', () => {
    const roads = [
      road('R1', [
        [0, 150],
        [200, 150],
      ]),
      road('R2', [
        [250, 0],
        [250, 200],
      ]),
    ];
    // no zone: straight north of the incident on R1
    expect(siteAccess({ roads }, centre, [], from(0)).approach).toMatchObject({ road: { id: 'R1' }, point: { x: 100, y: 150 }, distance: 50, bearing: 0 });
    // a 70 m zone: R1 leaves it about 49 m either side of x = 100, nearer than R2
    const around = siteAccess({ roads }, centre, [circle(100, 100, 70)], from(0)).approach;
    expect(around?.road.id).toBe('R1');
    expect(around!.distance).toBeGreaterThan(70);
    expect(around!.distance).toBeLessThan(73);
    // a zone over all of R1: R2, 150 m east
    const covered = siteAccess({ roads }, centre, [square(-10, 140, 220)], from(0)).approach;
    expect(covered).toMatchObject({ road: { id: 'R2' }, point: { x: 250, y: 100 }, distance: 150, bearing: 90 });
    expect(siteAccess({ roads }, centre, [circle(100, 100, 1000)], from(0)).approach).toBeUndefined();
  });

  it('routes from the recommended gate along the roads to the approach point, and not from a gate in a zone', () => {
    // R1 runs 150 m north of the incident from x 0 to 200, R3 comes down to it from a gate at (200, 400)
    const roads = [
      road('R1', [
        [0, 150],
        [200, 150],
      ]),
      road('R3', [
        [200, 400],
        [200, 150],
      ]),
    ];
    const access = siteAccess({ roads, gates: [gate('N', 200, 400)] }, centre, [circle(100, 100, 20)], from(0));
    expect(access.approach).toMatchObject({ road: { id: 'R1' }, point: { x: 100, y: 150 } });
    expect(access.route?.roads.map((r) => r.id)).toEqual(['R3', 'R1']);
    expect(access.route?.length).toBeCloseTo(250 + 100, 6);
    expect(siteAccess({ roads, gates: [gate('N', 200, 400)] }, centre, [circle(200, 400, 5)], from(0)).route).toBeUndefined();
  });
});
