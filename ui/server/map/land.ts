import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';

type Position = number[];

/** [west, south, east, north] in degrees */
export type Box = readonly [number, number, number, number];
/** [lon, lat] */
export type Point = [number, number];
/** polygons, each an outer ring then its holes */
export type Land = Point[][][];

/** What the land shown on the map is, and who made it: the map's credits. */
export const LAND_SOURCE = {
  data: 'Natural Earth',
  edition: '4.1.0',
  scale: '1:10m',
  licence: 'public domain',
  package: 'world-atlas',
} as const;

const require = createRequire(import.meta.url);

/** 1e-4° is about 11 m, finer than the 1:10m line itself */
const round = (v: number) => Math.round(v * 1e4) / 1e4;

/** Sutherland–Hodgman against one edge of the box: keeps the side where `inside` holds. */
function clipEdge(ring: Point[], inside: (p: Point) => boolean, cross: (a: Point, b: Point) => Point): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < ring.length; i++) {
    const a = ring[(i + ring.length - 1) % ring.length]!;
    const b = ring[i]!;
    if (inside(b)) {
      if (!inside(a)) out.push(cross(a, b));
      out.push(b);
    } else if (inside(a)) out.push(cross(a, b));
  }
  return out;
}

const atX =
  (x: number) =>
  (a: Point, b: Point): Point => [x, a[1] + ((b[1] - a[1]) * (x - a[0])) / (b[0] - a[0])];
const atY =
  (y: number) =>
  (a: Point, b: Point): Point => [a[0] + ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]), y];

/** A ring cut to the box (a closed polygon's ring; the closing point may repeat the first). Empty when nothing is inside. */
export function clipRing(ring: readonly Point[], box: Box): Point[] {
  const [w, s, e, n] = box;
  let out = ring.length > 1 && ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1] ? ring.slice(0, -1) : [...ring];
  out = clipEdge(out, (p) => p[0] >= w, atX(w));
  out = clipEdge(out, (p) => p[0] <= e, atX(e));
  out = clipEdge(out, (p) => p[1] >= s, atY(s));
  out = clipEdge(out, (p) => p[1] <= n, atY(n));
  const rounded: Point[] = [];
  for (const [x, y] of out) {
    const p: Point = [round(x), round(y)];
    const last = rounded.at(-1);
    if (!last || last[0] !== p[0] || last[1] !== p[1]) rounded.push(p);
  }
  return rounded.length >= 3 ? rounded : [];
}

function overlaps(ring: readonly Position[], box: Box): boolean {
  let w = Infinity,
    s = Infinity,
    e = -Infinity,
    n = -Infinity;
  for (const [x, y] of ring) {
    if (x! < w) w = x!;
    if (x! > e) e = x!;
    if (y! < s) s = y!;
    if (y! > n) n = y!;
  }
  return w <= box[2] && e >= box[0] && s <= box[3] && n >= box[1];
}

/** The land polygons of a world topology cut to the box. */
export function clipLand(polygons: readonly (readonly (readonly Position[])[])[], box: Box): Land {
  const land: Land = [];
  for (const rings of polygons) {
    if (!rings[0] || !overlaps(rings[0], box)) continue;
    const [outer, ...holes] = rings.map((r) => clipRing(r as Point[], box));
    if (outer!.length) land.push([outer!, ...holes.filter((h) => h.length)]);
  }
  return land;
}

/** The installed world-atlas's version, for the credits. */
export async function landPackageVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(require.resolve('world-atlas/package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Natural Earth's 1:10m land (world-atlas's land-10m.json, installed with the product) cut to the box.
 * The world is parsed for each call and not kept: about 400,000 points the server does not need once cut.
 */
export async function regionLand(box: Box): Promise<Land> {
  type Topology = Parameters<typeof feature>[0];
  const topology = JSON.parse(await readFile(require.resolve('world-atlas/land-10m.json'), 'utf8')) as Topology;
  const land = feature(topology, topology.objects['land']!);
  const polygons: Position[][][] = [];
  for (const f of 'features' in land ? land.features : [land]) {
    const g = f.geometry;
    if (g.type === 'Polygon') polygons.push(g.coordinates);
    else if (g.type === 'MultiPolygon') polygons.push(...g.coordinates);
  }
  return clipLand(polygons, box);
}

/** The box around the given places, widened by a fifth of its size and at least 0.1° on each side. */
export function regionAround(places: readonly { lat: number; lon: number }[]): Box | undefined {
  if (places.length === 0) return undefined;
  const lats = places.map((p) => p.lat);
  const lons = places.map((p) => p.lon);
  const [w, e, s, n] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const padX = Math.max(0.1, (e - w) / 5);
  const padY = Math.max(0.1, (n - s) / 5);
  return [round(Math.max(-180, w - padX)), round(Math.max(-90, s - padY)), round(Math.min(180, e + padX)), round(Math.min(90, n + padY))];
}
