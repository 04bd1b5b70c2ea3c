import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Sample, type Site } from '../model/index.ts';
import { loadScenario, parseScenario } from './scenario.ts';
import { scenarioSamples, type TimedSamples } from './scenario-samples.ts';

const siteFile = fileURLToPath(new URL('../sites/zhoushan-demo.yaml', import.meta.url));
let site: Site;
beforeAll(async () => {
  site = await loadSite(siteFile);
});

const all = (batches: Iterable<TimedSamples>) => [...batches].flatMap((b) => b.samples);
const of = (samples: Sample[], point: string) => samples.filter((s) => s.point === point);

describe('scenarioSamples: a scenario as the collector would have read it, without sockets', () => {
  it('is deterministic: the same seed gives the same samples, another seed others', async () => {
    const scenario = await loadScenario('gas-leak');
    const a = all(scenarioSamples(site, scenario, { seed: 3 }));
    expect(all(scenarioSamples(site, scenario, { seed: 3 }))).toEqual(a);
    expect(all(scenarioSamples(site, scenario, { seed: 4 }))).not.toEqual(a);
  });

  it('publishes every point at 0 and on each scan, in time order, until a minute past the last step', async () => {
    const batches = [...scenarioSamples(site, await loadScenario('gas-leak'), { start: 1_000 })];
    expect(batches[0]!.at).toBe(0);
    expect(batches[0]!.samples.map((s) => s.point).slice(0, site.points.length)).toEqual(site.points.map((p) => p.id));
    expect(batches[0]!.samples.slice(site.points.length).map((s) => [s.point, s.value])).toEqual([
      ['WS1.wind_speed', 1.5],
      ['WS1.wind_direction', 90],
    ]);
    const ats = batches.map((b) => b.at);
    expect(ats).toEqual([...ats].sort((x, y) => x - y));
    expect(new Set(ats).size).toBe(ats.length);
    expect(ats.at(-1)).toBe(240_000); // last step at 180 s
    for (const b of batches) for (const s of b.samples) expect(s.ts).toBe(1_000 + b.at);
    expect(of(all(batches), 'T101.level')).toHaveLength(241);
  });

  it('tank-overfill: the ramp is published every 100 ms, then the pumps drive T201 past critical-high', async () => {
    const samples = all(scenarioSamples(site, await loadScenario('tank-overfill')));
    const level = of(samples, 'T201.level');
    const at = (ms: number) => level.filter((s) => s.ts === ms).at(-1)!.value as number;
    expect(at(20_000)).toBe(15.3);
    expect(level.filter((s) => s.ts > 0 && s.ts < 1_000)).toHaveLength(9); // 100 … 900 ms of the 20 s ramp
    // 3000 m³/h over π·40.5²/4 m² for 60 simulated seconds a scan: +0.0388 m a second of timeline
    expect(at(31_000) - at(21_000)).toBeCloseTo((10 * (3000 / 60)) / ((Math.PI * 40.5 ** 2) / 4), 2);
    expect(Math.max(...level.map((s) => s.value as number))).toBeGreaterThan(16.9);
  });

  it('gas-leak: the cloud reaches GD101 first, then GD102 as the wind veers', async () => {
    const samples = all(scenarioSamples(site, await loadScenario('gas-leak')));
    const firstOver = (point: string) => of(samples, point).find((s) => (s.value as number) > 20)!.ts;
    expect(firstOver('GD101.gas')).toBeLessThan(firstOver('GD102.gas'));
  });

  it('reports faults as the collector would: failed points bad each scan, frozen silent, a dropped source bad once then silent', () => {
    const scenario = parseScenario(
      [
        'name: faults',
        'title: { zh: 故障, en: faults }',
        'steps:',
        '  - { at: 2, action: fail, point: T101.level }',
        '  - { at: 2, action: freeze, point: T102.level }',
        '  - { at: 2, action: drop, source: rtu-fire }',
        '  - { at: 5, action: release, point: T101.level }',
        '  - { at: 5, action: restore, source: rtu-fire }',
      ].join('\n'),
    );
    const samples = all(scenarioSamples(site, scenario, { untilMs: 8_000 }));
    expect(of(samples, 'T101.level').map((s) => s.quality)).toEqual(['good', 'good', 'bad', 'bad', 'bad', 'bad', 'good', 'good', 'good', 'good', 'good']);
    expect(of(samples, 'T102.level').map((s) => s.ts)).toEqual([0, 1_000]);
    expect(of(samples, 'FWP1.level').map((s) => [s.ts, s.quality, s.reason])).toEqual([
      [0, 'good', undefined],
      [1_000, 'good', undefined],
      [2_000, 'bad', 'connection lost'],
      [5_000, 'good', undefined],
      [6_000, 'good', undefined],
      [7_000, 'good', undefined],
      [8_000, 'good', undefined],
    ]);
  });
});
