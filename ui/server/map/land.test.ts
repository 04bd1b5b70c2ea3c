import { describe, expect, it } from 'vitest';
import { clipLand, clipRing, regionAround, regionLand, type Box, type Point } from './land.ts';

/** twice the area of a ring (shoelace), in square degrees */
const area2 = (ring: Point[]) => Math.abs(ring.reduce((sum, [x, y], i) => sum + x * ring[(i + 1) % ring.length]![1] - ring[(i + 1) % ring.length]![0] * y, 0));
const inside = (ring: Point[], [w, s, e, n]: Box) => ring.every(([x, y]) => x >= w && x <= e && y >= s && y <= n);

describe('clipRing', () => {
  it('cuts a square crossing the box to the part inside, corners included', () => {
    const square: Point[] = [
      [0, 0],
      [2, 0],
      [2, 2],
      [0, 2],
      [0, 0],
    ];
    const cut = clipRing(square, [1, 1, 3, 3]);
    expect(new Set(cut.map((p) => p.join()))).toEqual(new Set(['1,1', '2,1', '2,2', '1,2']));
    expect(area2(cut)).toBe(2);
  });
  it('keeps a ring wholly inside and drops one wholly outside', () => {
    const tri: Point[] = [
      [0.2, 0.2],
      [0.8, 0.2],
      [0.5, 0.8],
    ];
    expect(clipRing(tri, [0, 0, 1, 1])).toEqual(tri);
    expect(clipRing(tri, [5, 5, 6, 6])).toEqual([]);
  });
  it('clipLand keeps only polygons that reach into the box', () => {
    const far: Point[] = [
      [10, 10],
      [11, 10],
      [11, 11],
    ];
    const near: Point[] = [
      [0, 0],
      [1, 0],
      [1, 1],
    ];
    expect(clipLand([[far], [near]], [-1, -1, 2, 2])).toEqual([[near]]);
  });
});

describe('regionAround', () => {
  it('widens the places’ box by a fifth, at least 0.1° a side', () => {
    expect(
      regionAround([
        { lat: 30, lon: 122 },
        { lat: 30.2, lon: 123 },
      ]),
    ).toEqual([121.8, 29.9, 123.2, 30.3]);
    expect(regionAround([])).toBeUndefined();
  });
});

describe('regionLand: Natural Earth 1:10m as installed', () => {
  // the five demo depots' box, as the office sees it
  const ZHOUSHAN: Box = [121.7625, 29.8462, 122.3745, 30.3412];
  it('shows the Zhoushan islands as islands: Zhoushan Island, Jintang and Daishan among them, with sea between', async () => {
    const land = await regionLand(ZHOUSHAN);
    for (const [outer] of land) expect(inside(outer!, ZHOUSHAN)).toBe(true);
    // ray casting: the polygon whose outer ring holds the point
    const holds = (ring: Point[], lon: number, lat: number) =>
      ring.reduce((odd, [x1, y1], i) => {
        const [x2, y2] = ring[(i + 1) % ring.length]!;
        return y1 > lat !== y2 > lat && lon < x1 + ((lat - y1) * (x2 - x1)) / (y2 - y1) ? !odd : odd;
      }, false);
    const islandAt = (lon: number, lat: number) => land.find(([outer]) => holds(outer!, lon, lat));
    const zhoushan = islandAt(122.1, 30.02);
    const jintang = islandAt(121.87, 30.03);
    const daishan = islandAt(122.16, 30.28);
    expect(zhoushan).toBeDefined();
    expect(jintang).toBeDefined();
    expect(daishan).toBeDefined();
    // three different polygons: sea between them, not one blob
    expect(new Set([zhoushan, jintang, daishan]).size).toBe(3);
    // Zhoushan Island is about 0.37° across and 0.22° high: the largest island here, not a dot
    const xs = zhoushan![0]!.map((p) => p[0]);
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(0.3);
    expect(land.length).toBeGreaterThanOrEqual(6);
    // small enough to send: a few hundred points, not the world's 400,000
    expect(land.flat(2).length).toBeLessThan(2000);
  });
});
