import { describe, expect, it } from 'vitest';
import { parseSite, SiteDefinitionError } from './index.ts';

const site = (source: string, point: string) => `
id: cap-site
name: { zh: 测试, en: Test }
location: { lat: 34.75, lon: 113.66 }
plan: { width: 100, height: 100 }
standards: [early-works-flood]
sources:
  - ${source}
assets:
  - { id: MET, kind: weather-station, name: { zh: 预警, en: Warnings }, position: { x: 1, y: 1 } }
points:
  - ${point}
`;
const feed = '{ id: met, protocol: cap, endpoint: "http://127.0.0.1:8090/cap/feed.xml", areaCodes: ["410105"] }';
const levelPoint = '{ asset: MET, name: rainstorm_level, unit: state, source: met, cap: { events: ["11B03"], field: level } }';

function issues(text: string): { path: string; message: string }[] {
  try {
    parseSite(text, 'cap.yaml');
  } catch (error) {
    if (error instanceof SiteDefinitionError) return error.issues.map(({ path, message }) => ({ path, message }));
    throw error;
  }
  return [];
}

describe('site file: CAP warning feeds and their points', () => {
  it('takes a feed and a point, with the defaults', () => {
    const parsed = parseSite(site(feed, levelPoint), 'cap.yaml');
    expect(parsed.sources[0]).toMatchObject({ protocol: 'cap', pollIntervalMs: 60_000, timeoutMs: 10_000, staleAfterMs: 180_000, areaCodes: ['410105'] });
    expect(parsed.points[0]).toMatchObject({ cap: { events: ['11B03'], field: 'level' }, staleAfterMs: 180_000 });
  });

  it('refuses a region code that is not GB/T 2260, a staleness shorter than a poll, a point without its mapping or with an unknown field', () => {
    expect(issues(site(feed.replace('410105', '4101'), levelPoint))).toEqual([{ path: 'sources[0].areaCodes[0]', message: 'must be a 6-digit GB/T 2260 region code' }]);
    expect(issues(site(feed.replace(' }', ', pollIntervalMs: 60000, staleAfterMs: 30000 }'), levelPoint))).toEqual([
      { path: 'sources[0].staleAfterMs', message: 'staleAfterMs must be longer than pollIntervalMs (60000 ms)' },
    ]);
    expect(issues(site(feed, '{ asset: MET, name: rainstorm_level, unit: state, source: met }'))).toEqual([
      { path: 'points[0].cap', message: 'point on CAP feed "met" needs a cap mapping (the warnings it follows and the field it reports)' },
    ]);
    expect(issues(site(feed, levelPoint.replace('field: level', 'field: severity'))).map((i) => i.path)).toEqual(['points[0].cap.field']);
  });
});
