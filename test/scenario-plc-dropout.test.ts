// sim/scenarios/plc-dropout.yaml through the engine: the tank-farm PLC is off the network from 5 s
// to 35 s. Communications loss is alarmed, the PLC's clauses are unknown (never a pass) meanwhile,
// and one lost source with no fire is no attack.
import { beforeAll, describe, expect, it } from 'vitest';
import { runScenario, T0, type ScenarioRun } from './scenario-support.ts';

let run: ScenarioRun;
beforeAll(async () => {
  run = await runScenario('plc-dropout', { secondsPerTick: 1 });
}, 60_000);

describe('scenario plc-dropout', () => {
  it('the collector reports plc-tankfarm.online false at 5 s with every PLC point bad once, nothing until 35 s, then all good', () => {
    expect(run.samples.filter((s) => s.point.endsWith('.online')).map((s) => [s.point, s.value, s.ts - T0])).toEqual([
      ['plc-tankfarm.online', false, 5_000],
      ['plc-tankfarm.online', true, 35_000],
    ]);
    const plcPoints = run.site.points.filter((p) => p.source === 'plc-tankfarm').map((p) => p.id);
    for (const point of plcPoints) {
      const during = run.samples.filter((s) => s.point === point && s.ts >= T0 + 5_000 && s.ts < T0 + 35_000);
      expect(
        during.map((s) => [s.quality, s.reason]),
        point,
      ).toEqual([['bad', 'connection lost']]);
    }
    // the RTU's points carry on every second
    expect(run.samples.filter((s) => s.point === 'FWP1.level' && s.ts > T0 + 5_000 && s.ts < T0 + 35_000 && s.quality === 'good')).toHaveLength(29);
  });

  it('alarms the communications loss at 15 s (10 s on-delay) and returns it at 35 s, naming the source', () => {
    const comms = run.alertsOf('comms-loss');
    expect(run.timeline(comms)).toEqual([
      ['raise', 15_000],
      ['return', 35_000],
    ]);
    expect(comms[0]).toMatchObject({ severity: 2, subjects: ['plc-tankfarm'] });
    const served = run.site.points.filter((p) => p.source === 'plc-tankfarm').length;
    expect(comms[0]!.message.en).toContain(
      `Source plc-tankfarm (opcua, opc.tcp://127.0.0.1:48400/ketwin) has been unreachable for over 10 s: its ${served} points are unavailable`,
    );
    expect(comms[0]!.message.zh).toContain('通信中断');
    expect(comms[0]!.actions.map((a) => a.en)).toContain('Check the network link, the switch and the PLC/RTU power');
    // returned but not acknowledged: it stays open until someone acknowledges it (ISA-18.2)
    expect(run.snapshot.alerts.find((a) => a.kind === 'comms-loss')?.lifecycle).toMatchObject({ condition: 'returned', acknowledged: false });
  });

  it("turns the PLC's live clauses unknown from 5 s to 35 s and leaves the RTU's alone", () => {
    expect(run.verdicts('GB50074-15.1.2-HH', 'T201')).toEqual([
      ['pass', 0],
      ['unknown', 5_000],
      ['pass', 35_000],
    ]);
    expect(run.verdicts('GB50074-12.1.5-POOL-LEVEL', 'FWP1').map(([v]) => v)).toEqual(['pass']);
    // coverage before the dropout, once every PLC clause has gone unknown at 5 s, and on every score until 35 s
    const before = run.scores.filter((s) => s.ts < T0 + 5_000).at(-1)!.coverage;
    const lost = run.scores.filter((s) => s.ts === T0 + 5_000).at(-1)!.coverage;
    expect(lost).toBeLessThan(before);
    const during = run.scores.filter((s) => s.ts > T0 + 5_000 && s.ts < T0 + 35_000);
    // the comms-loss alarm at 15 s changes what drives the live risk: a score of its own, coverage still down
    expect(during.map((s) => s.ts - T0)).toEqual([15_000]);
    expect(during[0]!.riskReason.en).toContain('communications lost with plc-tankfarm');
    for (const s of during) expect(s.coverage).toBe(lost);
    expect(run.scores.at(-1)!.coverage).toBe(before); // all back at 35 s
  });

  it('raises no incident: one lost source without a fire is no attack, and no protection is known lost', () => {
    expect(run.alerts.filter((a) => a.incident)).toEqual([]);
  });
});
