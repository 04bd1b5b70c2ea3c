import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Site } from '../../model/index.ts';
import { loadStandard, parseDuration, type Standard } from '../../standards/index.ts';
import { playOnVirtualTime, repeat, SITE_FILE, STANDARD_FILE, type Step } from './hazard-test-support.ts';

let site: Site;
let standard: Standard;
/** how long an incident's condition must stay clear before it returns (the standard's alarms.incidentDelayOff) */
let delayOff: number;
beforeAll(async () => {
  site = await loadSite(SITE_FILE);
  standard = await loadStandard(STANDARD_FILE);
  delayOff = parseDuration(standard.alarms!.incidentDelayOff!)!.ms;
});

const lost = (alerts: ReturnType<typeof playOnVirtualTime>['alerts']) => alerts.filter((a) => a.incident?.hazard === 'protection-lost');
const MIN = 60_000;

/** the fire-system readings of a calm depot, every second from `from` to `to` */
const calm = (from: number, to: number): Step[] => [
  ...repeat('FWP1.level', 4.9, from, to),
  ...repeat('FP1.pressure', 0.25, from, to),
  ...repeat('FP2.pressure', 0.25, from, to),
  ...repeat('FS1.concentrate_level', 90, from, to),
  ...repeat('SR1.ready', true, from, to),
];

describe('protection lost (fire water, fire pumps, foam, backup power, siren)', () => {
  it('lists backup power 30 s after mains is lost without the generator, adds the pumps when they lose pressure, returns once mains has been back for the delay-off', () => {
    const steps: Step[] = [
      ...repeat('FWP1.level', 4.9, 0, 5 * MIN),
      ...repeat('FS1.concentrate_level', 90, 0, 5 * MIN),
      ...repeat('SR1.ready', true, 0, 5 * MIN),
      ...repeat('T101.level', 10, 0, 5 * MIN, 5_000),
      ...repeat('GEN1.mains_available', true, 0, 9_000),
      ...repeat('GEN1.mains_available', false, 10_000, 3 * MIN),
      ...repeat('GEN1.mains_available', true, 3 * MIN + 1_000, 5 * MIN),
      ...repeat('GEN1.running', false, 0, 5 * MIN),
      // no power, no pump pressure (from 10 s until mains is back)
      ...repeat('FP1.pressure', 0.25, 0, 9_000),
      ...repeat('FP2.pressure', 0.25, 0, 9_000),
      ...repeat('FP1.pressure', 0, 10_000, 3 * MIN),
      ...repeat('FP2.pressure', 0, 10_000, 3 * MIN),
      ...repeat('FP1.pressure', 0.25, 3 * MIN + 1_000, 5 * MIN),
      ...repeat('FP2.pressure', 0.25, 3 * MIN + 1_000, 5 * MIN),
    ];
    const { alerts } = playOnVirtualTime(site, standard, steps, 5 * MIN + 1_000);
    const seen = lost(alerts);
    expect(seen.map((a) => [a.transition?.action, a.changedAt])).toEqual([
      ['raise', 40_000], // 10 s + 30 s (GB 50016 §10.1.4)
      ['update', 70_000], // 10 s + 1 min, both pumps without pressure
      ['update', 3 * MIN + 1_000], // mains back: pumps have pressure again
      ['return', 3 * MIN + 1_000 + delayOff], // and still back after the delay-off
    ]);
    expect(seen[3]!.transition?.comment).toBe('condition cleared, awaiting close');
    expect(seen[3]!.lifecycle).toMatchObject({ condition: 'returned', closeRequired: true });
    expect(seen[3]!.incident!.countdowns).toEqual([]);
    expect(seen[0]).toMatchObject({ kind: 'hazard-protection-lost', severity: 2, subjects: [site.id], standard: 'oil-depot-above-ground@1.0.0' });
    expect(seen[0]!.message.en).toContain('protection lost — mains lost and Emergency diesel generator not running; now unmitigated: ');
    for (const title of ['Tank fire', 'Suspected attack']) expect(seen[0]!.message.en).toContain(title);
    expect(seen[0]!.message.zh).toContain('市电中断且应急柴油发电机未运行');
    expect(seen[0]!.incident!.affected).toEqual(['GEN1']);
    expect(seen[1]!.message.en).toContain('no pressure on Fire water pump 1, Fire water pump 2 (standby), mains lost and Emergency diesel generator not running;');
    expect(seen[1]!.incident!.affected).toEqual(['FP1', 'FP2', 'GEN1']);
    // a fire would now burn unchecked: the inventory of the tanks with a level reading (T101: 10 m × π·80²/4 × 0.86)
    expect(seen[1]!.incident!.inventory).toEqual([{ asset: 'T101', product: 'crude', tonnes: 43228 }]);
    const point = seen[1]!.incident!.planZones!.features.find((f) => f.properties['asset'] === 'GEN1')!;
    expect(point.geometry).toEqual({ type: 'Point', coordinates: [270, 100] });
  });

  it('lists the fire water after 5 min below the pool minimum (4.5 m) and names tank fire and boilover unmitigated', () => {
    const steps: Step[] = [...calm(0, 12 * MIN).filter(([, p]) => p !== 'FWP1.level'), ...repeat('FWP1.level', 4.9, 0, MIN), ...repeat('FWP1.level', 4.2, MIN + 1_000, 12 * MIN)];
    const seen = lost(playOnVirtualTime(site, standard, steps, 12 * MIN).alerts);
    expect(seen.map((a) => [a.transition?.action, a.changedAt])).toEqual([['raise', 6 * MIN + 1_000]]);
    expect(seen[0]!.message.en).toContain('Fire water pool below the minimum level');
    for (const title of ['Tank fire', 'Boilover']) expect(seen[0]!.message.en).toContain(title);
  });

  it('is not raised by a dip shorter than the delay, nor by readings that are missing', () => {
    const shortDip = [
      ...calm(0, 3 * MIN).filter(([, p]) => p !== 'SR1.ready'),
      ...repeat('SR1.ready', true, 0, 10_000),
      ...repeat('SR1.ready', false, 11_000, 50_000),
      ...repeat('SR1.ready', true, 51_000, 3 * MIN),
    ];
    expect(lost(playOnVirtualTime(site, standard, shortDip, 3 * MIN).alerts)).toEqual([]);
    const missing = [
      ...repeat('GEN1.mains_available', false, 0, 3 * MIN, 1_000, 'bad'),
      ...repeat('GEN1.running', false, 0, 3 * MIN, 1_000, 'bad'),
      ...repeat('FP1.pressure', 0, 0, 3 * MIN, 1_000, 'bad'),
    ];
    expect(lost(playOnVirtualTime(site, standard, missing, 3 * MIN).alerts)).toEqual([]);
  });

  it('does not take a lost protection back when its readings go missing', () => {
    const steps: Step[] = [...repeat('SR1.ready', false, 0, 2 * MIN), ...repeat('SR1.ready', false, 2 * MIN + 1_000, 4 * MIN, 1_000, 'bad')];
    const seen = lost(playOnVirtualTime(site, standard, steps, 4 * MIN).alerts);
    expect(seen.map((a) => [a.transition?.action, a.changedAt])).toEqual([['raise', MIN]]);
    expect(seen[0]!.message.en).toContain('Air-raid siren not ready');
    expect(seen[0]!.message.en).toMatch(/unmitigated: .*gas cloud/i);
    expect(seen[0]!.message.en).not.toContain('Tank fire');
  });
});
