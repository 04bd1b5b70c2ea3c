import { describe, expect, it } from 'vitest';
import type { Road } from './api.ts';
import type { XY } from './incident-geo.ts';
import { roadRoute } from './road-route.ts';

const road = (id: string, points: [number, number][]): Road => ({ id, name: { zh: id, en: id }, kind: 'road', width: 6, points: points.map(([x, y]) => ({ x, y })) });
const nowhere = () => false;
const ids = (roads: Road[] | undefined) => roads?.map((r) => r.id);

// a ring 0..100 × 100..200, an access road from a gate at (50, 0) up to the ring's south side,
// and a spur from the ring's east side out to (150, 150)
const ring = road('ring', [
  [0, 100],
  [100, 100],
  [100, 200],
  [0, 200],
  [0, 100],
]);
const access = road('access', [
  [50, 0],
  [50, 100],
]);
const spur = road('spur', [
  [100, 150],
  [150, 150],
]);
const roads = [ring, access, spur];

describe('the drive along the roads', () => {
  it('drives from the gate up the access road and round the ring the short way, joining at a T-junction', () => {
    const route = roadRoute(roads, { x: 50, y: 0 }, { x: 100, y: 180 }, nowhere);
    expect(ids(route?.roads)).toEqual(['access', 'ring']);
    // 100 up, 50 east, 80 north
    expect(route?.length).toBeCloseTo(230, 6);
  });

  it('counts the step from a gate off the road onto it, and takes a spur', () => {
    const route = roadRoute(roads, { x: 50, y: -10 }, { x: 150, y: 150 }, nowhere);
    expect(ids(route?.roads)).toEqual(['access', 'ring', 'spur']);
    expect(route?.length).toBeCloseTo(10 + 100 + 50 + 50 + 50, 6);
  });

  it('goes round a zone the long way, and finds no way when the zone closes the only road', () => {
    const eastSideBlocked = (p: XY) => p.x > 95 && p.y > 100 && p.y < 140;
    const round = roadRoute(roads, { x: 50, y: 0 }, { x: 100, y: 180 }, eastSideBlocked);
    expect(ids(round?.roads)).toEqual(['access', 'ring']);
    // 100 up, 50 west, 100 north, 100 east, 20 south
    expect(round?.length).toBeCloseTo(370, 6);
    const accessBlocked = (p: XY) => p.x === 50 && p.y > 40 && p.y < 60;
    expect(roadRoute(roads, { x: 50, y: 0 }, { x: 100, y: 180 }, accessBlocked)).toBeUndefined();
  });

  it('finds no way between roads that do not meet, nor on a site without roads', () => {
    const apart = [
      road('a', [
        [0, 0],
        [10, 0],
      ]),
      road('b', [
        [0, 20],
        [10, 20],
      ]),
    ];
    expect(roadRoute(apart, { x: 0, y: 0 }, { x: 10, y: 20 }, nowhere)).toBeUndefined();
    expect(roadRoute([], { x: 0, y: 0 }, { x: 10, y: 20 }, nowhere)).toBeUndefined();
  });
});
