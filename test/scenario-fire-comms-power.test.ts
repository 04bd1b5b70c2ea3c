// sim/scenarios/fire-comms-power.yaml through the engine: lightning sets T101's rim seal on fire at 0 s,
// mains is lost from 20 s to 240 s, the fire RTU is off the network from 40 s to 160 s, the fire is
// full-surface from 60 s and out at 300 s. The fire stays the red incident throughout, the comms loss is
// alarmed, nothing the RTU served reads safer while it is away, and everything returns. Played again
// with the generator's fuel tank empty: the power loss is then protection lost, and the fire pumps, last
// seen without pressure before the RTU went, are counted lost too — missing data does not restore them.
import { beforeAll, describe, expect, it } from 'vitest';
import { scenarioLibrary } from '../cli/exercise-scenarios.ts';
import { loadScenario, type Scenario, type ScenarioStep } from '../sim/index.ts';
import { parseDuration } from '../standards/index.ts';
import { runScenario, T0, type ScenarioRun } from './scenario-support.ts';

const S = 1_000;
const END = 400 * S;
let scenario: Scenario;
let asShipped: ScenarioRun;
let noFuel: ScenarioRun;
/** the same timeline with the generator's fuel tank emptied first (set, then released into the model) */
const emptyFuel = (shipped: Scenario): Scenario => ({
  ...shipped,
  steps: [{ at: 0, action: 'set', point: 'GEN1.fuel_level', value: 0 }, { at: 0, action: 'release', point: 'GEN1.fuel_level' }, ...shipped.steps],
});
beforeAll(async () => {
  scenario = await loadScenario('fire-comms-power');
  asShipped = await runScenario('fire-comms-power', { secondsPerTick: 1, untilMs: END });
  noFuel = await runScenario('fire-comms-power', { secondsPerTick: 1, untilMs: END, edit: emptyFuel });
}, 60_000);

/** when the detectors see a step, ms: a step runs before the scan due with it; the first scan, at 0, comes before any step */
const seen = (match: (s: ScenarioStep) => boolean) => Math.max(S, scenario.steps.find(match)!.at * S);
const ignited = () => seen((s) => s.action === 'fire' && s.stage === 'rim-seal');
const out = () => seen((s) => s.action === 'fire' && s.stage === 'none');
const mainsLost = () => seen((s) => s.action === 'mains' && !s.available);
const mainsBack = () => seen((s) => s.action === 'mains' && s.available);
const dropped = () => seen((s) => s.action === 'drop' && s.source === 'rtu-fire');
const restored = () => seen((s) => s.action === 'restore' && s.source === 'rtu-fire');

const values = (run: ScenarioRun, point: string) => run.samples.filter((s) => s.point === point).map((s) => [s.ts - T0, s.value, s.quality] as const);
/** the ms at which a point changes value or quality, and to what */
const changes = (run: ScenarioRun, point: string) => values(run, point).filter(([, v, q], i, all) => i === 0 || v !== all[i - 1]![1] || q !== all[i - 1]![2]);
const delayOff = (run: ScenarioRun) => parseDuration(run.standard.alarms!.incidentDelayOff!)!.ms;
const rtuPoints = (run: ScenarioRun) => run.site.points.filter((p) => p.source === 'rtu-fire').map((p) => p.id);

describe('scenario fire-comms-power', () => {
  it('plays in the order of its header: fire, mains lost, the fire RTU dropped, full-surface, RTU back, mains back, fire out', () => {
    const order = [ignited, mainsLost, dropped, restored, mainsBack, out].map((f) => f());
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(out() + delayOff(asShipped)).toBeLessThan(END); // the returns happen within the play
  });

  it('raises the T101 tank fire first and holds it active, severity 1, until the fire has been out for the delay-off', () => {
    for (const run of [asShipped, noFuel]) {
      const raised = run.alerts.filter((a) => a.incident && a.transition?.action === 'raise');
      expect(raised[0]).toMatchObject({ kind: 'hazard-tank-fire', subjects: ['T101'], severity: 1, raisedAt: T0 + ignited() });
      const fire = run.alertsOf('tank-fire');
      expect(new Set(fire.map((a) => a.id)).size).toBe(1);
      // raised, redrawn and re-issued as the fire grows, escalated unacknowledged; it returns only after the fire is out
      const returned = fire.filter((a) => a.transition?.action === 'return');
      expect(run.timeline(returned)).toEqual([['return', out() + delayOff(run)]]);
      for (const a of fire.filter((x) => x.changedAt < T0 + out() + delayOff(run))) expect(a.lifecycle?.condition, `${a.transition?.action} at ${a.changedAt - T0}`).toBe('active');
      expect(fire.some((a) => a.transition?.action === 'update' && a.message.en.includes('full-surface fire'))).toBe(true);
    }
  });

  it('reads every RTU point bad (connection lost) once when the RTU drops and nothing good until it is back; the tank-farm PLC carries on', () => {
    for (const run of [asShipped, noFuel]) {
      expect(changes(run, 'rtu-fire.online').map(([t, v]) => [t, v])).toEqual([
        [dropped(), false],
        [restored(), true],
      ]);
      for (const point of rtuPoints(run)) {
        const during = run.samples.filter((s) => s.point === point && s.ts >= T0 + dropped() && s.ts < T0 + restored());
        expect(
          during.map((s) => [s.ts - T0, s.quality, s.reason]),
          point,
        ).toEqual([[dropped(), 'bad', 'connection lost']]);
      }
      // the fire is still seen: the seal and flame detectors are on the tank-farm PLC
      const flame = run.samples.filter((s) => s.point === 'T101.flame' && s.ts > T0 + dropped() && s.ts < T0 + restored());
      expect(flame.length).toBeGreaterThan(100);
      expect(flame.every((s) => s.quality === 'good')).toBe(true);
    }
  });

  it('alarms the communications loss on the fire RTU 10 s after it drops and returns it when it is back', () => {
    for (const run of [asShipped, noFuel]) {
      const comms = run.alertsOf('comms-loss');
      expect(run.timeline(comms)).toEqual([
        ['raise', dropped() + 10 * S],
        ['return', restored()],
      ]);
      expect(comms[0]).toMatchObject({ severity: 2, subjects: ['rtu-fire'] });
      expect(comms[0]!.message.en).toContain(`its ${rtuPoints(run).length} points are unavailable`);
    }
  });

  it("turns the RTU's clauses (fire water, pumps, generator) unknown while it is away — never a pass on missing data", () => {
    for (const run of [asShipped, noFuel]) {
      for (const [clause, subject] of [
        ['GB50074-12.1.5-POOL-LEVEL', 'FWP1'],
        ['GB50074-12.1.5-PUMP-PRESSURE', 'FP1'],
        ['GB50074-12.1.5-PUMP-PRESSURE', 'FP2'],
        ['RF-COMMS-POWER', 'GEN1'],
      ] as const) {
        const verdicts = run.verdicts(clause, subject);
        const during = verdicts.filter(([, t]) => t >= dropped() && t < restored());
        expect(during, `${clause} ${subject}`).toEqual([['unknown', dropped()]]);
        expect(verdicts.filter(([, t]) => t < dropped()).at(-1)?.[0], `${clause} ${subject} before`).toBeDefined();
      }
      // coverage falls with the RTU and comes back with it
      const before = run.scores.filter((s) => s.ts < T0 + dropped()).at(-1)!.coverage;
      const lost = run.scores.filter((s) => s.ts < T0 + restored()).at(-1)!.coverage;
      expect(lost).toBeLessThan(before);
      expect(run.scores.filter((s) => s.ts >= T0 + restored()).at(-1)!.coverage).toBe(before);
    }
    // as shipped the generator is ready and fuelled: the clauses pass again on the RTU's return
    expect(asShipped.verdicts('RF-COMMS-POWER', 'GEN1').at(-1)).toEqual(['pass', restored()]);
    expect(asShipped.verdicts('GB50074-12.1.5-PUMP-PRESSURE', 'FP1').at(-1)).toEqual(['pass', restored()]);
  });

  it('keeps the live risk red from the ignition until the fire incident returns — stale data never lowers it — and blue after', () => {
    for (const run of [asShipped, noFuel]) {
      const burning = run.scores.filter((s) => s.ts >= T0 + ignited() && s.ts < T0 + out() + delayOff(run));
      expect(burning.length).toBeGreaterThan(0);
      expect(burning.filter((s) => s.ts >= T0 + dropped() && s.ts < T0 + restored()).length).toBeGreaterThan(0); // scored while the RTU is away
      for (const s of burning) {
        expect(s.risk, `risk at ${s.ts - T0}`).toBe('red');
        expect(s.riskReason.en).toContain('Tank fire at T101 (severity 1)');
      }
      expect(run.scores.at(-1)).toMatchObject({ risk: 'blue' });
      expect(run.scores.at(-1)!.ts).toBe(T0 + out() + delayOff(run));
    }
  });

  it('as shipped: the generator takes the load within 10 s of the mains loss and stops when mains returns; no protection is lost', () => {
    expect(changes(asShipped, 'GEN1.mains_available').map(([t, v]) => [t, v])).toEqual([
      [0, true],
      [mainsLost(), false],
      [mainsBack(), true],
    ]);
    const running = changes(asShipped, 'GEN1.running').map(([t, v]) => [t, v]);
    expect(running.map(([, v]) => v)).toEqual([false, true, false]);
    expect(running[1]![0]).toBeGreaterThan(mainsLost());
    expect(running[1]![0]).toBeLessThanOrEqual(mainsLost() + 10 * S);
    expect(running[2]![0]).toBe(mainsBack());
    // the fire pumps, running on the fire, lose pressure only until the generator carries them
    const pressure = changes(asShipped, 'FP1.pressure').filter(([t]) => t < dropped());
    expect(pressure.map(([t, v]) => [t, v])).toEqual([
      [0, pressure[0]![1]],
      [ignited(), 0.8],
      [mainsLost(), 0],
      [running[1]![0], 0.8],
    ]);
    expect(asShipped.alertsOf('protection-lost')).toEqual([]);
    // the fire (and its boilover forecast) and the comms loss; one source lost is no attack on a site of two
    expect([...new Set(asShipped.alerts.map((a) => a.kind))].sort()).toEqual(['comms-loss', 'hazard-boilover', 'hazard-tank-fire']);
  });

  it('without fuel: the power loss is protection lost 30 s after; the pumps, last seen without pressure, are added while the RTU is away and return with mains', () => {
    expect(changes(noFuel, 'GEN1.running').map(([, v]) => v)).toEqual([false]);
    const lost = noFuel.alertsOf('protection-lost');
    const backupDelay = 30 * S; // GB 50016 §10.1.4, the standard's delaySeconds.backup-power
    const pumpsDelay = 60 * S;
    expect(noFuel.timeline(lost).filter(([action]) => action !== 'escalate')).toEqual([
      ['raise', mainsLost() + backupDelay],
      ['update', mainsLost() + pumpsDelay], // the RTU went at 40 s: no reading restores the pumps
      ['update', mainsBack()], // mains back: backup power no longer lost …
      ['return', mainsBack() + delayOff(noFuel)], // … and in the same scan the pumps' pressure: clear, returned after the delay-off
    ]);
    expect(mainsLost() + pumpsDelay).toBeGreaterThan(dropped());
    expect(mainsLost() + pumpsDelay).toBeLessThan(restored());
    expect(lost[0]).toMatchObject({ severity: 2, subjects: ['zhoushan-demo'] });
    expect(lost[0]!.message.en).toContain('protection lost — mains lost and Emergency diesel generator not running; now unmitigated:');
    expect(lost[0]!.message.en).toMatch(/unmitigated: .*Tank fire/);
    expect(lost[1]!.message.en).toContain('no pressure on Fire water pump 1, Fire water pump 2 (standby), mains lost and Emergency diesel generator not running');
    expect(lost.at(-1)!.lifecycle).toMatchObject({ condition: 'returned', closeRequired: true });
    // back from the RTU the pumps read the truth (no power, no pressure), the generator not ready: both clauses fail until mains
    expect(noFuel.verdicts('GB50074-12.1.5-PUMP-PRESSURE', 'FP1').filter(([, t]) => t >= restored())).toEqual([
      ['fail', restored()],
      ['pass', mainsBack()],
    ]);
    expect(noFuel.verdicts('RF-COMMS-POWER', 'GEN1').filter(([, t]) => t >= restored())).toEqual([['fail', restored()]]);
  });

  it('is offered as an exercise on the demo site', async () => {
    const list = await scenarioLibrary().list(asShipped.site);
    expect(list).toContainEqual({ name: 'fire-comms-power', title: scenario.title });
  });
});
