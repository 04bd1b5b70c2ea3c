import { describe, expect, it } from 'vitest';
import { landPath, mapFrame, markerPath, placeLabels, regionsOf, textWidth } from './map-frame.ts';

describe('mapFrame', () => {
  it('puts the region’s north-west corner at 0,0 in km, longitude shrunk by the cosine of the middle latitude', () => {
    const f = mapFrame([], [122, 29.9, 122.4, 30.3]);
    expect(f.view.h).toBeCloseTo(0.4 * 111.32, 6);
    // cos(30.1°) ≈ 0.865: a degree of longitude is shorter than one of latitude here
    expect(f.view.w / f.view.h).toBeCloseTo(Math.cos((30.1 * Math.PI) / 180), 6);
    expect(f.project(122, 30.3)).toEqual({ x: 0, y: 0 });
    const se = f.project(122.4, 29.9);
    expect(se.x).toBeCloseTo(f.view.w, 9);
    expect(se.y).toBeCloseTo(f.view.h, 9);
  });
  it('without a region, frames the places widened by 0.1°', () => {
    const f = mapFrame([{ location: { lat: 30, lon: 122 } }]);
    expect(f.project(121.9, 30.1)).toEqual({ x: 0, y: 0 });
  });
});

describe('landPath and markers', () => {
  it('draws each ring of each polygon as a closed sub-path', () => {
    const f = mapFrame([], [0, 0, 1, 1]);
    const d = landPath(
      [
        [
          [
            [0, 0],
            [1, 0],
            [1, 1],
          ],
          [
            [0.2, 0.2],
            [0.3, 0.2],
            [0.3, 0.3],
          ],
        ],
      ],
      f.project,
    );
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d.match(/Z/g)).toHaveLength(2);
    // the south-west corner: x 0, y the region's height (y runs south)
    expect(d.startsWith('M0.000 111.320L')).toBe(true);
  });
  it('gives every risk colour its own shape', () => {
    const shapes = (['red', 'orange', 'yellow', 'blue', null] as const).map(markerPath);
    expect(new Set(shapes).size).toBe(5);
  });
});

describe('placeLabels', () => {
  const frame = { x: 0, y: 0, w: 100, h: 100 };
  it('puts a label right of its marker when there is room, left of it at the frame’s right edge', () => {
    const [a, b] = placeLabels(
      [
        { x: 10, y: 50, lines: ['Alpha'] },
        { x: 95, y: 20, lines: ['Beta'] },
      ],
      4,
      1,
      frame,
    );
    expect(a).toMatchObject({ anchor: 'start' });
    expect(a!.x).toBeGreaterThan(10);
    expect(b).toMatchObject({ anchor: 'end' });
    expect(b!.x).toBeLessThan(95);
  });
  it('moves a label off a neighbour’s marker and label', () => {
    // the second marker sits where the first one's label would run to the right
    const [a, b] = placeLabels(
      [
        { x: 45, y: 50, lines: ['A long depot name'] },
        { x: 55, y: 50, lines: ['Another'] },
      ],
      4,
      1,
      frame,
    );
    expect(a).toMatchObject({ anchor: 'end', x: 45 - 1.3 });
    expect(b).toMatchObject({ anchor: 'start', x: 55 + 1.3 });
  });
  it('puts a label below a marker near the frame’s left edge, slid into the frame, when right of it is taken', () => {
    const [a] = placeLabels(
      [
        { x: 5, y: 50, lines: ['A long depot name'] },
        { x: 20, y: 50, lines: ['B'] },
      ],
      4,
      1,
      frame,
    );
    expect(a).toMatchObject({ anchor: 'start', x: 0 });
    expect(a!.y).toBeGreaterThan(50);
  });
  it('measures Chinese characters about twice as wide as Latin letters', () => {
    expect(textWidth('油库', 10)).toBe(20);
    expect(textWidth('ab', 10)).toBeCloseTo(11.2);
  });
});

describe('regionsOf', () => {
  const at = (id: string, lat: number, lon: number) => ({ id, location: { lat, lon } });
  it('keeps one city’s sites together and another city’s apart, the largest region first', () => {
    const regions = regionsOf([
      at('zhoushan-a', 30.05, 122.03),
      at('zhengzhou-1', 34.75, 113.66),
      at('zhoushan-b', 30.24, 122.21),
      at('zhengzhou-2', 34.76, 113.7),
      at('zhoushan-c', 29.95, 122.27),
    ]);
    expect(regions.map((r) => r.map((s) => s.id))).toEqual([
      ['zhoushan-a', 'zhoushan-b', 'zhoushan-c'],
      ['zhengzhou-1', 'zhengzhou-2'],
    ]);
  });
  it('joins two groups that a later site bridges', () => {
    const regions = regionsOf([at('a', 0, 0), at('c', 0, 1.8), at('b', 0, 0.9)]);
    expect(regions.map((r) => r.map((s) => s.id))).toEqual([['a', 'b', 'c']]);
  });
});

describe('placeLabels among crowded markers', () => {
  it('never lays a label over another marker when a corner is free', () => {
    // Haiyu between Jintang's label below-left and Baiquan's marker to its right, as on the Zhoushan map
    const markers = [
      { x: 50, y: 50, lines: ['Baiquan Diesel Depot', 'blue (low) · 97.06'] },
      { x: 36, y: 51.5, lines: ['Haiyu Oil Depot, Zhoushan', 'blue (low) · 97.69'] },
      { x: 15, y: 53, lines: ['Jintang Island Crude Transit Depot', 'blue (low) · 97.39'] },
    ];
    const r = 1.4;
    const labels = placeLabels(markers, 2.2, r, { x: 0, y: 0, w: 100, h: 100 });
    labels.forEach((label, i) => {
      const l = label!;
      const w = Math.max(...markers[i]!.lines.map((t) => textWidth(t, 2.2)));
      const box = { x: l.anchor === 'start' ? l.x : l.x - w, y: l.y - 2.2 * 0.9, w, h: 2 * 2.2 * 1.2 };
      markers.forEach((m, j) => {
        if (j === i) return;
        const hides = m.x + r > box.x && m.x - r < box.x + box.w && m.y + r > box.y && m.y - r < box.y + box.h;
        expect(hides, `${markers[i]!.lines[0]} over ${m.lines[0]}`).toBe(false);
      });
    });
  });
});

describe('placeLabels in a district of twenty works', () => {
  // twenty works within a few kilometres, as the early-works district on a region's map: 5 × 4 markers 6 units apart
  const works = Array.from({ length: 20 }, (_, i) => ({
    x: 30 + (i % 5) * 6,
    y: 30 + Math.floor(i / 5) * 6,
    lines: [`金水区${i + 1}号早期人防工程`, '蓝色（低） · 100'],
    priority: 4000,
  }));
  const size = 2.2;
  const r = 1.4;
  const boxOf = (l: { x: number; y: number; anchor: 'start' | 'end' }, lines: string[]) => {
    const w = Math.max(...lines.map((t) => textWidth(t, size)));
    return { x: l.anchor === 'start' ? l.x : l.x - w, y: l.y - size * 0.9, w, h: lines.length * size * 1.2 };
  };
  const hit = (a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }) =>
    a.x < b.x + b.w - 1e-9 && b.x < a.x + a.w - 1e-9 && a.y < b.y + b.h - 1e-9 && b.y < a.y + a.h - 1e-9;

  it('draws only the names that have room: none over another name or marker, the others left out', () => {
    const labels = placeLabels(works, size, r, { x: 0, y: 0, w: 100, h: 100 });
    const drawn = labels.flatMap((l, i) => (l ? [{ i, box: boxOf(l, works[i]!.lines) }] : []));
    expect(drawn.length).toBeGreaterThan(0);
    expect(drawn.length).toBeLessThan(20);
    for (const a of drawn) {
      for (const b of drawn) if (a !== b) expect(hit(a.box, b.box), `${a.i} over ${b.i}`).toBe(false);
      works.forEach((m, j) => {
        if (j !== a.i) expect(hit(a.box, { x: m.x - r, y: m.y - r, w: 2 * r, h: 2 * r }), `${a.i} over marker ${j}`).toBe(false);
      });
    }
  });

  it('keeps the name of a red work where the crowd hides blue ones', () => {
    const reds = [1, 18];
    const labels = placeLabels(
      works.map((w, i) => (reds.includes(i) ? { ...w, lines: [w.lines[0]!, '红色（重大） · 30.85'], priority: 0 } : w)),
      size,
      r,
      { x: 0, y: 0, w: 100, h: 100 },
    );
    for (const i of reds) expect(labels[i], `work ${i + 1}`).not.toBeNull();
    // in the given order the same two would have lost their room to their neighbours
    const unordered = placeLabels(works, size, r, { x: 0, y: 0, w: 100, h: 100 });
    expect(reds.every((i) => unordered[i] === null)).toBe(true);
  });
});
