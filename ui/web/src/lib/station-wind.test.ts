import { describe, expect, it } from 'vitest';
import type { Sample, SiteDetail } from './api.ts';
import { assessWind, CALM_BELOW_MS } from './station-wind.ts';

const sample = (point: string, value: number | string, extra: Partial<Sample> = {}): Sample => ({ site: 's', point, value, quality: 'good', ts: 5_000, ...extra });
function detail(values: Record<string, Sample>, station = true): SiteDetail {
  return {
    site: {
      id: 's',
      name: { zh: 's', en: 's' },
      location: { lat: 30, lon: 122 },
      timeZone: 'Asia/Shanghai',
      plan: { width: 100, height: 100 },
      standards: [],
      assets: station ? [{ id: 'WS1', kind: 'weather-station', name: { zh: '气象站', en: 'Weather station' }, position: { x: 0, y: 0 }, attributes: {} }] : [],
      points: station
        ? [
            { id: 'WS1.wind_speed', asset: 'WS1', name: 'wind_speed', unit: 'm/s' },
            { id: 'WS1.wind_direction', asset: 'WS1', name: 'wind_direction', unit: 'deg' },
          ]
        : [],
    },
    score: null,
    clauses: [],
    alerts: [],
    values,
  };
}
const wind = (speed: Sample, from: Sample) => detail({ 'WS1.wind_speed': speed, 'WS1.wind_direction': from });

describe('the wind as the rescue page may use it', () => {
  it('is known from two good readings, the direction as a bearing and the older of the two times', () => {
    expect(assessWind(wind(sample('WS1.wind_speed', 4.2), sample('WS1.wind_direction', 370, { ts: 4_000 })))).toEqual({ state: 'known', speedMs: 4.2, fromDeg: 10, ts: 4_000 });
  });

  it(`is calm below ${CALM_BELOW_MS} m/s, with the vane's reading kept but not trusted`, () => {
    expect(assessWind(wind(sample('WS1.wind_speed', 0.4), sample('WS1.wind_direction', 90)))).toMatchObject({ state: 'calm', fromDeg: 90 });
    expect(assessWind(wind(sample('WS1.wind_speed', CALM_BELOW_MS), sample('WS1.wind_direction', 90))).state).toBe('known');
  });

  it('is unknown, with the reason and the last reading, when a reading is stale, bad or uncertain', () => {
    const stale = sample('WS1.wind_direction', 200, { quality: 'bad', reason: 'stale' });
    expect(assessWind(wind(sample('WS1.wind_speed', 3), stale))).toEqual({ state: 'unknown', reason: 'stale', last: { speedMs: 3, fromDeg: 200 } });
    expect(assessWind(wind(sample('WS1.wind_speed', 3, { quality: 'bad', reason: 'BadCommunicationError' }), sample('WS1.wind_direction', 200)))).toMatchObject({
      state: 'unknown',
      reason: 'bad',
    });
    expect(assessWind(wind(sample('WS1.wind_speed', 3, { quality: 'uncertain', reason: 'flat' }), sample('WS1.wind_direction', 200)))).toMatchObject({
      state: 'unknown',
      reason: 'uncertain',
    });
    // the twin's link watch: the station's source went silent as a whole (not this page's link)
    const lost = sample('WS1.wind_direction', 200, { quality: 'bad', reason: 'link-lost' });
    expect(assessWind(wind(sample('WS1.wind_speed', 3), lost))).toEqual({ state: 'unknown', reason: 'feed-lost', last: { speedMs: 3, fromDeg: 200 } });
    // a stale report of a point that never read carries NaN: no last reading
    expect(assessWind(wind(sample('WS1.wind_speed', Number.NaN, { quality: 'bad', reason: 'stale' }), sample('WS1.wind_direction', 200)))).toEqual({
      state: 'unknown',
      reason: 'stale',
    });
    expect(assessWind(wind(sample('WS1.wind_speed', 'x'), sample('WS1.wind_direction', 200)))).toEqual({ state: 'unknown', reason: 'bad' });
  });

  it("is unknown while the page's live link is down, without readings, or without a weather station", () => {
    const good = wind(sample('WS1.wind_speed', 3), sample('WS1.wind_direction', 200));
    expect(assessWind(good, 'reconnecting')).toMatchObject({ state: 'unknown', reason: 'link-lost', last: { fromDeg: 200 } });
    expect(assessWind(good, 'closed').state).toBe('unknown');
    expect(assessWind(detail({}))).toEqual({ state: 'unknown', reason: 'no-reading' });
    expect(assessWind(detail({}, false))).toEqual({ state: 'unknown', reason: 'no-station' });
    expect(assessWind(null)).toEqual({ state: 'unknown', reason: 'no-reading' });
  });
});
