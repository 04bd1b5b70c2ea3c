import type { GeoFeature } from './api.ts';
import { planDistance, vertices, type XY } from './incident-geo.ts';
import { inZone } from './zones.ts';

/**
 * How far beyond the edge of the outermost zone to stage, m: room to park and turn the appliances
 * clear of the zone's edge (a fire engine is about 10 m long). ketwin's own figure — UNCONFIRMED.
 */
export const STAGING_MARGIN_M = 30;
/** the upwind line is walked in steps of this length to find where it leaves the zones, m */
const STEP_M = 2;

/** Where to gather when no gate may be used: upwind of the incident, just outside its largest zone. */
export interface Staging {
  point: XY;
  /** metres from the incident, and the compass bearing from it (the direction the wind comes from) */
  distance: number;
  bearing: number;
  /** the zone whose edge it stands beyond (the one reaching farthest upwind), by index; undefined without zones */
  beyond: number | undefined;
}

const along = (centre: XY, bearing: number, d: number): XY => ({
  x: centre.x + d * Math.sin((bearing * Math.PI) / 180),
  y: centre.y + d * Math.cos((bearing * Math.PI) / 180),
});

/** the farthest any part of a zone lies from the centre: how far the walk need go */
function reach(zone: GeoFeature, centre: XY): number {
  const radius = typeof zone.properties['radiusM'] === 'number' ? zone.properties['radiusM'] : 0;
  return Math.max(0, ...vertices(zone).map((v) => planDistance(centre, v) + (zone.geometry.type === 'Point' ? radius : 0)));
}

/**
 * The staging point on the upwind line from the incident (the bearing the wind comes from), at least
 * STAGING_MARGIN_M past the last point of that line inside any zone (a gap between zones does not stop it).
 */
export function stagingPoint(centre: XY, zones: readonly GeoFeature[], windFromDeg: number): Staging {
  const bearing = ((windFromDeg % 360) + 360) % 360;
  let extent = 0;
  let beyond: number | undefined;
  zones.forEach((zone, i) => {
    const far = reach(zone, centre);
    for (let d = 0; d <= far + STEP_M; d += STEP_M) {
      if (d > extent && inZone(zone, along(centre, bearing, d))) {
        extent = d;
        beyond = i;
      }
    }
  });
  // the edge lies within one step past the last point found inside: the margin counts from the far end of that step
  const distance = (beyond === undefined ? 0 : extent + STEP_M) + STAGING_MARGIN_M;
  return { point: along(centre, bearing, distance), distance, bearing, beyond };
}
