import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Site } from '../model/index.ts';
import { loadStandard, type Standard } from '../standards/index.ts';
import { playOnVirtualTime, repeat, SITE_FILE, STANDARD_FILE, type Step } from './hazards/hazard-test-support.ts';

let site: Site;
let standard: Standard;
beforeAll(async () => {
  site = await loadSite(SITE_FILE);
  standard = await loadStandard(STANDARD_FILE);
});

const comms = (alerts: ReturnType<typeof playOnVirtualTime>['alerts']) => alerts.filter((a) => a.kind === 'comms-loss');

describe('communications loss is itself alarmed', () => {
  it('raises one alarm per source once it has been offline for the delay (10 s), and returns it when the source is back', () => {
    const steps: Step[] = [
      [0, 'plc-tankfarm.online', true],
      [0, 'rtu-fire.online', true],
      [5_000, 'plc-tankfarm.online', false],
      [7_000, 'plc-tankfarm.online', false], // a repeated report does not restart the delay
      [35_000, 'plc-tankfarm.online', true],
    ];
    const { alerts } = playOnVirtualTime(site, standard, steps, 60_000);
    const seen = comms(alerts);
    expect(seen.map((a) => [a.transition?.action, a.changedAt])).toEqual([
      ['raise', 15_000],
      ['return', 35_000],
    ]);
    expect(seen[0]).toMatchObject({ severity: 2, subjects: ['plc-tankfarm'], standard: 'oil-depot-above-ground@1.0.0' });
    expect(seen[0]!.message.en).toContain('Source plc-tankfarm (opcua, opc.tcp://127.0.0.1:48400/ketwin) has been unreachable for over 10 s');
    expect(seen[0]!.message.zh).toContain('数据源 plc-tankfarm');
    expect(seen[0]!.message.en).toMatch(/its \d+ points are unavailable/);
    expect(seen[0]!.actions.length).toBeGreaterThan(0);
    expect(seen[0]!.incident).toBeUndefined();
  });

  it('does not alarm a loss shorter than the delay, and keeps each source apart', () => {
    const steps: Step[] = [
      [0, 'plc-tankfarm.online', false],
      [4_000, 'plc-tankfarm.online', true],
      [10_000, 'rtu-fire.online', false],
    ];
    const { alerts, snapshot } = playOnVirtualTime(site, standard, steps, 30_000);
    expect(comms(alerts).map((a) => [a.subjects[0], a.raisedAt])).toEqual([['rtu-fire', 20_000]]);
    // the online state is part of the twin, never stale (the collector reports it on change and as the link's heartbeat)
    expect(snapshot.values['plc-tankfarm.online']).toMatchObject({ value: true, quality: 'good' });
    expect(snapshot.values['rtu-fire.online']).toMatchObject({ value: false, quality: 'good' });
    expect(snapshot.alerts.map((a) => a.kind)).toContain('comms-loss');
  });

  it('ignores an unreadable report and the online points of sources the site does not have', () => {
    const steps: Step[] = [[0, 'plc-tankfarm.online', false, 'bad'], [0, 'other-plc.online', false], ...repeat('T101.level', 10, 0, 20_000)];
    const { alerts, snapshot } = playOnVirtualTime(site, standard, steps, 30_000);
    expect(comms(alerts)).toEqual([]);
    expect(snapshot.values['other-plc.online']).toBeUndefined();
  });
});
