import { TestScheduler } from 'rxjs/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Alert, type Quality, type Site } from '../../model/index.ts';
import { loadStandard, parseDuration, type Standard } from '../../standards/index.ts';
import { createEngine } from '../index.ts';
import { poolFire, rimSealFire } from './tank-fire.ts';

const SITE = new URL('../../sites/zhoushan-demo.yaml', import.meta.url).pathname;
const STANDARD = new URL('../../standards/oil-depot-above-ground/1.0.0.yaml', import.meta.url).pathname;
const MIN = 60_000;

let site: Site;
let standard: Standard;
/** how long a fire must stay out before its incident returns (the standard's alarms.incidentDelayOff) */
let delayOff: number;
beforeAll(async () => {
  site = await loadSite(SITE);
  standard = await loadStandard(STANDARD);
  delayOff = parseDuration(standard.alarms!.incidentDelayOff!)!.ms;
});

type Step = [number, string, number | boolean, Quality?];

/** The tank-fire incidents the real engine raises for these readings, on virtual time, with the demo site and 1.0.0. */
function fireAlerts(steps: Step[], until: number): Alert[] {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  const alerts: Alert[] = [];
  scheduler.run(({ flush }) => {
    const engine = createEngine({ sites: [site], standards: [standard], scheduler });
    engine.alerts$.subscribe((a) => alerts.push(a));
    for (const [ms, point, value, quality] of steps)
      scheduler.schedule(() => engine.ingest({ site: site.id, point, value, quality: quality ?? 'good', ts: 1_700_000_000_000 + ms }), ms);
    scheduler.schedule(() => engine.dispose(), until);
    flush();
  });
  // unacknowledged, they also escalate every 5 min: left out here, the fire is what is under test
  return alerts.filter((a) => a.incident?.hazard === 'tank-fire' && a.transition?.action !== 'escalate');
}

const radii = (a: Alert) => a.incident!.planZones!.features.map((f) => [f.properties['kWm2'], f.properties['radiusM']]);
const deadline = (a: Alert, label: string) => a.incident!.countdowns.find((c) => c.label.en === label)?.deadline;

describe('radiation of a burning tank', () => {
  it('rim-seal fire: the seal annulus π·D·w burning, its flux falling off from the ring along the shell', () => {
    // T101 crude, D = 80 m, seal ring 0.9 m: A = π·80·0.9 = 226.2 m²; Q = 0.039 × 226.2 × 42.6 MJ/kg ≈ 375.8 MW,
    // χQ ≈ 112.7 MW from a ring of R = 39.55 m: q(r) = χQ / 4π(r² − R²)
    const rim = rimSealFire(80, 0.9, 0.039, 42.6, 0.3);
    expect(rim.heatReleaseKw).toBeCloseTo(375_800, -3);
    expect(rim.radiusAt(37.5)).toBeCloseTo(42.47, 1); // 2.9 m beyond the shell
    expect(rim.radiusAt(4)).toBeCloseTo(61.7, 1);
    expect(rim.fluxAt(rim.radiusAt(12.5))).toBeCloseTo(12.5, 6);
    // far away it is the point source of the same heat
    const point = poolFire(Math.sqrt(4 * 80 * 0.9), 0.039, 42.6, 0.3); // same burning area
    expect(rim.fluxAt(2_000) / point.fluxAt(2_000)).toBeCloseTo(1, 3);
    // the full-surface fire of the same tank is ≈ 22 times the heat
    expect(poolFire(80, 0.039, 42.6, 0.3).heatReleaseKw / rim.heatReleaseKw).toBeCloseTo(80 / (4 * 0.9), 5);
  });
});

describe('tank fire, staged by the rim-seal heat detector and the flame detectors', () => {
  it('raises a rim-seal incident, re-issues it when the fire goes full-surface and T102 is exposed, returns when both detectors have stayed down for the delay-off', () => {
    // the weather station reports every 5 s (a reading older than its 10 s goes stale, and a stale wind is no wind)
    const wind: Step[] = Array.from({ length: 132 }, (_, i) => i * 5_000).flatMap((t): Step[] => [[t, 'WS1.wind_speed', 4.2], [t, 'WS1.wind_direction', t < 3 * MIN ? 90 : 120]]);
    const steps: Step[] = [
      ...wind,
      [0, 'T101.level', 15], [0, 'T102.level', 12],
      [0, 'T101.flame', false], [0, 'T101.rim_seal_fire', false],
      [MIN, 'T101.rim_seal_fire', true],
      [2 * MIN, 'T101.rim_seal_fire', true], // a repeated reading changes nothing
      [4 * MIN, 'T101.flame', true],
      [5 * MIN, 'T101.flame', false, 'bad'], // a detector gone bad does not put the fire out
      [9 * MIN, 'T101.flame', false], [9 * MIN, 'T101.rim_seal_fire', true], // the foam holds the surface, the seal still burns
      [10 * MIN, 'T101.rim_seal_fire', false],
    ];
    const fire = fireAlerts(steps, 11 * MIN);
    // the smaller fire is re-issued once the detectors have agreed for the settle time (10 s)
    expect(fire.map((a) => [a.changedAt, a.transition?.action])).toEqual([[MIN, 'raise'], [4 * MIN, 'update'], [9 * MIN + 10_000, 'update'], [10 * MIN + delayOff, 'return']]);
    const [rim, full, back] = fire as [Alert, Alert, Alert];
    expect(new Set(fire.map((a) => a.id)).size).toBe(1);

    // rim-seal: radii hand-checked above; nobody else exposed (T102's shell is 90 m from T101's centre: 1.4 kW/m²)
    expect(radii(rim)).toEqual([[37.5, 42], [12.5, 48], [4, 62]]);
    expect(rim.incident!.affected).toEqual(['T101']);
    expect(rim.message.en).toMatch(/^Crude tank 1: rim-seal fire — .*exposed neighbours: —; also burning: —$/);
    expect(rim.message.zh).toContain('密封圈火灾');
    expect(rim.incident!.wind).toEqual({ speedMs: 4.2, fromDeg: 90 });
    expect(deadline(rim, 'Cool T101')).toBe(MIN + 5 * MIN);
    // 15 m × π·80²/4 × 0.86 t/m³ ≈ 64,842 t
    expect(rim.incident!.inventory).toEqual([{ asset: 'T101', product: 'crude', tonnes: 64_842 }]);

    // full-surface: χQ ≈ 2,505 MW; r = √(χQ/4πq): 73 / 126 / 223 m; T102's shell 90 m away gets ≈ 24.6 kW/m² > 15
    expect(radii(full)).toEqual([[37.5, 73], [12.5, 126], [4, 223]]);
    expect(full.incident!.affected).toEqual(['T101', 'T102']);
    expect(full.message.en).toContain('full-surface fire');
    expect(full.message.en).toContain('exposed neighbours: T102');
    expect(full.incident!.wind).toEqual({ speedMs: 4.2, fromDeg: 120 }); // the wind when it was re-issued
    expect(deadline(full, 'Cool T101')).toBe(6 * MIN); // from the first detection
    expect(deadline(full, 'Cool T102')).toBe(4 * MIN + 10 * MIN); // from when T102 became exposed
    expect(full.incident!.inventory.map((i) => i.asset)).toEqual(['T101', 'T102']);

    // back to a rim-seal fire: the small zones again, T102 no longer exposed
    expect(radii(back)).toEqual(radii(rim));
    expect(back.incident!.affected).toEqual(['T101']);
    expect(fire.at(-1)!.lifecycle).toMatchObject({ condition: 'returned', closeRequired: true });
    expect(fire.at(-1)!.transition?.comment).toBe('condition cleared, awaiting close');
    expect(fire.at(-1)!.incident!.countdowns).toEqual([]); // no cooling deadline runs on once the fire is out
  });

  it('goes straight from full-surface to out when both detectors fall together, whichever reports first', () => {
    const fire = fireAlerts([[0, 'T101.rim_seal_fire', true], [0, 'T101.flame', true], [MIN, 'T101.flame', false], [MIN + 300, 'T101.rim_seal_fire', false]], 2 * MIN);
    expect(fire.map((a) => [a.changedAt, a.transition?.action])).toEqual([[0, 'raise'], [0, 'update'], [MIN + 300 + delayOff, 'return']]);
    expect(fire.at(-1)!.message.en).toContain('full-surface fire'); // the last word is the fire as it was
  });

  it('a fire seen before the wind is re-issued with the wind once the weather station reports', () => {
    const fire = fireAlerts([[0, 'T201.flame', true], [1_000, 'WS1.wind_speed', 3], [1_000, 'WS1.wind_direction', 45], [2_000, 'T201.flame', true], [3_000, 'T201.flame', true]], 4_000);
    expect(fire.map((a) => [a.changedAt, a.transition?.action, a.incident!.wind])).toEqual([[0, 'raise', undefined], [2_000, 'update', { speedMs: 3, fromDeg: 45 }]]);
  });

  it('a fixed-roof tank has no seal: its flame detectors alone make a full-surface fire', () => {
    const fire = fireAlerts([[0, 'T301.flame', true], [MIN, 'T301.flame', false]], 2 * MIN);
    expect(fire.map((a) => a.transition?.action)).toEqual(['raise', 'return']);
    expect(fire[0]!.message.en).toContain('full-surface fire');
  });

  it('a fire back after the return reopens the same incident, its countdowns running again', () => {
    const steps: Step[] = [
      [0, 'T301.flame', true],
      [MIN, 'T301.flame', false],
      [MIN + delayOff + MIN, 'T301.flame', true], // back after the return, before anybody closed it
    ];
    const fire = fireAlerts(steps, MIN + delayOff + 2 * MIN);
    expect(fire.map((a) => [a.changedAt, a.transition?.action])).toEqual([[0, 'raise'], [MIN + delayOff, 'return'], [MIN + delayOff + MIN, 'raise']]);
    expect(new Set(fire.map((a) => a.id)).size).toBe(1);
    const reopened = fire.at(-1)!;
    expect(reopened.transition?.comment).toMatch(/^reopened: /);
    expect(reopened.raisedAt).toBe(0);
    expect(reopened.lifecycle).toMatchObject({ condition: 'active', closeRequired: true });
    expect(reopened.incident!.countdowns.length).toBeGreaterThan(0); // the cooling deadline runs again
  });

  it('a flare-up within the delay-off is the same fire: nothing is re-issued and its cooling deadlines do not move later', () => {
    const steps: Step[] = [
      [0, 'T301.flame', true],
      [MIN, 'T301.flame', false],
      [MIN + 10_000, 'T301.flame', true], // back 10 s later: the incident never left
      [2 * MIN, 'T301.flame', false],
    ];
    const fire = fireAlerts(steps, 2 * MIN + delayOff + MIN);
    expect(fire.map((a) => [a.changedAt, a.transition?.action])).toEqual([[0, 'raise'], [2 * MIN + delayOff, 'return']]);
    // the boilover forecast of a burning tank keeps its countdown the same way (T301 is diesel: none here; see boilover.test)
  });

  it('a second tank catching fire holds its own incident; the first one names it as burning, no longer as exposed', () => {
    const fire = fireAlerts([[0, 'T201.flame', true], [2 * MIN, 'T202.flame', true], [8 * MIN, 'T202.flame', false], [8 * MIN, 'T202.rim_seal_fire', false]], 9 * MIN);
    const t201 = fire.filter((a) => a.subjects[0] === 'T201');
    const t202 = fire.filter((a) => a.subjects[0] === 'T202');
    expect(t201.map((a) => [a.changedAt, a.transition?.action])).toEqual([[0, 'raise'], [2 * MIN, 'update'], [8 * MIN, 'update']]);
    expect(t202.map((a) => [a.changedAt, a.transition?.action])).toEqual([[2 * MIN, 'raise'], [8 * MIN + delayOff, 'return']]);
    expect(t201[0]!.incident!.affected).toEqual(['T201', 'T202']);
    expect(t201[1]!.incident!.affected).toEqual(['T201']);
    expect(t201[1]!.message.en).toMatch(/exposed neighbours: —; also burning: T202$/);
    expect(deadline(t201[1]!, 'Cool T202')).toBeUndefined();
    expect(t202[0]!.message.en).toMatch(/also burning: T201$/);
    expect(t202[0]!.incident!.affected).toEqual(['T202']);
    // T202 out: exposed again, with a new cooling deadline from then
    expect(t201[2]!.incident!.affected).toEqual(['T201', 'T202']);
    expect(deadline(t201[2]!, 'Cool T202')).toBe(8 * MIN + 10 * MIN);
  });
});
