import type { GeoFeature } from './api.ts';
import { contains, planDistance, type XY } from './incident-geo.ts';

/** A zone contains a point: inside its polygon, or within radiusM of a point zone. */
export function inZone(zone: GeoFeature, p: XY): boolean {
  if (zone.geometry.type === 'Polygon') return contains(zone, p);
  const radius = zone.properties['radiusM'];
  const [x, y] = zone.geometry.coordinates;
  return typeof radius === 'number' && planDistance({ x, y }, p) <= radius;
}
