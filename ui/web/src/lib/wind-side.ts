/** Where a place lies against the wind, seen from the incident. */
export type WindSide = 'upwind' | 'crosswind' | 'downwind' | 'calm' | 'unknown';

/**
 * No gate and no road approach within this angle either side of downwind (the direction the wind
 * blows to, windFromDeg + 180), degrees: issue 16 ("never within ±45° of downwind of the source").
 * A place exactly 45° off downwind is excluded too. The downwind side is this sector.
 */
export const DOWNWIND_HALF_ANGLE_DEG = 45;

/**
 * Within this angle either side of the direction the wind comes from, a place is upwind, degrees:
 * the quarter facing the wind, mirroring the downwind sector; the two quarters between are crosswind.
 */
export const UPWIND_HALF_ANGLE_DEG = 45;

/** The angle between two bearings, 0..180 degrees. */
export function angleBetween(a: number, b: number): number {
  return Math.abs(((((a - b) % 360) + 540) % 360) - 180);
}

/** How far a bearing from the incident lies off downwind, 0 (straight downwind) .. 180 (straight upwind). */
export function offDownwind(bearingFromIncident: number, windFromDeg: number): number {
  return angleBetween(bearingFromIncident, windFromDeg + 180);
}

/** Within ±DOWNWIND_HALF_ANGLE_DEG of downwind: never a way in. */
export function isDownwind(bearingFromIncident: number, windFromDeg: number): boolean {
  return offDownwind(bearingFromIncident, windFromDeg) <= DOWNWIND_HALF_ANGLE_DEG;
}

/** The side of a bearing from the incident; 'unknown' without a direction. */
export function windSide(bearingFromIncident: number, windFromDeg: number | undefined): WindSide {
  if (windFromDeg === undefined) return 'unknown';
  if (isDownwind(bearingFromIncident, windFromDeg)) return 'downwind';
  return angleBetween(bearingFromIncident, windFromDeg) <= UPWIND_HALF_ANGLE_DEG ? 'upwind' : 'crosswind';
}
