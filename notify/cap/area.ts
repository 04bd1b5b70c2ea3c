/**
 * Hazard zones (GeoJSON, WGS84 lon/lat) as CAP areas: a Polygon becomes `polygon` ("lat,lon"
 * pairs, ring closed, at least four pairs), a Point with `radiusM` a `circle` ("lat,lon km").
 */
import type { Bilingual, GeoFeature } from '../../model/index.ts';

export interface CapArea {
  desc: Bilingual;
  polygons: string[];
  circles: string[];
}

export interface SitePlace {
  name: Bilingual;
  location: { lat: number; lon: number };
  /** plan extent in metres: the site's own circle covers it */
  plan?: { width: number; height: number };
}

const METRES_PER_DEGREE = 111_320;
const coord = (n: number): string => String(Math.round(n * 1e6) / 1e6);
const pair = ([lon, lat]: [number, number]): string => `${coord(lat)},${coord(lon)}`;

export function polygonText(ring: [number, number][]): string | undefined {
  if (ring.length < 3) return undefined;
  const closed = ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1] ? ring : [...ring, ring[0]!];
  return closed.length >= 4 ? closed.map(pair).join(' ') : undefined;
}

export function circleText(center: [number, number], radiusM: number): string {
  return `${pair(center)} ${Math.round(radiusM) / 1000}`;
}

function zoneName(feature: GeoFeature, index: number): Bilingual {
  const name = feature.properties['name'];
  if (name && typeof name === 'object' && typeof (name as Bilingual).zh === 'string' && typeof (name as Bilingual).en === 'string') return name as Bilingual;
  const kind = typeof feature.properties['kind'] === 'string' ? feature.properties['kind'] : `zone ${index + 1}`;
  return { zh: String(kind), en: String(kind) };
}

export function zonesToAreas(features: readonly GeoFeature[]): CapArea[] {
  const areas: CapArea[] = [];
  features.forEach((feature, i) => {
    const desc = zoneName(feature, i);
    if (feature.geometry.type === 'Polygon') {
      const polygons = feature.geometry.coordinates
        .slice(0, 1)
        .map(polygonText)
        .filter((p): p is string => p !== undefined);
      if (polygons.length > 0) areas.push({ desc, polygons, circles: [] });
    } else {
      const radius = Number(feature.properties['radiusM'] ?? 0);
      areas.push({ desc, polygons: [], circles: [circleText(feature.geometry.coordinates, Number.isFinite(radius) && radius > 0 ? radius : 0)] });
    }
  });
  return areas;
}

/** the site itself, when an alarm carries no zones */
export function siteArea(site: SitePlace): CapArea {
  // the location is the plan's south-west origin: the circle is centred on the plan's middle
  const { width, height } = site.plan ?? { width: 0, height: 0 };
  const lat = site.location.lat + height / 2 / METRES_PER_DEGREE;
  const lon = site.location.lon + width / 2 / (METRES_PER_DEGREE * Math.cos((site.location.lat * Math.PI) / 180));
  const radius = site.plan ? Math.hypot(width, height) / 2 : 500;
  return { desc: site.name, polygons: [], circles: [circleText([lon, lat], radius)] };
}
