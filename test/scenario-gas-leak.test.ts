// sim/scenarios/gas-leak.yaml through the engine: a 4 kg/s leak on the crude manifold (215, 320) at
// 2 s, the wind from the east at 1.5 m/s, veering to the west from 30 s over 90 s (2°/s), the leak
// isolated at 150 s, the wind let go at 180 s. The leak's plume moves with the wind at once, so the
// depot's physics run in real time (a simulated second a 1-second scan). The cloud is one incident
// from start to end: it leaves GD101 at 99 s, but the swung plume reaches GD201 at 107 s, inside the
// standard's incident delay-off, so it never returns in between. The scenario runs from 2023-11-14 22:13 UTC (06:13 in
// Zhoushan, the sun 1.4° below the horizon): night, a 1.5 m/s wind, Pasquill class F, so the cloud is a long plume. It covers
// the crude manifold MF1 beside GD101 (a congested volume): a vapour cloud explosion hazard is raised with it.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../model/index.ts';
import { parseDuration } from '../standards/index.ts';
import { runScenario, T0, type ScenarioRun } from './scenario-support.ts';

const S = 1_000;
let run: ScenarioRun;
/** how long an incident's condition must stay clear before it returns (the standard's alarms.incidentDelayOff) */
let delayOff: number;
beforeAll(async () => {
  run = await runScenario('gas-leak', { secondsPerTick: 1 });
  delayOff = parseDuration(run.standard.alarms!.incidentDelayOff!)!.ms;
}, 120_000);

const transitions = (alerts: Alert[]) => alerts.filter((a) => a.transition?.action !== 'escalate');
const gas = (detector: string) => run.samples.filter((s) => s.point === `${detector}.gas`);
/** the first reading of `detector` below its first alarm (20 %LEL) after `from` ms */
const firstBelow = (detector: string, from: number) => gas(detector).find((s) => s.ts > T0 + from && (s.value as number) < 20)!.ts - T0;
const ring = (alert: Alert, kind: string) =>
  (alert.incident!.planZones!.features.find((f) => f.properties['kind'] === kind)!.geometry as { coordinates: [number, number][][] }).coordinates[0]!;

describe('scenario gas-leak', () => {
  it('raises the gas cloud with the GD101 clause alarm when the leak starts, downwind (west) of GD101, at its second alarm', () => {
    const clouds = run.alertsOf('gas-cloud');
    const first = clouds[0]!;
    expect(first.raisedAt - T0).toBe(2 * S);
    const gd101 = run.alerts.find((a) => a.kind === 'gas-leak' && a.subjects[0] === 'GD101')!;
    expect(gd101.raisedAt).toBe(first.raisedAt);
    // the plume covers the crude manifold MF1 (x 155–185) with GD101's 10 m reach: it is named inside the cloud
    expect(first.incident!.affected).toEqual(['GD101', 'D1', 'MF1']);
    expect(first.incident!.wind).toEqual({ speedMs: 1.5, fromDeg: 90 });
    expect(first.message.en).toContain('towards 270°');
    expect(first.message.en).toContain('1 of them having reached the second alarm');
    // second alarm (5 kg/s), class F, 1.5 m/s, crude vapour LEL 0.037 kg/m³: the LEL 219.7 m west of GD101 (150, 300) and the
    // 10 m reach east (before the plume model: a fixed 100 m); ½ LEL at 315.7 m, the cordon 50 m round it and 300 m further west
    const cloud = ring(first, 'gas-cloud').map((p) => p[0]);
    expect([Math.min(...cloud), Math.max(...cloud)]).toEqual([-69.7, 160]); // 150 − 219.7, 150 + 10
    const cordon = ring(first, 'cordon').map((p) => p[0]);
    expect([Math.min(...cordon), Math.max(...cordon)]).toEqual([-515.7, 210]); // 150 − 315.7 − 50 − 300, 150 + 10 + 50
    expect(first.message.en).toContain('Gaussian plume, stability class F, wind 1.5 m/s');
    // GD101 watches T101
    expect(first.incident!.inventory.map((i) => i.asset)).toEqual(['T101']);
    expect(
      first.incident!.zones.features.every(
        (f) => f.geometry.type === 'Point' || f.geometry.coordinates[0]!.every(([lon, lat]) => Math.abs(lon - 122.03) < 0.02 && Math.abs(lat - 30.05) < 0.02),
      ),
    ).toBe(true);
  });

  it('redraws the zones each time the veering wind turns past 22.5° (every 11.3 s at 2°/s); GD101 leaves 60 s after it clears, and the plume at GD201 within the delay-off keeps the incident open', () => {
    const first = transitions(run.alertsOf('gas-cloud')).filter((a) => a.changedAt - T0 < 100 * S);
    const timeline = run.timeline(first);
    expect(timeline.slice(0, 7)).toEqual([
      ['raise', 2 * S],
      ['update', 41_300],
      ['update', 52_600],
      ['update', 63_900],
      ['update', 75_200],
      ['update', 86_500],
      ['update', 97_800],
    ]);
    expect(first.slice(1, 7).map((a) => Math.round(a.incident!.wind!.fromDeg))).toEqual([113, 135, 158, 180, 203, 226]);
    // the cloud swings with the wind: at 75.2 s the wind is from the south, the cloud (LEL, 219.7 m) north of GD101
    const north = ring(first[4]!, 'gas-cloud').map((p) => p[1]);
    expect(Math.max(...north)).toBe(300 + 219.7);
    // GD101 leaves the cloud 60 s after its first reading below the first alarm (99 s); the cloud is back at
    // GD201 at 107 s, before the delay-off has run out: no return, the incident is redrawn without GD101
    const gd101Leaves = firstBelow('GD101', 2 * S) + 60 * S;
    expect(gd101Leaves).toBe(99 * S);
    expect(107 * S).toBeLessThan(gd101Leaves + delayOff);
    const all = transitions(run.alertsOf('gas-cloud'));
    const next = all.find((a) => a.changedAt - T0 > 97_800)!;
    expect(run.timeline([next])).toEqual([['update', 107 * S]]);
    expect(next.incident!.affected).not.toContain('GD101');
    expect(next.lifecycle?.condition).toBe('active');
    expect(all.filter((a) => a.changedAt - T0 <= 107 * S).map((a) => a.transition?.action)).not.toContain('return');
  });

  it('holds the same incident (never returned, so neither re-raised) as the swung plume reaches the gasoline and diesel detectors, and returns once the last detector has left 60 s after the leak is isolated and the delay-off has run', () => {
    const clouds = transitions(run.alertsOf('gas-cloud'));
    expect(new Set(clouds.map((a) => a.id)).size).toBe(1);
    // one raise, one return: everything between is the same incident redrawn
    expect(clouds.map((a) => a.transition?.action).filter((action) => action !== 'update')).toEqual(['raise', 'return']);
    const second = clouds.filter((a) => a.changedAt - T0 > 100 * S);
    expect(second[0]!.transition).toMatchObject({ action: 'update' });
    expect(second[0]!.changedAt - T0).toBe(107 * S);
    expect(second[0]!.incident!.affected.filter((id) => id.startsWith('GD'))).toEqual(['GD201']);
    // the cloud grows as the plume crosses GD102, GD202 and GD301: the largest version holds all four
    const largest = second.reduce((a, b) => (b.incident!.affected.length > a.incident!.affected.length ? b : a));
    expect(largest.incident!.affected.filter((id) => id.startsWith('GD'))).toEqual(['GD102', 'GD201', 'GD202', 'GD301']);
    expect(largest.incident!.inventory.map((i) => i.asset)).toEqual(expect.arrayContaining(['T102', 'T201', 'T202', 'T301']));
    const end = second.at(-1)!;
    expect(end.transition?.action).toBe('return');
    expect(end.transition?.comment).toBe('condition cleared, awaiting close');
    expect(end.lifecycle).toMatchObject({ condition: 'returned', closeRequired: true });
    // every detector under its first alarm after the leak stops at 150 s; the last one leaves 60 s later,
    // and the cloud stays gone for the delay-off
    const lastBelow = Math.max(...['GD102', 'GD201', 'GD202', 'GD301'].map((d) => firstBelow(d, 149 * S)));
    expect(end.changedAt - T0).toBe(lastBelow + 60 * S + delayOff);
    expect(end.changedAt - T0).toBe(210 * S + delayOff);
    // the gas alarms of the clause have all returned by then
    const open = run.snapshot.alerts.filter((a) => a.kind === 'gas-leak' && a.lifecycle?.condition === 'active');
    expect(open).toEqual([]);
  });

  it('raises the vapour cloud explosion hazard with the cloud over the crude manifold MF1, redrawn with it, returned after GD101 leaves', () => {
    const vce = transitions(run.alerts.filter((a) => a.incident?.hazard === 'vce'));
    expect(run.timeline(vce)).toEqual([
      ['raise', 2 * S],
      ['update', 41_300],
      ['update', 52_600],
      ['update', 63_900],
      ['update', 75_200],
      ['update', 86_500],
      ['update', 97_800],
      ['return', 99 * S + delayOff], // GD101 leaves at 99 s; the cloud at GD201 is far from every congested volume
    ]);
    expect(vce[0]!.incident!.affected).toEqual(['MF1']);
    expect(vce[0]!.incident!.planZones!.features.some((f) => f.properties['kind'] === 'overpressure')).toBe(true);
  });

  it('groups the chattering detector alarms under the cloud once they flood (ten in ten minutes, at 124 s)', () => {
    const cloud = run.alertsOf('gas-cloud')[0]!;
    const gas = run.alerts.filter((a) => a.kind === 'gas-leak');
    // annunciations: the cloud and the vapour cloud explosion hazard at 2 s (never re-raised), then the detectors' clause
    // alarms — GD101 at 2 s, …, GD202's fourth at 124 s is the tenth (129 s before the explosion hazard was its own incident)
    const raises = run.alerts.filter((a) => a.transition?.action === 'raise').map((a) => a.changedAt - T0);
    expect(raises.filter((t) => t <= 124 * S)).toHaveLength(10);
    expect(raises.filter((t) => t < 124 * S)).toHaveLength(9);
    const grouped = gas.filter((a) => a.cause === cloud.id);
    expect(grouped[0]!.changedAt - T0).toBe(124 * S);
    expect(gas.filter((a) => a.changedAt - T0 < 124 * S).every((a) => a.cause === undefined)).toBe(true);
    expect(new Set(grouped.map((a) => a.subjects[0]))).toEqual(new Set(['GD102', 'GD201', 'GD202']));
  });

  it('tells responders what to do, in both languages', () => {
    const first = run.alertsOf('gas-cloud')[0]!;
    expect(first.actions).toHaveLength(4);
    for (const action of first.actions) {
      expect(action.zh.length).toBeGreaterThan(5);
      expect(action.en.length).toBeGreaterThan(5);
    }
    expect(first.message.zh).toContain('GD101');
    expect(first.standard).toBe('oil-depot-above-ground@1.0.0');
  });
});
