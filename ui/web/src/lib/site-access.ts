import type { Gate, GeoFeature, Road } from './api.ts';
import { contains, planBearing, planDistance, type XY } from './incident-geo.ts';
import { roadRoute, type RoadRoute } from './road-route.ts';

/** Where a place lies against the wind, seen from the incident. */
export type WindSide = 'upwind' | 'crosswind' | 'downwind' | 'unknown';

export interface GateAccess {
  gate: Gate;
  /** metres from the incident, and the compass bearing from the incident to the gate */
  distance: number;
  bearing: number;
  side: WindSide;
  /** the zones it lies in, by index in the zone list */
  zones: number[];
}

export interface RoadApproach {
  road: Road;
  /** the nearest point of road outside every zone */
  point: XY;
  distance: number;
  /** bearing from the incident to the point */
  bearing: number;
}

export interface SiteAccess {
  gates: GateAccess[];
  /** the nearest gate outside every zone, upwind before crosswind before downwind; undefined when none is outside */
  recommended: GateAccess | undefined;
  /** undefined when the site has no roads or all of them lie in the zones */
  approach: RoadApproach | undefined;
  /** the drive from the recommended gate to the approach point, outside the zones; undefined when there is none */
  route: RoadRoute | undefined;
}

/** within this angle of the direction the wind comes from, a place is upwind; within it of the opposite, downwind */
const SIDE_HALF_ANGLE = 60;
/** roads are walked in steps of this length to find their nearest point outside the zones, m */
const ROAD_STEP = 2;

/** A zone contains a point: inside its polygon, or within radiusM of a point zone. */
export function inZone(zone: GeoFeature, p: XY): boolean {
  if (zone.geometry.type === 'Polygon') return contains(zone, p);
  const radius = zone.properties['radiusM'];
  const [x, y] = zone.geometry.coordinates;
  return typeof radius === 'number' && planDistance({ x, y }, p) <= radius;
}

export function windSide(bearingFromIncident: number, windFromDeg: number | undefined): WindSide {
  if (windFromDeg === undefined) return 'unknown';
  const off = Math.abs(((bearingFromIncident - windFromDeg + 540) % 360) - 180);
  return off <= SIDE_HALF_ANGLE ? 'upwind' : off >= 180 - SIDE_HALF_ANGLE ? 'downwind' : 'crosswind';
}

const SIDE_RANK: Record<WindSide, number> = { upwind: 0, unknown: 1, crosswind: 1, downwind: 2 };

/** The gates against the incident, the one to come in by, and the road approach to the incident. */
export function siteAccess(
  plan: { roads?: Road[]; gates?: Gate[] },
  centre: XY,
  zones: readonly GeoFeature[],
  windFromDeg: number | undefined,
): SiteAccess {
  const zonesOf = (p: XY) => zones.flatMap((z, i) => (inZone(z, p) ? [i] : []));
  const gates = (plan.gates ?? [])
    .map((gate): GateAccess => {
      const bearing = planBearing(centre, gate.position);
      return { gate, distance: planDistance(centre, gate.position), bearing, side: windSide(bearing, windFromDeg), zones: zonesOf(gate.position) };
    })
    .sort((a, b) => a.distance - b.distance);
  const recommended = gates
    .filter((g) => g.zones.length === 0)
    .sort((a, b) => SIDE_RANK[a.side] - SIDE_RANK[b.side] || a.distance - b.distance)[0];
  const inAnyZone = (p: XY) => zones.some((z) => inZone(z, p));
  const approach = roadApproach(plan.roads ?? [], centre, inAnyZone);
  const route = recommended && approach ? roadRoute(plan.roads ?? [], recommended.gate.position, approach.point, inAnyZone) : undefined;
  return { gates, recommended, approach, route };
}

/** The point of road nearest the incident that lies outside every zone: where the engines stop and set up. */
export function roadApproach(roads: readonly Road[], centre: XY, inAnyZone: (p: XY) => boolean): RoadApproach | undefined {
  let best: RoadApproach | undefined;
  for (const road of roads) {
    for (let i = 1; i < road.points.length; i++) {
      const a = road.points[i - 1]!;
      const b = road.points[i]!;
      const steps = Math.max(1, Math.ceil(planDistance(a, b) / ROAD_STEP));
      for (let s = 0; s <= steps; s++) {
        const point = { x: a.x + ((b.x - a.x) * s) / steps, y: a.y + ((b.y - a.y) * s) / steps };
        const distance = planDistance(centre, point);
        if ((best === undefined || distance < best.distance) && !inAnyZone(point)) {
          best = { road, point, distance, bearing: planBearing(centre, point) };
        }
      }
    }
  }
  return best;
}
