import { describe, expect, it } from 'vitest';
import type { GeoFeature } from './api.ts';
import { centreOf, compassPoint, contains, formatCountdown, formatLatLon, geoUri, incidentCentre, planBearing, zoneText } from './incident-geo.ts';

const square = (x: number, y: number, side: number, properties: Record<string, unknown> = {}): GeoFeature => ({
  type: 'Feature',
  geometry: { type: 'Polygon', coordinates: [[[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]]] },
  properties,
});

describe('incident geometry', () => {
  it('finds a zone\'s centre without counting the closing vertex twice', () => {
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
    expect(formatCountdown(-62_000)).toBe('−01:02');
  });
});
