// sim/scenarios/mains-power-loss.yaml through the engine: mains lost for 120 s. The generator takes
// the load within 30 s (GB 50016 §10.1.4), so no protection is lost; played again with its fuel tank
// empty, backup power is lost at 30 s, the fire pumps (no power, no pressure) at 60 s, both back with mains;
// the incident returns once mains has stayed back for the standard's incident delay-off.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../sim/index.ts';
import { parseDuration } from '../standards/index.ts';
import { runScenario, T0, type ScenarioRun } from './scenario-support.ts';

let asShipped: ScenarioRun;
let noFuel: ScenarioRun;
/** the same timeline with the generator's fuel tank emptied first (set, then released into the model) */
const emptyFuel = (scenario: Scenario): Scenario => ({
  ...scenario,
  steps: [{ at: 0, action: 'set', point: 'GEN1.fuel_level', value: 0 }, { at: 0, action: 'release', point: 'GEN1.fuel_level' }, ...scenario.steps],
});
beforeAll(async () => {
  asShipped = await runScenario('mains-power-loss', { secondsPerTick: 1 });
  noFuel = await runScenario('mains-power-loss', { secondsPerTick: 1, edit: emptyFuel });
}, 60_000);

const values = (run: ScenarioRun, point: string) => run.samples.filter((s) => s.point === point).map((s) => [s.ts - T0, s.value]);
/** the ms at which a boolean point changes value, and to what */
const changes = (run: ScenarioRun, point: string) => values(run, point).filter(([, v], i, all) => i === 0 || v !== all[i - 1]![1]);

describe('scenario mains-power-loss', () => {
  it('as shipped: mains lost at 0, the generator running from 10 s, stopping when mains returns at 120 s', () => {
    expect(changes(asShipped, 'GEN1.mains_available')).toEqual([
      [0, true],
      [1_000, false],
      [120_000, true],
    ]);
    expect(changes(asShipped, 'GEN1.running')).toEqual([
      [0, false],
      [10_000, true],
      [120_000, false],
    ]);
    // the pumps lose their standby pressure only while nothing powers them (1 s … 9 s)
    expect(
      changes(asShipped, 'FP1.pressure')
        .filter(([, v]) => v === 0)
        .map(([t]) => t),
    ).toEqual([1_000]);
  });

  it('as shipped: raises no incident — the generator took over within the 30 s the standard allows', () => {
    expect(asShipped.alerts.filter((a) => a.incident)).toEqual([]);
    expect(asShipped.verdicts('RF-COMMS-POWER', 'GEN1').map(([v]) => v)).not.toContain('fail');
  });

  it('without fuel: protection lost at 31 s (backup power), the fire pumps added at 61 s, returned once mains, back at 120 s, has stayed back for the delay-off', () => {
    const delayOff = parseDuration(noFuel.standard.alarms!.incidentDelayOff!)!.ms;
    expect(changes(noFuel, 'GEN1.running')).toEqual([[0, false]]);
    const lost = noFuel.alertsOf('protection-lost');
    expect(noFuel.timeline(lost).filter(([action]) => action !== 'escalate')).toEqual([
      ['raise', 31_000], // mains seen lost at 1 s + 30 s
      ['update', 61_000], // no pump pressure from 1 s + 1 min
      ['update', 120_000], // mains back: backup power no longer lost …
      ['return', 120_000 + delayOff], // … and, in the same scan, pump pressure back: clear from 120 s, returned after the delay-off
    ]);
    expect(lost.at(-1)!.lifecycle).toMatchObject({ condition: 'returned', closeRequired: true });
    expect(lost[0]!.message.en).toContain('protection lost — mains lost and Emergency diesel generator not running; now unmitigated:');
    expect(lost[0]!.message.zh).toContain('市电中断且应急柴油发电机未运行');
    expect(lost[1]!.message.en).toContain('no pressure on Fire water pump 1, Fire water pump 2 (standby), mains lost and Emergency diesel generator not running');
    expect(lost[1]!.message.en).toMatch(/unmitigated: .*Tank fire/);
    expect(lost[1]!.incident!.affected).toEqual(['FP1', 'FP2', 'GEN1']);
    expect(lost[1]!.incident!.planZones!.features.map((f) => f.geometry.coordinates)).toEqual([
      [150, 110],
      [150, 135],
      [270, 100],
    ]);
    expect(lost[1]!.incident!.zones.features).toHaveLength(3);
    // a fire now would burn unchecked: every tank's inventory, and the wind for the responders
    expect(lost[1]!.incident!.inventory.map((i) => i.asset)).toEqual(['T101', 'T102', 'T201', 'T202', 'T301', 'T302']);
    expect(lost[1]!.incident!.wind).toBeDefined();
    expect(lost[0]!.actions.map((a) => a.en).join(' ')).toContain('restore power');
    expect(noFuel.alerts.filter((a) => a.incident && a.incident.hazard !== 'protection-lost')).toEqual([]);
  });
});
