// The rim-seal-fire scenario's samples (sim/scenario-samples, no sockets) through the real engine on virtual time.
import { TestScheduler } from 'rxjs/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, EngineError } from '../engine/index.ts';
import { loadSite, type Alert, type Sample, type Site, type Tank } from '../model/index.ts';
import { loadScenario, scenarioSamples, type Scenario } from '../sim/index.ts';
import { loadStandard, parseDuration, type Standard } from '../standards/index.ts';

const SITE = new URL('../sites/zhoushan-demo.yaml', import.meta.url).pathname;
const STANDARD = new URL('../standards/oil-depot-above-ground/1.0.0.yaml', import.meta.url).pathname;
const MIN = 60_000;
const END = 6 * MIN;

let site: Site;
let standard: Standard;
let scenario: Scenario;
let alerts: Alert[];
let samples: Sample[];
let acknowledged: Alert | undefined;
let closed: Alert | undefined;
/** what closing the incident while the fire had only just gone out (inside the delay-off) was refused with */
let earlyClose: unknown;
/** how long the fire must stay out before the incident returns (the standard's alarms.incidentDelayOff) */
let delayOff: number;
/** when the foam has put the fire out (the scenario's step, as the detectors see it) */
let fireOut: number;

beforeAll(async () => {
  [site, standard, scenario] = await Promise.all([loadSite(SITE), loadStandard(STANDARD), loadScenario('rim-seal-fire')]);
  delayOff = parseDuration(standard.alarms!.incidentDelayOff!)!.ms;
  fireOut = seen(stepAt('none'));
  alerts = [];
  samples = [];
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  scheduler.run(({ flush }) => {
    const engine = createEngine({ sites: [site], standards: [standard], scheduler });
    engine.alerts$.subscribe((a) => alerts.push(a));
    // one simulated second per scan: the depot's time is the scenario's timeline
    for (const batch of scenarioSamples(site, scenario, { secondsPerTick: 1, untilMs: END })) {
      samples.push(...batch.samples);
      scheduler.schedule(() => batch.samples.forEach((s) => engine.ingest(s)), batch.at);
    }
    const fireId = () => engine.snapshot(site.id)!.alerts.find((a) => a.incident?.hazard === 'tank-fire')!.id;
    // closing before the fire has stayed out for the delay-off is refused: the incident is still active
    scheduler.schedule(
      () => {
        try {
          engine.close(fireId(), 'manager', 'fire out');
        } catch (error) {
          earlyClose = error;
        }
      },
      fireOut + delayOff / 2,
    );
    // the incident commander confirms the fire is out once the incident awaits closing, then closes it
    scheduler.schedule(
      () => {
        acknowledged = engine.acknowledge(fireId(), 'manager', 'foam blanket holds; T101 out, cooling continues');
      },
      fireOut + delayOff + 10_000,
    );
    scheduler.schedule(
      () => {
        closed = engine.close(fireId(), 'manager', 'foam blanket held for 20 s after the return; cooling of T101 and T102 handed to the day shift');
      },
      fireOut + delayOff + 20_000,
    );
    scheduler.schedule(() => engine.dispose(), END);
    flush();
  });
});

const stepAt = (stage: string) => scenario.steps.find((s) => s.action === 'fire' && s.tank === 'T101' && s.stage === stage)!.at * 1000;
/** the detectors are read on each scan, every second from 1 s (0 is the first read, before any step); a step runs before a scan due with it */
const seen = (ms: number) => Math.max(1_000, Math.ceil(ms / 1_000) * 1_000);
const stageOf = (a: Alert) => (a.message.en.includes('full-surface fire') ? 'full-surface' : 'rim-seal');
/** an update the wind made: the fire's stage as it was, redrawn in a wind that moved */
const isRedraw = (a: Alert) => {
  if (a.transition?.action !== 'update') return false;
  const issued = alerts.filter((b) => b.id === a.id && b.changedAt <= a.changedAt && b !== a && (b.transition?.action === 'raise' || b.transition?.action === 'update'));
  return issued.length > 0 && stageOf(issued.at(-1)!) === stageOf(a);
};
/** the weather station's wind as last read at `ms` */
const windAt = (ms: number) => {
  const last = (point: string) => samples.filter((s) => s.point === point && s.ts <= ms).at(-1)!.value as number;
  return { speedMs: last('WS1.wind_speed'), fromDeg: last('WS1.wind_direction') };
};
/** each radiation zone's flux and its reach beyond T101's shell, [upwind, downwind] metres */
const radii = (a: Alert) => a.incident!.planZones!.features.map((f) => [f.properties['kWm2'], f.properties['beyondEdgeM']] as [number, [number, number]]);
/** the flux the message gives on a neighbour's shell, kW/m² */
const shellFlux = (a: Alert, tank: string) => Number(new RegExp(`${tank} (\\d+(?:\\.\\d)?) kW/m²`).exec(a.message.en)?.[1]);
const near = (c: [number, number]) => Math.abs(c[0] - site.location.lon) < 0.01 && Math.abs(c[1] - site.location.lat) < 0.01;

describe('rim-seal-fire through the engine', () => {
  it('raises the T101 tank fire first, when the seal detector alarms; any other incident only once the fire is full-surface', () => {
    const raised = alerts.filter((a) => a.incident && a.transition?.action === 'raise');
    expect(raised[0]).toMatchObject({ kind: 'hazard-tank-fire', subjects: ['T101'], raisedAt: seen(stepAt('rim-seal')), severity: 1 });
    // a crude tank in a full-surface fire may bring a boilover forecast; nothing else happens in this scenario
    for (const other of raised.slice(1)) {
      expect(other.incident!.hazard).toBe('boilover');
      expect(other.subjects).toEqual(['T101']);
      expect(other.raisedAt).toBeGreaterThanOrEqual(stepAt('full-surface'));
    }
    expect(alerts.filter((a) => !a.incident)).toEqual([]); // no clause alarm either: levels, gas, fire water all stay in bounds
  });

  it('forecasts a boilover of crude T101 from the moment its fire is full-surface, counting down from its oil height, until the flame has been out for the delay-off', () => {
    const boilover = alerts.filter((a) => a.incident?.hazard === 'boilover' && a.transition?.action !== 'escalate');
    expect(boilover.map((a) => a.transition?.action)).toEqual(['raise', 'return']);
    const [raised, returned] = boilover as [Alert, Alert];
    expect(raised.changedAt).toBe(seen(stepAt('full-surface')));
    expect(returned.changedAt).toBe(seen(scenario.steps.find((s) => s.action === 'fire' && s.tank === 'T101' && s.stage === 'none')!.at * 1000) + delayOff);
    expect(returned.lifecycle).toMatchObject({ condition: 'returned', closeRequired: true });
    expect(returned.incident!.countdowns).toEqual([]); // no boilover countdown once the fire is out
    // earliest boilover: oil above the assumed 0.5 m water bottom, the heat wave sinking at the fastest 1.2 m/h (standard) below a
    // surface that itself falls at m″/ρ = 0.039/860 m/s (0.163 m/h), from the last level read; the latest at the slowest 0.3 m/h
    const level = samples.filter((x) => x.point === 'T101.level' && x.ts <= raised.changedAt).at(-1)!.value as number;
    const regression = (0.039 / 860) * 3600;
    const countdown = raised.incident!.countdowns.find((c) => c.kind === 'boilover')!;
    expect(Math.abs(countdown.deadline - (raised.changedAt + ((level - 0.5) / (1.2 + regression)) * 3_600_000))).toBeLessThan(60_000);
    const latest = raised.incident!.countdowns.find((c) => c.kind === 'boilover-latest')!;
    expect(Math.abs(latest.deadline - (raised.changedAt + ((level - 0.5) / (0.3 + regression)) * 3_600_000))).toBeLessThan(60_000);
    // evacuation: the larger of 10 diameters and ERG guide 128's 800 m
    const tank = site.assets.find((a): a is Tank => a.id === 'T101')!;
    const radius = Math.max(10 * tank.attributes.diameter, 800);
    expect(raised.incident!.planZones!.features.some((f) => Math.abs(Number(f.properties['radiusM']) - radius) < 1)).toBe(true);
    expect(raised.actions.map((a) => a.en).join(' ')).toContain(`Evacuate everyone within ${radius} m`);
    expect(raised.incident!.inventory.map((i) => i.asset)).toContain('T101');
  });

  it('redraws the zones when the drifting wind turns by more than a compass point or changes speed by more than 2 m/s, and only then', () => {
    const issued = alerts.filter((a) => a.incident?.hazard === 'tank-fire' && (a.transition?.action === 'raise' || a.transition?.action === 'update'));
    const { windShiftDeg, windSpeedShiftMs } = standard.hazards['tank-fire']!.params;
    for (const [i, a] of issued.entries()) {
      if (i === 0 || !isRedraw(a)) continue;
      const before = issued[i - 1]!.incident!.wind!;
      const now = a.incident!.wind!;
      const turn = Math.abs(now.fromDeg - before.fromDeg) % 360;
      expect(
        Math.min(turn, 360 - turn) > (windShiftDeg!.value as number) || Math.abs(now.speedMs - before.speedMs) > (windSpeedShiftMs!.value as number),
        `redraw at ${a.changedAt}`,
      ).toBe(true);
      expect(now).toEqual(windAt(a.changedAt)); // the wind of that instant
    }
    expect(issued.filter(isRedraw).length).toBeGreaterThan(0); // the simulator's seeded wind drifts that far within these minutes
  });

  it('re-issues the incident as the fire spreads, returns it once the foam has kept it out for the delay-off, and clears it only when a person closes it', () => {
    // the wind's redraws are the test above's
    const fire = alerts.filter((a) => a.incident?.hazard === 'tank-fire' && !isRedraw(a));
    expect(new Set(fire.map((a) => a.id)).size).toBe(1);
    expect(fireOut + delayOff + 20_000).toBeLessThan(END); // the commands below ran within the play
    expect(fire.map((a) => [a.changedAt, a.transition?.action, a.transition?.by])).toEqual([
      [seen(stepAt('rim-seal')), 'raise', 'system:engine'],
      [seen(stepAt('full-surface')), 'update', 'system:engine'],
      // unacknowledged and still burning (or inside the delay-off) a severity-1 alarm escalates after 5 min
      [seen(stepAt('rim-seal')) + parseDuration(standard.alarms!.escalateAfter['1'])!.ms, 'escalate', 'system:engine'],
      [seen(stepAt('none')) + delayOff, 'return', 'system:engine'],
      [fireOut + delayOff + 10_000, 'acknowledge', 'manager'],
      [fireOut + delayOff + 20_000, 'close', 'manager'],
    ]);
    const [rim, full, , out, ack, close] = fire as [Alert, Alert, Alert, Alert, Alert, Alert];

    // rim-seal: a ring flame of the 0.9 m seal (≈ 1.6–2.4 m long, E 128 kW/m²: engine/hazards/pool-fire.test.ts), its zones
    // hugging the 40 m shell — every flux of the standard reached within a few metres, 1.6 kW/m² within ~40 m; nobody exposed
    expect(rim.message.en).toMatch(/^Crude tank 1: rim-seal fire — thermal radiation beyond the tank shell/);
    expect(rim.message.zh).toMatch(/^1号原油储罐密封圈火灾：/);
    expect(radii(rim).map(([q]) => q)).toEqual([37.5, 25, 12.5, 4, 1.6]);
    for (const [q, [, far]] of radii(rim)) expect(far, `${q} kW/m²`).toBeLessThanOrEqual(q >= 4 ? 25 : 45);
    expect(shellFlux(rim, 'T102')).toBeLessThan(2);
    expect(rim.incident!.affected).toEqual(['T101']);
    expect(rim.incident!.countdowns).toEqual([{ kind: 'cooling', label: { zh: 'T101 冷却', en: 'Cool T101' }, deadline: seen(stepAt('rim-seal')) + 5 * MIN }]);

    // full-surface: the solid-flame pool fire (E 20 kW/m² for an 80 m crude fire, Mudan): 37.5 and 25 kW/m² exist only in the
    // flame, 12.5 kW/m² at most under the wind-tilted flame, 4 kW/m² some tens of metres beyond the shell. T102's shell,
    // 50 m away, gets 1–4.4 kW/m² whatever the wind (2.7 calm, 4.3 blown towards it: pool-fire.test.ts) — far below the
    // 15 kW/m² of an atmospheric tank: T102 is not exposed (the point-source model said 24.6 kW/m² and cooled it needlessly)
    expect(full.message.en).toContain('full-surface fire');
    expect(full.message.en).toContain('37.5, 25 kW/m² not reached outside the flame');
    expect(full.message.en).toContain('exposed neighbours: —');
    expect(radii(full).map(([q]) => q)).toEqual([12.5, 4, 1.6]);
    const four = radii(full).find(([q]) => q === 4)![1];
    expect(four[1]).toBeGreaterThan(20);
    expect(four[1]).toBeLessThan(80);
    expect(shellFlux(full, 'T102')).toBeGreaterThan(0.5);
    expect(shellFlux(full, 'T102')).toBeLessThan(4.5);
    expect(full.incident!.affected).toEqual(['T101']);
    expect(full.incident!.countdowns.map((c) => [c.label.en, c.deadline])).toEqual([
      ['Cool T101', seen(stepAt('rim-seal')) + 5 * MIN], // counted from the first detection
    ]);

    // closing while the fire had only just gone out: refused, the condition has not yet stayed clear for the delay-off
    expect(earlyClose).toBeInstanceOf(EngineError);
    expect((earlyClose as EngineError).code).toBe('ENGINE_ALERT_STATE');

    // out: the condition returned, the incident as it last was but with no countdown running; it awaits closing
    expect(out.lifecycle).toMatchObject({ condition: 'returned', acknowledged: false, closeRequired: true });
    expect(out.transition?.comment).toBe('condition cleared, awaiting close');
    expect(out.state).toBe('active');
    expect(out.incident!.countdowns).toEqual([]);
    const lastIssued = alerts
      .filter((a) => a.incident?.hazard === 'tank-fire' && a.changedAt < out.changedAt && (a.transition?.action === 'raise' || a.transition?.action === 'update'))
      .at(-1)!;
    expect(stageOf(lastIssued)).toBe('full-surface');
    expect(radii(out)).toEqual(radii(lastIssued)); // no "rim-seal fire" on the way out
    // acknowledged, it still awaits a person to close it (not cleared by return + acknowledgement)
    expect(acknowledged).toEqual(ack);
    expect(ack.state).toBe('acknowledged');
    expect(ack.lifecycle).toMatchObject({ condition: 'returned', acknowledged: true, closeRequired: true });
    expect(ack.incident!.countdowns).toEqual([]);
    // closed with a comment: cleared
    expect(closed).toEqual(close);
    expect(close.transition).toMatchObject({
      action: 'close',
      by: 'manager',
      comment: 'foam blanket held for 20 s after the return; cooling of T101 and T102 handed to the day shift',
    });
    expect(close.state).toBe('cleared');
    expect(fire.at(-1)!.state).toBe('cleared');
  });

  it("carries zones on the plan and in WGS84, inventory from the levels, the wind and the standard's actions", () => {
    const issued = alerts.filter((a) => a.incident?.hazard === 'tank-fire' && (a.transition?.action === 'raise' || a.transition?.action === 'update'));
    const [rim, full] = [issued.find((a) => stageOf(a) === 'rim-seal')!, issued.find((a) => stageOf(a) === 'full-surface')!];
    const t101 = site.assets.find((a): a is Tank => a.id === 'T101')!;
    for (const alert of issued) {
      const { zones, planZones } = alert.incident!;
      expect(zones.features).toHaveLength(stageOf(alert) === 'rim-seal' ? 5 : 3);
      for (const [i, f] of planZones!.features.entries()) {
        // each zone runs from the shell out to its reach on every bearing, between the upwind and the downwind reach
        const ring = (f.geometry as { coordinates: [number, number][][] }).coordinates[0]!;
        const [least, most] = f.properties['beyondEdgeM'] as [number, number];
        for (const [x, y] of ring) {
          const beyond = Math.hypot(x - t101.position.x, y - t101.position.y) - t101.attributes.diameter / 2;
          expect(beyond).toBeGreaterThanOrEqual(least - 1);
          expect(beyond).toBeLessThanOrEqual(most + 1);
        }
        expect(f.properties['radiusM']).toBe(Math.round(t101.attributes.diameter / 2 + most));
        expect(zones.features[i]!.properties).toEqual(f.properties);
        expect((zones.features[i]!.geometry as { coordinates: [number, number][][] }).coordinates[0]!.every(near)).toBe(true);
      }
      // the weather station's latest wind when the detector reported, or when the wind itself moved (the simulator's wind drifts)
      const trigger = isRedraw(alert)
        ? samples.filter((s) => s.ts <= alert.changedAt).length
        : samples.findIndex((s) => s.ts === alert.changedAt && /^T101\.(flame|rim_seal_fire)$/.test(s.point) && s.value === true);
      const last = (point: string) =>
        samples
          .slice(0, trigger)
          .filter((s) => s.point === point)
          .at(-1)!.value;
      expect(alert.incident!.wind!.speedMs).toBe(last('WS1.wind_speed'));
      expect(alert.incident!.wind!.fromDeg).toBeCloseTo(last('WS1.wind_direction') as number, 9);
      // what the standard tells the responders, in both languages
      expect(alert.actions.map((a) => a.en)).toEqual(standard.hazards['tank-fire']!.actions.map((a) => a.en));
      expect(alert.actions.every((a) => a.zh.length > 0)).toBe(true);
    }
    // inventory: T101's level at detection × π·80²/4 × 0.86 t/m³
    const level = samples.filter((s) => s.point === 'T101.level' && s.ts < rim.changedAt).at(-1)!.value as number; // published before the detectors
    expect(rim.incident!.inventory).toEqual([{ asset: 'T101', product: 'crude', tonnes: Math.round(level * ((Math.PI * 80 ** 2) / 4) * 0.86) }]);
    expect(full.incident!.inventory.map((i) => i.asset)).toEqual(['T101']);
  });
});
