// sim/scenarios/stuck-gauge.yaml through the engine under standard 1.1.0: a Buncefield-like receipt
// into T201 at 550 m³/h; at 600 s the gauge sticks and the independent high-high switch is inoperable.
// The flow meter is the only truth left: the stuck-gauge incident is raised within minutes of the
// stick, long before critical high, and from then on T201's overfill clauses read unknown, never ok.
import { beforeAll, describe, expect, it } from 'vitest';
import { runScenario, T0, type ScenarioRun } from './scenario-support.ts';

const MIN = 60_000;
const FREEZE = 600_000;
let run: ScenarioRun;
beforeAll(async () => {
  run = await runScenario('stuck-gauge', { secondsPerTick: 1, untilMs: 30 * MIN, standardVersion: '1.1.0' });
}, 120_000);

describe('scenario stuck-gauge', () => {
  it('raises the stuck-gauge incident within 10 min of the stick, before the tank reaches critical high, and says when it was first suspected', () => {
    const seen = run.alertsOf('stuck-gauge').filter((a) => a.transition?.action !== 'escalate');
    const [raised] = seen;
    expect(raised).toMatchObject({ kind: 'hazard-stuck-gauge', subjects: ['T201'], severity: 2 });
    const at = raised!.changedAt - T0;
    expect(at).toBeGreaterThan(FREEZE);
    expect(at).toBeLessThanOrEqual(FREEZE + 10 * MIN);
    expect(raised!.message.en).toMatch(/\(first suspected at \d\d:\d\d\)/);
    // the countdown is the flow meter's: critical high (16.9 m) at 0.427 m/h from ~14.1 m is hours away — well after the alarm
    const overfill = raised!.incident!.countdowns.find((c) => c.kind === 'overfill')!;
    expect(overfill.deadline - raised!.changedAt).toBeGreaterThan(5 * 3_600_000);
    // it stays open: the gauge is still stuck when the run ends (a later update says "stuck", the same raise time)
    expect(seen.every((a) => a.raisedAt === raised!.changedAt && a.lifecycle?.condition === 'active')).toBe(true);
    expect(seen.at(-1)!.message.en).toContain('level gauge suspected stuck');
  });

  it("T201's high-high clause reads unknown from the alarm on, never pass, with the gauge's doubt as its reason", () => {
    const raisedAt = run.alertsOf('stuck-gauge')[0]!.changedAt;
    const hh = run.results.filter((r) => r.clause === 'GB50074-15.1.2-HH' && r.subject === 'T201');
    const before = hh.filter((r) => r.since < raisedAt).at(-1)!;
    expect(before.verdict).toBe('pass'); // 14 m against 16.2 m: passing while the gauge was believed
    const after = hh.filter((r) => r.since >= raisedAt);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((r) => r.verdict === 'unknown')).toBe(true);
    expect(JSON.stringify(after[0])).toMatch(/T201\.level is uncertain/);
  });

  it('the routine transfers of the other tanks, whose gauges follow their meters, raise nothing', () => {
    expect(run.alertsOf('stuck-gauge').every((a) => a.subjects[0] === 'T201')).toBe(true);
  });
});
