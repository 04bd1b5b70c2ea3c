// sim/scenarios/dike-fire.yaml through the engine under standard 1.1.0, then to what rescue crews get:
// the CAP document and the rescue page's way in (gate, approach, staging) from the incident's zones.
// T201 leaks into dike D2 from 2 s, the pool ignites at 30 s in a 5 m/s westerly, the leak is isolated
// at 150 s (the sump reads clear again) and the foam puts the fire out at 240 s. The same checks run
// on the gas-leak scenario's vapour cloud explosion (TNO multi-energy over the crude manifold).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Alert, Tank } from '../model/index.ts';
import { capSchemaErrors } from '../notify/testing/cap-schema.ts';
import { buildCapDocument } from '../notify/cap/cap-document.ts';
import { parseDuration } from '../standards/index.ts';
import { incidentCentre } from '../ui/web/src/lib/incident-geo.ts';
import { inZone, siteAccess } from '../ui/web/src/lib/site-access.ts';
import { isDownwind } from '../ui/web/src/lib/wind-side.ts';
import { runScenario, type ScenarioRun } from './scenario-support.ts';

let dike: ScenarioRun;
let gas: ScenarioRun;
beforeAll(async () => {
  [dike, gas] = await Promise.all([
    runScenario('dike-fire', { secondsPerTick: 1, untilMs: 6 * 60_000, standardVersion: '1.1.0' }),
    runScenario('gas-leak', { secondsPerTick: 1, standardVersion: '1.1.0' }),
  ]);
}, 120_000);

const issued = (alerts: Alert[]) => alerts.filter((a) => a.transition?.action === 'raise' || a.transition?.action === 'update');

describe('scenario dike-fire', () => {
  it('raises the dike fire when the pool ignites and holds it after the leak is isolated, until the foam has kept it out for the delay-off', () => {
    const delayOff = parseDuration(dike.standard.alarms!.incidentDelayOff!)!.ms;
    const fire = dike.alertsOf('dike-fire').filter((a) => a.transition?.action !== 'escalate');
    expect(dike.timeline(fire)).toEqual([
      ['raise', 30_000],
      ['return', 240_000 + delayOff], // not at 150 s: the sump reading clear does not put the burning pool out
    ]);
    const [raised] = fire;
    expect(raised).toMatchObject({ kind: 'hazard-dike-fire', severity: 1, subjects: ['D2'], standard: 'oil-depot-above-ground@1.1.0' });
    expect(raised!.message.en).toMatch(
      /^Gasoline tank group dike: dike fire \(product in the dike \(its hydrocarbon detector\), T201 burning\) — a pool of 113 m equivalent diameter/,
    );
    expect(raised!.message.en).toContain('towards 90°'); // the westerly lays the flames over the east wall
    expect(raised!.incident!.wind).toEqual({ speedMs: 5, fromDeg: 270 });
    expect(raised!.incident!.affected.slice(0, 3)).toEqual(['D2', 'T201', 'T202']);
    expect(raised!.incident!.countdowns.map((c) => c.label.en)).toEqual(expect.arrayContaining(['Cool T201', 'Cool T202']));
    // T201's own tank fire is there too, and it is not the dike fire
    expect(dike.alertsOf('tank-fire').some((a) => a.subjects[0] === 'T201')).toBe(true);
  });

  it('reaches the diesel tanks east of the dike harder downwind than the crude tanks upwind', () => {
    const [raised] = dike.alertsOf('dike-fire');
    const flux = (id: string) => Number(new RegExp(`${id} (\\d+(\\.\\d)?) kW/m²`).exec(raised!.message.en)![1]);
    // T301's shell is 55.75 m from the east wall, T102's 65 m from the west wall: downwind the leaning flame is nearer still
    expect(flux('T301')).toBeGreaterThan(flux('T102'));
    const zones = raised!.incident!.planZones!.features.filter((f) => f.properties['kind'] === 'thermal-radiation');
    for (const z of zones) {
      const [upwind, downwind] = z.properties['beyondEdgeM'] as [number, number];
      expect(downwind).toBeGreaterThan(upwind);
    }
  });
});

describe.each([
  ['dike-fire', () => dike, '防火堤池火'],
  ['vce', () => gas, '蒸气云爆炸危险'],
] as const)('%s to the rescue crews', (hazard, run, event) => {
  it('is a schema-valid CAP 1.2 document with every zone as an area', async () => {
    const { site } = run();
    for (const alert of issued(run().alertsOf(hazard))) {
      const xml = buildCapDocument({
        alert,
        identifier: 'X',
        sender: 'ketwin@zhoushan-demo',
        sent: alert.changedAt,
        msgType: 'Alert',
        references: [],
        site: { name: site.name, location: site.location, plan: site.plan },
      });
      expect(await capSchemaErrors(xml)).toEqual([]);
      expect(xml).toContain(`<event>${event}</event>`);
      expect((xml.match(/<area>/g) ?? []).length).toBe(2 * alert.incident!.zones.features.length); // zh-CN and en-US each
    }
  });

  it('sends crews in by a gate outside every zone and not downwind, or stages them upwind beyond the zones', () => {
    const { site } = run();
    const alerts = issued(run().alertsOf(hazard));
    expect(alerts.length).toBeGreaterThan(0);
    for (const alert of alerts) {
      const zones = alert.incident!.planZones!.features;
      const centre = incidentCentre(zones)!;
      const wind = alert.incident!.wind;
      expect(wind).toBeDefined();
      const access = siteAccess(site.plan, centre, zones, { state: 'known', fromDeg: wind!.fromDeg });
      if (access.recommended) {
        expect(zones.some((z) => inZone(z, access.recommended!.gate.position))).toBe(false);
        expect(isDownwind(access.recommended.bearing, wind!.fromDeg)).toBe(false);
      } else {
        expect(access.staging).toBeDefined();
        expect(zones.some((z) => inZone(z, access.staging!.point))).toBe(false);
      }
      // the centre the page works from is the burning dike / the congested volume, not a far zone edge
      const subject = site.assets.find((a) => a.id === alert.incident!.affected[0])! as Tank;
      expect(Math.hypot(centre.x - subject.position.x, centre.y - subject.position.y)).toBeLessThan(80);
    }
  });
});
