/**
 * The office map's drawing: an equirectangular projection of a region in kilometres (longitude shrunk by the
 * cosine of the middle latitude, so that islands keep their shape at Zhoushan's 30° N), the land as one path,
 * and each risk colour's marker shape (the same shapes as RiskSwatch: colour is never alone).
 */
import type { RiskColour } from './api.ts';

/** [west, south, east, north] in degrees */
export type Box = [number, number, number, number];
export interface Frame {
  /** the whole region in map units (km from its north-west corner, y down) */
  view: { x: number; y: number; w: number; h: number };
  project: (lon: number, lat: number) => { x: number; y: number };
}

const KM_PER_DEGREE = 111.32;

/** The frame of a region box, or (without one, e.g. before the land has come) of the places widened by 0.1°. */
export function mapFrame(places: readonly { location: { lat: number; lon: number } }[], box?: Box): Frame {
  const [w, s, e, n] = box ?? around(places);
  const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
  return {
    view: { x: 0, y: 0, w: (e - w) * k * KM_PER_DEGREE, h: (n - s) * KM_PER_DEGREE },
    project: (lon, lat) => ({ x: (lon - w) * k * KM_PER_DEGREE, y: (n - lat) * KM_PER_DEGREE }),
  };
}

function around(places: readonly { location: { lat: number; lon: number } }[]): Box {
  if (places.length === 0) return [-0.1, -0.1, 0.1, 0.1];
  const lats = places.map((p) => p.location.lat);
  const lons = places.map((p) => p.location.lon);
  return [Math.min(...lons) - 0.1, Math.min(...lats) - 0.1, Math.max(...lons) + 0.1, Math.max(...lats) + 0.1];
}

/** The land as one SVG path (fill-rule evenodd: holes stay open), 3 decimals of a km (1 m). */
export function landPath(land: readonly (readonly (readonly [number, number])[])[][], project: Frame['project']): string {
  const parts: string[] = [];
  for (const polygon of land) {
    for (const ring of polygon) {
      parts.push(
        ring
          .map(([lon, lat], i) => {
            const p = project(lon, lat);
            return `${i ? 'L' : 'M'}${p.x.toFixed(3)} ${p.y.toFixed(3)}`;
          })
          .join('') + 'Z',
      );
    }
  }
  return parts.join('');
}

const polygon = (points: [number, number][]) => `M${points.map(([x, y]) => `${x.toFixed(3)} ${y.toFixed(3)}`).join('L')}Z`;
const around8 = Array.from({ length: 8 }, (_, i) => ((i + 0.5) * Math.PI) / 4);

/** A marker of radius about 1 around (0, 0): red an octagon, orange a triangle, yellow a diamond, blue a circle, none a square. */
export function markerPath(risk: RiskColour | null): string {
  switch (risk) {
    case 'red':
      return polygon(around8.map((a) => [Math.cos(a), Math.sin(a)]));
    case 'orange':
      return polygon([
        [0, -1.15],
        [1.05, 0.75],
        [-1.05, 0.75],
      ]);
    case 'yellow':
      return polygon([
        [0, -1.15],
        [1.15, 0],
        [0, 1.15],
        [-1.15, 0],
      ]);
    case 'blue':
      return 'M-1 0A1 1 0 1 0 1 0A1 1 0 1 0 -1 0Z';
    default:
      return polygon([
        [-0.8, -0.8],
        [0.8, -0.8],
        [0.8, 0.8],
        [-0.8, 0.8],
      ]);
  }
}

export interface LabelBox {
  x: number;
  y: number;
  w: number;
  h: number;
}
export interface PlacedLabel {
  /** the text's anchor: its start (or end, when `anchor` is end) on the baseline of the first line */
  x: number;
  y: number;
  anchor: 'start' | 'end';
}

/** a line's width in map units: CJK characters are about a font size wide, Latin ones about half */
export function textWidth(text: string, size: number): number {
  let w = 0;
  for (const ch of text) w += /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? size : size * 0.56;
  return w;
}

const overlap = (a: LabelBox, b: LabelBox) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/**
 * Places each marker's label (lines of `size`) beside it — right, left, below or above (slid along to stay in the
 * frame), the first that stays in the frame and clear of the markers and the labels placed before it; when none is
 * clear, the one leaving the frame least. A label that would lie over another marker or label is not drawn (null):
 * at this zoom there is no room to read it (the marker keeps its colour and shape, and zooming in makes room).
 * Labels are placed most urgent first (`priority`, lowest first; ties in the given order), so that where a crowd
 * hides some, a red site's name is the last to go.
 */
export function placeLabels(markers: readonly { x: number; y: number; lines: string[]; priority?: number }[], size: number, r: number, frame: LabelBox): (PlacedLabel | null)[] {
  const dots: LabelBox[] = markers.map((m) => ({ x: m.x - r, y: m.y - r, w: 2 * r, h: 2 * r }));
  const placed: LabelBox[] = [];
  const labels: (PlacedLabel | null)[] = markers.map(() => null);
  const order = markers.map((_, i) => i).sort((a, b) => (markers[a]!.priority ?? 0) - (markers[b]!.priority ?? 0) || a - b);
  for (const i of order) {
    const m = markers[i]!;
    const w = Math.max(...m.lines.map((l) => textWidth(l, size)));
    const h = m.lines.length * size * 1.2;
    const gap = r * 1.3;
    // below or above: centred on the marker, slid along to stay inside the frame
    const under = Math.max(frame.x, Math.min(m.x - w / 2, frame.x + frame.w - w));
    const at = (x: number, y: number, anchor: 'start' | 'end') => ({
      box: { x: anchor === 'start' ? x : x - w, y, w, h },
      label: { x, y: y + size * 0.9, anchor },
    });
    const options = [
      at(m.x + gap, m.y - h / 2, 'start'),
      at(m.x - gap, m.y - h / 2, 'end'),
      at(under, m.y + gap, 'start'),
      at(under, m.y - gap - h, 'start'),
      // the corners: beside the marker, above or below its middle
      at(m.x + gap, m.y - h, 'start'),
      at(m.x + gap, m.y, 'start'),
      at(m.x - gap, m.y - h, 'end'),
      at(m.x - gap, m.y, 'end'),
    ];
    const outside = (b: LabelBox) => b.x < frame.x || b.y < frame.y || b.x + b.w > frame.x + frame.w || b.y + b.h > frame.y + frame.h;
    const covers = (b: LabelBox) => dots.some((d, j) => j !== i && overlap(d, b)) || placed.some((o) => overlap(o, b));
    const clear = options.filter((o) => !covers(o.box));
    const best = clear.find((o) => !outside(o.box)) ?? clear[0];
    if (!best) continue;
    placed.push(best.box);
    labels[i] = best.label;
  }
  return labels;
}

/**
 * The sites grouped by place: two sites within `gapDegrees` of each other (in latitude and in longitude) share a
 * region, and so on along a chain — one city's depots together, another city's works apart. Largest region first.
 */
export function regionsOf<T extends { id: string; location: { lat: number; lon: number } }>(sites: readonly T[], gapDegrees = 1): T[][] {
  const groups: T[][] = [];
  for (const site of sites) {
    const near = groups.filter((g) => g.some((o) => Math.abs(o.location.lat - site.location.lat) <= gapDegrees && Math.abs(o.location.lon - site.location.lon) <= gapDegrees));
    const merged = [site, ...near.flat()];
    for (const g of near) groups.splice(groups.indexOf(g), 1);
    groups.push(merged);
  }
  for (const g of groups) g.sort((a, b) => a.id.localeCompare(b.id));
  return groups.sort((a, b) => b.length - a.length || a[0]!.id.localeCompare(b[0]!.id));
}
