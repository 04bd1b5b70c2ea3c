// sim/scenarios/spill-to-sea.yaml through the engine: D2's rainwater drain left open, T202's flange
// leaking into the dike from 5 s. The sump's hydrocarbon detector sees product at once, so spill to
// sea is raised at 5 s; the operator shuts the drain at 120 s and the incident returns once the drain
// has stayed shut for the standard's incident delay-off (awaiting close); the tanks' own level
// noise never counts as a loss (the trend must lose 10 mm first).
import { beforeAll, describe, expect, it } from 'vitest';
import { planToWgs84 } from '../engine/index.ts';
import { parseDuration } from '../standards/index.ts';
import { runScenario, type ScenarioRun } from './scenario-support.ts';

let run: ScenarioRun;
beforeAll(async () => {
  run = await runScenario('spill-to-sea', { secondsPerTick: 1 });
}, 60_000);

describe('scenario spill-to-sea', () => {
  it('raises spill to sea on the sump detector at 5 s and returns it once the drain shut at 120 s has stayed shut for the delay-off', () => {
    const delayOff = parseDuration(run.standard.alarms!.incidentDelayOff!)!.ms;
    const spills = run.alertsOf('spill-to-sea');
    expect(run.timeline(spills).filter(([action]) => action !== 'escalate')).toEqual([
      ['raise', 5_000],
      ['return', 120_000 + delayOff],
    ]);
    const returned = spills.at(-1)!;
    expect(returned.transition?.comment).toBe('condition cleared, awaiting close');
    expect(returned.lifecycle).toMatchObject({ condition: 'returned', closeRequired: true });
    expect(returned.state).not.toBe('cleared'); // a person closes it
    const [raised] = spills;
    expect(raised).toMatchObject({ kind: 'hazard-spill-to-sea', severity: 1, subjects: ['D2'], standard: 'oil-depot-above-ground@1.0.0' });
    expect(raised!.message.en).toBe(
      'Product in Gasoline tank group dike (the dike hydrocarbon detector) while its rainwater drain valve is open: it can run down the drain to the sea (outfall at 450, 500 m on the plan)',
    );
    expect(raised!.message.zh).toContain('防火堤油品检测器报警');
    expect(raised!.actions[0]).toEqual({ zh: '立即关闭防火堤雨水排放阀', en: "Close the dike's rainwater drain valve now" });
  });

  it('carries the dike outline, the boom area at the outfall, every tank of the dike with its inventory, and the wind', () => {
    const incident = run.alertsOf('spill-to-sea')[0]!.incident!;
    expect(incident.affected).toEqual(['D2', 'T201', 'T202']);
    expect(incident.inventory.map((i) => [i.asset, i.product])).toEqual([
      ['T201', 'gasoline'],
      ['T202', 'gasoline'],
    ]);
    for (const item of incident.inventory) expect(item.tonnes).toBeGreaterThan(1_000);
    expect(incident.planZones!.features.map((f) => f.properties.kind)).toEqual(['dike', 'boom-area']);
    const boom = incident.planZones!.features[1]!;
    expect(boom.properties.route).toEqual([expect.any(Array), [450, 500]]);
    // the WGS84 boom area is the same circle about the outfall
    const [lon, lat] = planToWgs84(run.site.location, { x: 450, y: 500 });
    const ring = (incident.zones.features[1]!.geometry.coordinates as [number, number][][])[0]!;
    const centre = ring.slice(0, -1).reduce(([a, b], [x, y]) => [a + x / (ring.length - 1), b + y / (ring.length - 1)], [0, 0]);
    expect(centre[0]).toBeCloseTo(lon, 5);
    expect(centre[1]).toBeCloseTo(lat, 5);
    expect(incident.wind?.speedMs).toBeGreaterThan(0);
  });

  it('no tank is taken for losing product while its level only wanders', () => {
    for (const alert of run.alertsOf('spill-to-sea')) expect(alert.message.en).not.toContain('level falling');
  });
});
