// sim/scenarios/attack.yaml through the engine: explosion and full-surface fire at T201, both field
// networks cut at 2 s, the RTU back at 60 s, the PLC lost for good; the fire pumps keep drawing the
// pool and the foam down out of sight until the RTU reports again.
import { beforeAll, describe, expect, it } from 'vitest';
import { runScenario, T0, type ScenarioRun } from './scenario-support.ts';

const MIN = 60_000;
let run: ScenarioRun;
beforeAll(async () => {
  // the depot's physics in real time (a simulated second a scan), for 40 minutes
  run = await runScenario('attack', { secondsPerTick: 1, untilMs: 40 * MIN });
}, 60_000);

const at = (ms: number) => T0 + ms;

describe('scenario attack', () => {
  it('the collectors report both sources lost at 2 s and their points bad once, then silent; the RTU back at 60 s', () => {
    const of = (point: string) => run.samples.filter((s) => s.point === point);
    expect(of('plc-tankfarm.online').map((s) => [s.value, s.ts])).toEqual([[false, at(2_000)]]);
    expect(of('rtu-fire.online').map((s) => [s.value, s.ts])).toEqual([
      [false, at(2_000)],
      [true, at(MIN)],
    ]);
    const level = of('T201.level');
    expect(level.at(-1)).toMatchObject({ ts: at(2_000), quality: 'bad', reason: 'connection lost', value: 9.2 });
    const pool = of('FWP1.level').filter((s) => s.ts >= at(2_000) && s.ts <= at(MIN));
    expect(pool.map((s) => [s.ts, s.quality])).toEqual([
      [at(2_000), 'bad'],
      [at(MIN), 'good'],
    ]);
    // in the twin: the PLC's clauses are unknown from 2 s, never pass again
    expect(run.verdicts('GB50074-15.1.2-HH', 'T101').filter(([, since]) => since >= 2_000)).toEqual([['unknown', 2_000]]);
    expect(run.snapshot.values['plc-tankfarm.online']).toMatchObject({ value: false, quality: 'good' });
  });

  it('raises tank fire at 1 s, the suspected attack at 2 s, comms loss at 12 s, then protection lost as the foam (25 min) and the pool (37 min) run out', () => {
    const first = (what: string) => run.alertsOf(what)[0]!.raisedAt - T0;
    expect(first('tank-fire')).toBe(1_000);
    expect(first('suspected-attack')).toBe(2_000);
    expect(
      run
        .alertsOf('comms-loss')
        .filter((a) => a.transition?.action === 'raise')
        .map((a) => [a.subjects[0], a.raisedAt - T0]),
    ).toEqual([
      ['plc-tankfarm', 12_000],
      ['rtu-fire', 12_000],
    ]);
    // foam: 90 % − 30 %/h reaches its 80 % minimum at 20 min, + 5 min delay; pool: 4.9 m − 0.75 m/h (two 450 m³/h
    // pumps over 1,200 m²) reaches 4.5 m at 32 min, + 5 min delay
    expect(run.timeline(run.alertsOf('protection-lost'))).toEqual([
      ['raise', 25 * MIN + 1_000],
      ['update', 37 * MIN + 3_000],
    ]);
    const order = run.alerts
      .filter((a) => a.transition?.action === 'raise' && ['tank-fire', 'suspected-attack', 'protection-lost'].includes(a.incident?.hazard ?? ''))
      .map((a) => a.incident!.hazard);
    expect(order).toEqual(['tank-fire', 'suspected-attack', 'protection-lost']);
  });

  it('holds the suspected attack while the PLC stays lost: updated when the RTU is back, never returned', () => {
    const attack = run.alertsOf('suspected-attack');
    expect(run.timeline(attack).filter(([action]) => action !== 'escalate')).toEqual([
      ['raise', 2_000],
      ['update', MIN],
    ]);
    expect(attack[0]!.message.en).toContain('2 sources lost within 15 s (plc-tankfarm, rtu-fire) together with flame on T201');
    expect(attack[0]!.message.en).toContain('still lost: plc-tankfarm, rtu-fire');
    expect(attack.at(-1)!.message.en).toMatch(/still lost: plc-tankfarm$/);
    expect(run.snapshot.alerts.find((a) => a.incident?.hazard === 'suspected-attack')?.lifecycle?.condition).toBe('active');
    expect(run.timeline(run.alertsOf('comms-loss').filter((a) => a.subjects[0] === 'rtu-fire' && a.transition?.action !== 'escalate'))).toEqual([
      ['raise', 12_000],
      ['return', MIN],
    ]);
  });

  it('carries the zones, inventory and actions a rescue team needs', () => {
    const fire = run.alertsOf('tank-fire')[0]!.incident!;
    // solid flame (engine/hazards/tank-fire-radiation.ts): T201 (D 40.5 m) burning in a 5.4 m/s wind radiates
    // no 37.5 or 25 kW/m² beyond its shell; 12.5 / 4 / 1.6 kW/m² reach 49 / 61 / 77 m from its centre downwind
    expect(fire.planZones!.features.filter((f) => f.properties['kind'] === 'thermal-radiation').map((f) => [f.properties['kWm2'], f.properties['radiusM']])).toEqual([
      [12.5, 49],
      [4, 61],
      [1.6, 77],
    ]);
    expect(fire.affected).toContain('T202');
    const attack = run.alertsOf('suspected-attack')[0]!;
    expect(attack.incident!.planZones!.features.map((f) => f.properties['kind'])).toEqual(['security-cordon']);
    expect(attack.incident!.zones.features).toHaveLength(1);
    // T201 breached to 9.2 m: 9.2 × π·40.5²/4 × 0.75 t/m³ ≈ 8,889 t
    expect(attack.incident!.inventory).toEqual([{ asset: 'T201', product: 'gasoline', tonnes: 8889 }]);
    // the weather station is on the lost PLC: its last reading is bad, so the incident says nothing of the wind
    expect(attack.incident!.wind).toBeUndefined();
    expect(fire.wind).toBeDefined();
    expect(attack.actions.map((a) => a.en).join(' ')).toContain('Call the police (110)');
    expect(attack.actions.every((a) => a.zh.length > 0)).toBe(true);
    const lost = run.alertsOf('protection-lost').at(-1)!;
    expect(lost.message.en).toContain('Fire water pool below the minimum level, Foam station concentrate below its minimum');
    expect(lost.message.en).toContain('Tank fire');
    expect(lost.incident!.planZones!.features.map((f) => [f.properties['asset'], f.geometry.coordinates])).toEqual([
      ['FWP1', [90, 120]],
      ['FS1', [210, 120]],
    ]);
    expect(lost.actions.map((a) => a.en).join(' ')).toContain('external water');
  });
});
