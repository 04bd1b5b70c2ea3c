import { describe, expect, it } from 'vitest';
import type { GeoFeature } from './api.ts';
import { planBearing, planDistance } from './incident-geo.ts';
import { STAGING_MARGIN_M, stagingPoint } from './staging.ts';
import { inZone } from './zones.ts';

const polygon = (points: [number, number][]): GeoFeature => ({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[...points, points[0]!]] }, properties: {} });
const circle = (x: number, y: number, radiusM: number): GeoFeature => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [x, y] }, properties: { radiusM } });
const centre = { x: 0, y: 0 };

describe('the staging point when no gate may be used', () => {
  it('stands on the upwind bearing, the margin beyond where that line leaves the zones', () => {
    const s = stagingPoint(centre, [circle(0, 0, 100)], 90);
    expect(s.bearing).toBe(90);
    expect(planBearing(centre, s.point)).toBeCloseTo(90, 9);
    expect(planDistance(centre, s.point)).toBeCloseTo(s.distance, 9);
    expect(s.distance).toBeGreaterThanOrEqual(100 + STAGING_MARGIN_M);
    expect(s.distance).toBeLessThanOrEqual(100 + STAGING_MARGIN_M + 2);
    expect(s.beyond).toBe(0);
  });

  it('goes beyond the zone reaching farthest upwind, not the largest one downwind, and past a gap between zones', () => {
    // a cloud stretched 400 m downwind (the wind from the north: it lies south) but only 20 m upwind,
    // and a separate cordon ring from 60 m to 80 m north
    const cloud = polygon([
      [-30, 20],
      [30, 20],
      [30, -400],
      [-30, -400],
    ]);
    const cordonNorth = polygon([
      [-50, 60],
      [50, 60],
      [50, 80],
      [-50, 80],
    ]);
    const s = stagingPoint(centre, [cloud, cordonNorth], 0);
    expect(s.beyond).toBe(1);
    expect(s.point.x).toBeCloseTo(0, 9);
    expect(s.point.y).toBeGreaterThanOrEqual(80 + STAGING_MARGIN_M);
    expect(s.point.y).toBeLessThanOrEqual(80 + STAGING_MARGIN_M + 2);
    expect([cloud, cordonNorth].some((z) => inZone(z, s.point))).toBe(false);
  });

  it('is the margin from the incident when there are no zones, and takes any bearing as a compass one', () => {
    expect(stagingPoint(centre, [], -90)).toMatchObject({ distance: STAGING_MARGIN_M, bearing: 270, beyond: undefined });
  });
});
