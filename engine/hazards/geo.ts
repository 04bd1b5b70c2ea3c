import type { GeoFeature } from '../../model/index.ts';

/** x east, y north, metres on the site plan */
export interface PlanPoint {
  x: number;
  y: number;
}

/** mean Earth radius, m (IUGG) */
const EARTH_RADIUS_M = 6_371_008.8;
const DEG = 180 / Math.PI;

/**
 * Plan metres to WGS84 [lon, lat] by a local equirectangular projection about the site's origin
 * (`site.location` is plan (0, 0)). Over a depot's few kilometres the error is well under a metre.
 */
export function planToWgs84(origin: { lat: number; lon: number }, p: PlanPoint): [number, number] {
  const lat = origin.lat + (p.y / EARTH_RADIUS_M) * DEG;
  const lon = origin.lon + (p.x / (EARTH_RADIUS_M * Math.cos(origin.lat / DEG))) * DEG;
  return [lon, lat];
}

/** A closed ring of `segments` points approximating a circle. */
export function circleRing(centre: PlanPoint, radiusM: number, segments = 48): PlanPoint[] {
  const ring: PlanPoint[] = [];
  for (let i = 0; i < segments; i++) {
    const a = (2 * Math.PI * i) / segments;
    ring.push({ x: centre.x + radiusM * Math.cos(a), y: centre.y + radiusM * Math.sin(a) });
  }
  return ring;
}

/** One polygon feature in plan metres and the same in WGS84. */
export function polygonFeatures(origin: { lat: number; lon: number }, ring: PlanPoint[], properties: Record<string, unknown>): { plan: GeoFeature; wgs84: GeoFeature } {
  const closed = [...ring, ring[0]!];
  return {
    plan: { type: 'Feature', geometry: { type: 'Polygon', coordinates: [closed.map((p): [number, number] => [p.x, p.y])] }, properties },
    wgs84: { type: 'Feature', geometry: { type: 'Polygon', coordinates: [closed.map((p) => planToWgs84(origin, p))] }, properties },
  };
}

export const distance = (a: PlanPoint, b: PlanPoint) => Math.hypot(a.x - b.x, a.y - b.y);
