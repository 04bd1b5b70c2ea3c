import type { GeoFeature } from './api.ts';
import type { Lang } from './i18n.ts';

/** x east, y north: plan metres; or lon, lat: WGS84 degrees (GeoJSON order) */
export interface XY {
  x: number;
  y: number;
}

/** the vertices of a feature (a polygon's outer ring without its closing vertex, or the point) */
export function vertices(feature: GeoFeature): XY[] {
  if (feature.geometry.type === 'Point') {
    const [x, y] = feature.geometry.coordinates;
    return [{ x, y }];
  }
  const ring = feature.geometry.coordinates[0] ?? [];
  const open = ring.length > 1 && ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1] ? ring.slice(0, -1) : ring;
  return open.map(([x, y]) => ({ x, y }));
}

/** the mean of a feature's vertices: a circle's centre, a dike's middle */
export function centreOf(feature: GeoFeature): XY | undefined {
  const v = vertices(feature);
  if (v.length === 0) return undefined;
  return { x: v.reduce((s, p) => s + p.x, 0) / v.length, y: v.reduce((s, p) => s + p.y, 0) / v.length };
}

/**
 * Where the incident is: the centre of its innermost zone (the smallest by radius, or the first),
 * which is the burning tank for a fire and the dike for an overfill.
 */
export function incidentCentre(features: readonly GeoFeature[]): XY | undefined {
  const radius = (f: GeoFeature) => (typeof f.properties['radiusM'] === 'number' ? f.properties['radiusM'] : Infinity);
  const inner = [...features].sort((a, b) => radius(a) - radius(b))[0];
  return inner ? centreOf(inner) : undefined;
}

/** ray casting; a point feature contains nothing */
export function contains(feature: GeoFeature, p: XY): boolean {
  if (feature.geometry.type !== 'Polygon') return false;
  const ring = vertices(feature);
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!;
    const b = ring[j]!;
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** mean Earth radius, m (IUGG), as engine/hazards/geo.ts draws the zones */
const EARTH_RADIUS_M = 6_371_008.8;

/** Plan metres to WGS84 about the site's origin (`site.location` is plan (0, 0)), as the engine projects the zones. */
export function planToLatLon(origin: { lat: number; lon: number }, p: XY): { lat: number; lon: number } {
  const deg = 180 / Math.PI;
  return { lat: origin.lat + (p.y / EARTH_RADIUS_M) * deg, lon: origin.lon + (p.x / (EARTH_RADIUS_M * Math.cos(origin.lat / deg))) * deg };
}

export const planDistance = (a: XY, b: XY): number => Math.hypot(a.x - b.x, a.y - b.y);

/** compass bearing from `a` to `b` on the plan, degrees clockwise from north */
export function planBearing(a: XY, b: XY): number {
  return ((Math.atan2(b.x - a.x, b.y - a.y) * 180) / Math.PI + 360) % 360;
}

const POINTS_EN = ['N', 'NNE', 'NE', 'ENE', 'E', 'ESE', 'SE', 'SSE', 'S', 'SSW', 'SW', 'WSW', 'W', 'WNW', 'NW', 'NNW'];
const POINTS_ZH = ['北', '北东北', '东北', '东东北', '东', '东东南', '东南', '南东南', '南', '南西南', '西南', '西西南', '西', '西西北', '西北', '北西北'];

/** one of the 16 compass points */
export function compassPoint(lang: Lang, degrees: number): string {
  const i = Math.round((((degrees % 360) + 360) % 360) / 22.5) % 16;
  return (lang === 'zh' ? POINTS_ZH : POINTS_EN)[i]!;
}

/** "30.053100° N, 122.031200° E" — WGS84, six decimals (about 0.1 m) */
export function formatLatLon(lat: number, lon: number): string {
  return `${Math.abs(lat).toFixed(6)}° ${lat >= 0 ? 'N' : 'S'}, ${Math.abs(lon).toFixed(6)}° ${lon >= 0 ? 'E' : 'W'}`;
}

/** RFC 5870 geo URI: phones open it in their map app */
export function geoUri(lat: number, lon: number): string {
  return `geo:${lat.toFixed(6)},${lon.toFixed(6)}`;
}

/** a zone's ring as "lat,lon" lines, for pasting into another system */
export function zoneText(feature: GeoFeature): string {
  return vertices(feature)
    .map((p) => `${p.y.toFixed(6)},${p.x.toFixed(6)}`)
    .join('\n');
}

/** "04:59", "1:02:03"; never negative: past the deadline reads "00:00" (countdown.ts says how long overdue) */
export function formatCountdown(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  const body = h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
  return body;
}

/**
 * The part of the plan to show for an incident: its zones and affected assets with `marginM` around,
 * at least `minSpanM` wide and high, kept inside the plan.
 */
export function focusBox(
  points: readonly XY[],
  plan: { width: number; height: number },
  marginM = 60,
  minSpanM = 200,
): { minX: number; minY: number; maxX: number; maxY: number } | undefined {
  if (points.length === 0) return undefined;
  const span = (lo: number, hi: number, size: number) => {
    const grow = Math.max(0, minSpanM - (hi - lo + 2 * marginM)) / 2;
    let a = lo - marginM - grow;
    let b = hi + marginM + grow;
    if (b - a >= size) return [0, size] as const;
    if (a < 0) [a, b] = [0, b - a];
    if (b > size) [a, b] = [a - (b - size), size];
    return [a, b] as const;
  };
  const [minX, maxX] = span(Math.min(...points.map((p) => p.x)), Math.max(...points.map((p) => p.x)), plan.width);
  const [minY, maxY] = span(Math.min(...points.map((p) => p.y)), Math.max(...points.map((p) => p.y)), plan.height);
  return { minX, minY, maxX, maxY };
}
