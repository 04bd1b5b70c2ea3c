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

const attacks = (alerts: ReturnType<typeof playOnVirtualTime>['alerts']) => alerts.filter((a) => a.incident?.hazard === 'suspected-attack');
const ring = (f: { geometry: unknown }) => (f.geometry as { coordinates: [number, number][][] }).coordinates[0]!;

describe('suspected attack (several sources lost within seconds with a fire or explosion)', () => {
  it('is raised when both sources drop within 15 s of a flame on T201, held while one is still lost, returned when both have been back for the delay-off', () => {
    const steps: Step[] = [
      [0, 'T201.level', 12],
      [0, 'WS1.wind_speed', 4],
      [0, 'WS1.wind_direction', 90],
      [1_000, 'T201.flame', true],
      [2_000, 'plc-tankfarm.online', false],
      [2_000, 'T201.flame', true, 'bad'], // the PLC's points go bad with it
      [5_000, 'rtu-fire.online', false],
      [60_000, 'rtu-fire.online', true],
      [90_000, 'plc-tankfarm.online', true],
    ];
    const { alerts } = playOnVirtualTime(site, standard, steps, 90_000 + delayOff + 30_000);
    const seen = attacks(alerts);
    expect(seen.map((a) => [a.transition?.action, a.changedAt])).toEqual([
      ['raise', 5_000],
      ['update', 60_000],
      ['return', 90_000 + delayOff],
    ]);
    expect(seen[2]!.lifecycle).toMatchObject({ condition: 'returned', closeRequired: true });
    const raised = seen[0]!;
    expect(raised).toMatchObject({ kind: 'hazard-suspected-attack', severity: 1, subjects: [site.id], standard: 'oil-depot-above-ground@1.0.0' });
    expect(raised.message.en).toContain('2 sources lost within 15 s (plc-tankfarm, rtu-fire) together with flame on T201');
    expect(raised.message.en).toContain('still lost: plc-tankfarm, rtu-fire');
    expect(raised.message.zh).toContain('T201 火焰');
    expect(seen[1]!.message.en).toContain('still lost: plc-tankfarm');
    expect(seen[1]!.message.en).not.toContain('still lost: plc-tankfarm, rtu-fire');
    const details = raised.incident!;
    expect(details.affected).toEqual(['T201']);
    // 12 m × π·40.5²/4 × 0.75 t/m³ ≈ 11,594 t
    expect(details.inventory).toEqual([{ asset: 'T201', product: 'gasoline', tonnes: 11594 }]);
    expect(details.wind).toEqual({ speedMs: 4, fromDeg: 90 });
    // the cordon: the 700 × 500 m plan and 300 m beyond, in plan metres and WGS84 around the site
    const cordon = details.planZones!.features[0]!;
    expect(cordon.properties['kind']).toBe('security-cordon');
    expect(ring(cordon).slice(0, 4)).toEqual([
      [-300, -300],
      [1000, -300],
      [1000, 800],
      [-300, 800],
    ]);
    for (const [lon, lat] of ring(details.zones.features[0]!)) {
      expect(Math.abs(lon - site.location.lon)).toBeLessThan(0.02);
      expect(Math.abs(lat - site.location.lat)).toBeLessThan(0.02);
    }
    expect(raised.actions.map((a) => a.en).join(' ')).toContain('Call the police (110)');
  });

  it('takes a gas detector at full scale (a blast) or a rim-seal fire as the event, also when it comes after the losses', () => {
    const { alerts } = playOnVirtualTime(
      site,
      standard,
      [
        [0, 'plc-tankfarm.online', false],
        [3_000, 'rtu-fire.online', false],
        [40_000, 'GD201.gas', 100],
      ],
      60_000,
    );
    expect(attacks(alerts).map((a) => [a.transition?.action, a.changedAt])).toEqual([['raise', 40_000]]);
    expect(attacks(alerts)[0]!.message.en).toContain('GD201 gas at full scale');
    expect(attacks(alerts)[0]!.incident!.affected).toEqual(['GD201']);
  });

  it('is not raised for sources lost without a fire, one source with a fire, losses far apart, or a fire long before', () => {
    const noFire = playOnVirtualTime(site, standard, [[0, 'plc-tankfarm.online', false], [2_000, 'rtu-fire.online', false], ...repeat('GD201.gas', 60, 0, 30_000)], 60_000);
    expect(attacks(noFire.alerts)).toEqual([]);
    expect(noFire.alerts.filter((a) => a.kind === 'comms-loss')).toHaveLength(2); // each loss is still alarmed
    const oneSource = playOnVirtualTime(
      site,
      standard,
      [
        [0, 'T202.rim_seal_fire', true],
        [1_000, 'rtu-fire.online', false],
      ],
      60_000,
    );
    expect(attacks(oneSource.alerts)).toEqual([]);
    const farApart = playOnVirtualTime(
      site,
      standard,
      [
        [0, 'T201.flame', true],
        [1_000, 'plc-tankfarm.online', false],
        [31_000, 'rtu-fire.online', false],
      ],
      60_000,
    );
    expect(attacks(farApart.alerts)).toEqual([]);
    const fireLongBefore = playOnVirtualTime(
      site,
      standard,
      [
        [0, 'T201.flame', true],
        [200_000, 'plc-tankfarm.online', false],
        [201_000, 'rtu-fire.online', false],
      ],
      240_000,
    );
    expect(attacks(fireLongBefore.alerts)).toEqual([]);
  });
});
