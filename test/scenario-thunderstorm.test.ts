// sim/scenarios/thunderstorm.yaml through the engine under standard 1.1.0: the field mill rises, the
// lightning location feed reports strikes at 25, 8, 3 and 4 km, then 18 km as the storm leaves; the
// warning walks levels 1 → 2 → 3, steps down as the strikes age and clears 30 min after the last. The
// same storm with the feed failing while at level 3 reads "lightning unknown" and never clears blind.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../model/index.ts';
import { parseDuration } from '../standards/index.ts';
import { runScenario, T0, type ScenarioRun } from './scenario-support.ts';

const MIN = 60_000;
let storm: ScenarioRun;
let blind: ScenarioRun;
beforeAll(async () => {
  [storm, blind] = await Promise.all([
    runScenario('thunderstorm', { secondsPerTick: 1, untilMs: 50 * MIN, standardVersion: '1.1.0' }),
    runScenario('thunderstorm', {
      secondsPerTick: 1,
      untilMs: 45 * MIN,
      standardVersion: '1.1.0',
      edit: (s) => ({ ...s, steps: [...s.steps, { at: 700, action: 'fail', point: 'LD1.strike_distance', failure: 'timeout' }] }),
    }),
  ]);
}, 180_000);

const warnings = (run: ScenarioRun) => run.alertsOf('lightning').filter((a) => a.transition?.action !== 'escalate');
const levelOf = (a: Alert) => Number(/warning level (\d)/.exec(a.message.en)?.[1]);

describe('scenario thunderstorm', () => {
  it("walks the warning 1 → 2 → 3 → 1 → clear, with each level's actions and severity", () => {
    const delayOff = parseDuration(storm.standard.alarms!.incidentDelayOff!)!.ms;
    // level 1 from the first reading of the rising field at or above 2 kV/m
    const fieldUp = storm.samples.find((s) => s.point === 'LD1.electric_field' && (s.value as number) >= 2)!.ts - T0;
    const seen = warnings(storm);
    expect(seen.map((a) => [a.transition?.action, a.changedAt - T0, levelOf(a), a.severity])).toEqual([
      ['raise', fieldUp, 1, 3],
      ['update', 300_000, 2, 2],
      ['update', 480_000, 3, 1],
      ['update', 601_000 + 10 * MIN, 1, 3], // the 4 km strike of 600–601 s is 10 min old; the 18 km one of 900 s still counts
      ['return', 901_000 + 30 * MIN + delayOff, 1, 3], // 30 min after the last strike, the field long fallen
    ]);
    const three = seen[2]!;
    expect(three.actions.map((a) => a.en).slice(0, 3)).toEqual([
      'Ready the foam and cooling water systems; the shift watches the warning',
      'Stop transfers (loading, unloading, tank to tank) and all hot work',
      'Withdraw everyone from the tank tops and the tank farm indoors now',
    ]);
    expect(three.actions.map((a) => a.zh)).toContain('罐顶及罐区内作业人员立即撤离到室内');
    expect(three.message.zh).toMatch(/^雷电预警系统：雷电预警 3 级 — 最近雷击 3 km/);
    // the live risk follows the level: severity 1 at level 3 is the present danger
    const redAt = storm.scores.find((s) => s.ts - T0 >= 480_000 && s.risk === 'red');
    expect(redAt?.riskReason?.en).toContain('Lightning warning');
  });

  it('a feed that fails at level 3 reads "lightning unknown": held at level 3, no step down, no all clear while blind', () => {
    const seen = warnings(blind);
    expect(seen.map((a) => [a.transition?.action, a.changedAt - T0, levelOf(a)])).toEqual([
      ['raise', expect.any(Number), 1],
      ['update', 300_000, 2],
      ['update', 480_000, 3],
      ['update', 700_000, 3],
    ]);
    expect(seen.at(-1)!.message.en).toMatch(/lightning unknown: no good reading from the feed since \d\d:\d\d; keep the level 3 measures$/);
    expect(seen.at(-1)!.lifecycle?.condition).toBe('active'); // 45 min on, still active: never "clear" on a blind feed
  });
});
