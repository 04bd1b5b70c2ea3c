import type { Gate, GeoFeature, Road } from './api.ts';
import { planBearing, planDistance, type XY } from './incident-geo.ts';
import { roadRoute, type RoadRoute } from './road-route.ts';
import { stagingPoint, type Staging } from './staging.ts';
import { isDownwind, offDownwind, windSide, type WindSide } from './wind-side.ts';
import { inZone } from './zones.ts';

export { inZone } from './zones.ts';
export { windSide, type WindSide } from './wind-side.ts';

export interface GateAccess {
  gate: Gate;
  /** metres from the incident, and the compass bearing from the incident to the gate */
  distance: number;
  bearing: number;
  side: WindSide;
  /** the zones it lies in, by index in the zone list */
  zones: number[];
  /** why it may not be used: it lies in a zone, or within ±45° of downwind; undefined when it may */
  excluded: 'zone' | 'downwind' | undefined;
}

export interface RoadApproach {
  road: Road;
  /** the nearest point of road outside every zone (and, with a known wind, not downwind) */
  point: XY;
  distance: number;
  /** bearing from the incident to the point */
  bearing: number;
}

/** The wind as the access rule reads it: a direction only when it is known (station-wind.ts decides). */
export type AccessWind = { state: 'known'; fromDeg: number } | { state: 'calm' } | { state: 'unknown' };

export interface SiteAccess {
  wind: AccessWind['state'];
  /** every gate, nearest first */
  gates: GateAccess[];
  /**
   * known wind: the gate outside every zone and not downwind, upwind before crosswind, nearest first
   * (to the metre; then the one farther from downwind);
   * calm: the nearest gate outside every zone; unknown wind: none
   */
  recommended: GateAccess | undefined;
  /** the road point to drive to; none when the wind is unknown, the site has no roads or none is allowed */
  approach: RoadApproach | undefined;
  /** the drive from the recommended gate to the approach point, outside the zones; undefined when there is none */
  route: RoadRoute | undefined;
  /** known wind and no gate may be used: where to gather instead, upwind beyond the largest zone */
  staging: Staging | undefined;
}

/** roads are walked in steps of this length to find their nearest point outside the zones, m */
const ROAD_STEP = 2;
const SIDE_RANK: Record<WindSide, number> = { upwind: 0, crosswind: 1, calm: 1, unknown: 1, downwind: 2 };

/** The gates against the incident, the one to come in by, and the road approach to the incident. */
export function siteAccess(plan: { roads?: Road[]; gates?: Gate[] }, centre: XY, zones: readonly GeoFeature[], wind: AccessWind): SiteAccess {
  const from = wind.state === 'known' ? wind.fromDeg : undefined;
  const inAnyZone = (p: XY) => zones.some((z) => inZone(z, p));
  const downwind = (p: XY) => from !== undefined && isDownwind(planBearing(centre, p), from);
  const gates = (plan.gates ?? [])
    .map((gate): GateAccess => {
      const bearing = planBearing(centre, gate.position);
      const inside = zones.flatMap((z, i) => (inZone(z, gate.position) ? [i] : []));
      const side = wind.state === 'calm' ? 'calm' : windSide(bearing, from);
      const excluded = inside.length > 0 ? 'zone' : side === 'downwind' ? 'downwind' : undefined;
      return { gate, distance: planDistance(centre, gate.position), bearing, side, zones: inside, excluded };
    })
    .sort((a, b) => a.distance - b.distance);
  /** between gates as near as each other to the metre, the one farther from downwind */
  const moreUpwind = (a: GateAccess, b: GateAccess) => (from === undefined ? 0 : offDownwind(b.bearing, from) - offDownwind(a.bearing, from));
  const none = { wind: wind.state, gates, recommended: undefined, approach: undefined, route: undefined, staging: undefined };
  if (wind.state === 'unknown') return none;

  const recommended = gates
    .filter((g) => g.excluded === undefined)
    .sort((a, b) => SIDE_RANK[a.side] - SIDE_RANK[b.side] || Math.round(a.distance) - Math.round(b.distance) || moreUpwind(a, b))[0];
  const roads = plan.roads ?? [];
  const approach = roadApproach(roads, centre, (p) => inAnyZone(p) || downwind(p));
  const route = recommended && approach ? roadRoute(roads, recommended.gate.position, approach.point, inAnyZone) : undefined;
  const staging = from !== undefined && !recommended ? stagingPoint(centre, zones, from) : undefined;
  return { ...none, recommended, approach, route, staging };
}

/** The point of road nearest the incident that is not `blocked`: where the engines stop and set up. */
export function roadApproach(roads: readonly Road[], centre: XY, blocked: (p: XY) => boolean): RoadApproach | undefined {
  let best: RoadApproach | undefined;
  for (const road of roads) {
    for (let i = 1; i < road.points.length; i++) {
      const a = road.points[i - 1]!;
      const b = road.points[i]!;
      const steps = Math.max(1, Math.ceil(planDistance(a, b) / ROAD_STEP));
      for (let s = 0; s <= steps; s++) {
        const point = { x: a.x + ((b.x - a.x) * s) / steps, y: a.y + ((b.y - a.y) * s) / steps };
        const distance = planDistance(centre, point);
        if ((best === undefined || distance < best.distance) && !blocked(point)) {
          best = { road, point, distance, bearing: planBearing(centre, point) };
        }
      }
    }
  }
  return best;
}
