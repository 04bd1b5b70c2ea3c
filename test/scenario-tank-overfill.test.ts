// sim/scenarios/tank-overfill.yaml through the engine: T201 is ramped to 15.3 m, two transfer pumps
// (3000 m³/h) drive it past high, high-high and critical-high until it spills into dike D2 and the
// vapour drifts south over GD201; the pumps are stopped at 150 s of timeline.
//
// The timeline is played in depot time: the live simulator shows "an hour of depot life a minute"
// (60 simulated seconds a 1-second scan), so a timeline second is a depot minute here (speed 1/60),
// scanned every 5 s with 5 simulated seconds a scan. The engine's clock and the tank's physics then
// agree: the pumps' 3000 m³/h over T201's π·40.5²/4 = 1,288 m² is 2.33 m/h to the forecast too.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../model/index.ts';
import { parseDuration } from '../standards/index.ts';
import { runScenario, T0, type ScenarioRun } from './scenario-support.ts';

const S = 1_000;
let run: ScenarioRun;
beforeAll(async () => {
  run = await runScenario('tank-overfill', { tickMs: 5 * S, secondsPerTick: 5, speed: 1 / 60, untilMs: 9_300 * S });
}, 120_000);

const RATE = 3000 / ((Math.PI * 40.5 ** 2) / 4); // m/h
const level = (ms: number) => run.samples.filter((s) => s.point === 'T201.level' && s.ts <= T0 + ms).at(-1)!.value as number;
/** the first scan (every 5 s) by which the pumps, started at 1,255 s of depot time from 15.3 m, carry T201 to `metres` */
const reaches = (metres: number) => Math.ceil((1_255 * S + ((metres - 15.3) / RATE) * 3_600 * S) / (5 * S)) * 5 * S;
const delayOn = (clause: string) => parseDuration(run.standard.clauses.find((c) => c.id === clause)!.delayOn ?? 'PT0S')!.ms;
const raised = (alerts: Alert[]) => alerts.filter((a) => a.transition?.action === 'raise' || a.transition?.action === 'return');
const clauseAlarm = (clause: string) => run.alerts.find((a) => a.clause === clause && a.subjects[0] === 'T201' && a.transition?.action === 'raise')!;

describe('scenario tank-overfill', () => {
  it('plays the pumps at 2.33 m/h from 15.3 m: high at 1,730 s, high-high at 2,650 s, the shell top (17.8 m) at 5,120 s', () => {
    expect(level(1_260 * S)).toBeCloseTo(15.3, 2);
    expect(RATE).toBeCloseTo(2.33, 2);
    // the high clause waits its 10 s delay-on; high-high has none
    expect(clauseAlarm('GB50074-15.1.1-HIGH').raisedAt - T0).toBe(reaches(15.6) + delayOn('GB50074-15.1.1-HIGH'));
    expect(clauseAlarm('GB50074-15.1.2-HH').raisedAt - T0).toBe(reaches(16.2) + delayOn('GB50074-15.1.2-HH'));
    expect(clauseAlarm('GB50074-15.1.1-HIGH').raisedAt - T0).toBe(1_730 * S);
    expect(clauseAlarm('GB50074-15.1.2-HH').raisedAt - T0).toBe(2_650 * S);
    expect(reaches(17.8)).toBe(5_120 * S);
    expect(level(5_120 * S)).toBeCloseTo(17.8, 2);
  });

  it('forecasts the overfill 30 min ahead (API 2350 category 2), before high-high and critical-high, with the countdown to critical-high', () => {
    const overfill = run.alertsOf('overfill').filter((a) => a.incident);
    const timeline = run.timeline(raised(overfill));
    // the set-up ramp (7.8 → 15.3 m in 20 min, ≈ 22 m/h) is itself a fill heading over critical-high: raised at
    // its third reading; it flaps while the 5-min trend window moves from the ramp onto the pumps' 2.33 m/h
    expect(timeline[0]).toEqual(['raise', 200]);
    // at 2.33 m/h the forecast falls to 30 min at 16.9 − 2.33/2 = 15.74 m
    const forecast = overfill.find((a) => a.transition?.action === 'raise' && a.changedAt - T0 > 1_600 * S)!;
    // (the alarm is re-raised: its raisedAt stays that of the first raise)
    expect(forecast.changedAt - T0).toBe(1_930 * S);
    expect(forecast.changedAt - T0).toBe(reaches(16.9 - RATE / 2));
    expect(forecast.changedAt).toBeLessThan(clauseAlarm('GB50074-15.1.2-HH').raisedAt);
    // high (15.6 m) is only 1.3 m below critical-high: at 2.33 m/h that is 33 min, more than the 30-min response time,
    // so the high alarm comes first here
    expect(clauseAlarm('GB50074-15.1.1-HIGH').raisedAt).toBeLessThan(forecast.changedAt);
    const countdown = forecast.incident!.countdowns[0]!;
    const criticalHigh = T0 + 1_255 * S + ((16.9 - 15.3) / RATE) * 3_600 * S;
    expect(Math.abs(countdown.deadline - criticalHigh)).toBeLessThan(30 * S);
    expect(forecast.message.en).toContain('2.33 m/h');
    expect(forecast.message.en).toContain('30-min response time');
    expect(forecast.incident!.wind).toEqual({ speedMs: 1.5, fromDeg: 10 });
    expect(forecast.incident!.planZones!.features[0]!.properties).toMatchObject({ kind: 'dike' });
    expect(forecast.actions[0]!.en).toContain('stop filling');
    // pegged at the top of the shell the level stops rising, but it is above critical high: the forecast holds
    // (no all-clear while product overflows), like the high-high alarm
    expect(timeline.filter(([, t]) => t >= 1_930 * S).map(([action]) => action)).not.toContain('return');
  });

  it('the spill sends vapour over GD201 and into the pump house: a gas cloud south-south-west of T201 at 5,120 s, returned 60 s after the pumps stop and the delay-off', () => {
    const clouds = run.alertsOf('gas-cloud');
    const incidentDelayOff = parseDuration(run.standard.alarms!.incidentDelayOff!)!.ms;
    expect(run.timeline(raised(clouds))).toEqual([
      ['raise', 5_120 * S],
      // the leak ends with the overflow at 9,000 s; the detectors leave the cloud 60 s after; the cloud stays gone for the delay-off
      ['return', 9_060 * S + incidentDelayOff],
    ]);
    expect(clouds.at(-1)!.lifecycle).toMatchObject({ condition: 'returned', closeRequired: true });
    const cloud = clouds[0]!;
    const details = cloud.incident!;
    // the plume (class F at night, 1.5 m/s) reaches the pump house and the pipe rack south of D2: congested
    // areas (engine/hazards/vce.ts), so they are among the affected
    expect(details.affected).toEqual(['GD201', 'GDP1', 'D2', 'PH1', 'PR1']);
    expect(details.wind).toEqual({ speedMs: 1.5, fromDeg: 10 });
    expect(cloud.message.en).toContain('towards 190°');
    expect(cloud.message.en).toContain('2 of them having reached the second alarm');
    // the siren (350, 70) stands in the 300 m downwind evacuation of the second alarm
    expect(cloud.message.en).toContain('ignition sources in the cordon: SR1;');
    // GD201 watches T201, brim-full: 17.8 m × 1,288 m² × 0.75 t/m³ ≈ 17,198 t
    expect(details.inventory).toEqual([{ asset: 'T201', product: 'gasoline', tonnes: Math.round(17.8 * ((Math.PI * 40.5 ** 2) / 4) * 0.75) }]);
    // the cloud reaches south (downwind) of GD201 (395, 340), not north of it
    const ring = (details.planZones!.features.find((f) => f.properties['kind'] === 'gas-cloud')!.geometry as { coordinates: [number, number][][] }).coordinates[0]!;
    expect(Math.min(...ring.map((p) => p[1]))).toBeLessThan(340 - 90);
    expect(Math.max(...ring.map((p) => p[1]))).toBeLessThanOrEqual(340 + 10);
    expect(cloud.actions.map((a) => a.zh).join('')).toContain('SR1');
    // the clause alarm on GD201 and the incident come together
    const gd201 = run.alerts.find((a) => a.kind === 'gas-leak' && a.subjects[0] === 'GD201')!;
    expect(gd201.raisedAt).toBe(cloud.raisedAt);
  });
});
