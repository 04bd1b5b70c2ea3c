import { describe, expect, it } from 'vitest';
import type { GeoFeature } from './api.ts';
import { centreOf, compassPoint, contains, focusBox, formatCountdown, formatLatLon, geoUri, incidentCentre, planBearing, zoneText } from './incident-geo.ts';

const square = (x: number, y: number, side: number, properties: Record<string, unknown> = {}): GeoFeature => ({
  type: 'Feature',
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [x, y],
        [x + side, y],
        [x + side, y + side],
        [x, y + side],
        [x, y],
      ],
    ],
  },
  properties,
});

describe('incident geometry', () => {
  it("finds a zone's centre without counting the closing vertex twice", () => {
    expect(centreOf(square(340, 330, 140))).toEqual({ x: 410, y: 400 });
  });

  it('puts the incident at its innermost zone', () => {
    const outer = square(0, 0, 100, { radiusM: 136 });
    const inner = square(40, 40, 20, { radiusM: 44 });
    expect(incidentCentre([outer, inner])).toEqual({ x: 50, y: 50 });
    expect(incidentCentre([])).toBeUndefined();
  });

  it('tells whether a point is inside a zone', () => {
    expect(contains(square(0, 0, 10), { x: 5, y: 5 })).toBe(true);
    expect(contains(square(0, 0, 10), { x: 15, y: 5 })).toBe(false);
  });

  it('gives bearings clockwise from north and their compass points in both languages', () => {
    expect(planBearing({ x: 0, y: 0 }, { x: 0, y: 10 })).toBe(0);
    expect(planBearing({ x: 0, y: 0 }, { x: 10, y: 0 })).toBe(90);
    expect(planBearing({ x: 0, y: 0 }, { x: -10, y: -10 })).toBe(225);
    expect(compassPoint('en', 350)).toBe('N');
    expect(compassPoint('en', 202)).toBe('SSW');
    expect(compassPoint('zh', 90)).toBe('东');
  });

  it('writes WGS84 coordinates for people and for phones', () => {
    expect(formatLatLon(30.0531, 122.0312)).toBe('30.053100° N, 122.031200° E');
    expect(formatLatLon(-33.9, -70.1)).toBe('33.900000° S, 70.100000° W');
    expect(geoUri(30.0531, 122.0312)).toBe('geo:30.053100,122.031200');
    expect(zoneText(square(122, 30, 0.001))).toBe('30.000000,122.000000\n30.000000,122.001000\n30.001000,122.001000\n30.001000,122.000000');
  });

  it('counts down in minutes and seconds, and shows how long a deadline has passed', () => {
    expect(formatCountdown(299_400)).toBe('04:59');
    expect(formatCountdown(3_723_000)).toBe('1:02:03');
    expect(formatCountdown(-62_000)).toBe('00:00');
  });
});

describe('the part of the plan around an incident', () => {
  const plan = { width: 700, height: 500 };
  it('frames the zones with a margin, at least the minimum span', () => {
    expect(
      focusBox(
        [
          { x: 340, y: 330 },
          { x: 480, y: 420 },
        ],
        plan,
      ),
    ).toEqual({ minX: 280, minY: 270, maxX: 540, maxY: 480 });
    expect(focusBox([{ x: 400, y: 300 }], plan)).toEqual({ minX: 300, minY: 200, maxX: 500, maxY: 400 });
  });

  it('stays inside the plan, and is the whole plan when the zones reach past it', () => {
    expect(focusBox([{ x: 10, y: 490 }], plan)).toEqual({ minX: 0, minY: 300, maxX: 200, maxY: 500 });
    expect(
      focusBox(
        [
          { x: -200, y: -100 },
          { x: 900, y: 700 },
        ],
        plan,
      ),
    ).toEqual({ minX: 0, minY: 0, maxX: 700, maxY: 500 });
    expect(focusBox([], plan)).toBeUndefined();
  });
});
