import type { IncidentDetails, Site } from '../../model/index.ts';
import type { HazardContext } from './hazard-model.ts';

/** The wind points of the site's weather stations (the first station with both points wins). */
export function windPoints(site: Site): { speed: string; direction: string } | undefined {
  for (const station of site.assets.filter((a) => a.kind === 'weather-station')) {
    const speed = site.points.find((p) => p.asset === station.id && p.name === 'wind_speed');
    const direction = site.points.find((p) => p.asset === station.id && p.name === 'wind_direction');
    if (speed && direction) return { speed: speed.id, direction: direction.id };
  }
  return undefined;
}

/**
 * The wind now, from the latest good readings of the weather station (meteorological convention:
 * the direction it blows FROM, degrees clockwise from north); undefined when either is missing or
 * not good — an incident then says nothing about the wind rather than something wrong.
 */
export function windNow(
  context: Pick<HazardContext, 'site' | 'latest'>,
  /** the site's wind points, when the caller found them once already (a model asking on every instant) */
  points = windPoints(context.site),
): IncidentDetails['wind'] {
  if (!points) return undefined;
  const speed = context.latest(points.speed);
  const direction = context.latest(points.direction);
  if (speed?.quality !== 'good' || direction?.quality !== 'good') return undefined;
  if (typeof speed.value !== 'number' || typeof direction.value !== 'number') return undefined;
  // the reading as it came when it is already a bearing: normalising 274.3 would print 274.29999999999995
  const fromDeg = direction.value >= 0 && direction.value < 360 ? direction.value : ((direction.value % 360) + 360) % 360;
  return { speedMs: speed.value, fromDeg };
}

/** The wind came up, dropped out, or turned by more than `limitDeg` since an incident was last issued. */
export function windShifted(heldDeg: number | undefined, nowDeg: number | undefined, limitDeg: number): boolean {
  if (heldDeg === undefined || nowDeg === undefined) return heldDeg !== nowDeg;
  const turn = Math.abs(nowDeg - heldDeg) % 360;
  return Math.min(turn, 360 - turn) > limitDeg;
}

/**
 * A flame's wind moved enough to redraw its zones: it came up or dropped out, turned by more than
 * `limitDeg`, or its speed (which sets the flame's tilt and length) changed by more than `limitMs`.
 */
export function flameWindMoved(held: IncidentDetails['wind'], now: IncidentDetails['wind'], limitDeg: number, limitMs: number): boolean {
  if (held === undefined || now === undefined) return held !== now;
  return windShifted(held.fromDeg, now.fromDeg, limitDeg) || Math.abs(now.speedMs - held.speedMs) > limitMs;
}
