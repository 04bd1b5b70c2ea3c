import { TestScheduler } from 'rxjs/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type LiveEvent, type Quality, type Site, type SiteSnapshot } from '../model/index.ts';
import { loadStandard, type Standard } from '../standards/index.ts';
import { createEngine, EngineError, type Engine } from './index.ts';

const SITE = new URL('../sites/zhoushan-demo.yaml', import.meta.url).pathname;
const STANDARD = new URL('../standards/oil-depot-above-ground/0.1.0.yaml', import.meta.url).pathname;
const HH = 'GB50074-15.1.2-HH';
const GAS = 'GBT50493-5.5.2-GAS1';
const DIKE = 'GB50074-6.5.1-DIKE';

let site: Site;
let standard: Standard;
beforeAll(async () => {
  site = await loadSite(SITE);
  standard = await loadStandard(STANDARD);
});

/** [virtual ms, point, value, quality?, reason?] */
type Step = [number, string, number | boolean | string, Quality?, string?];

/** Plays samples on virtual time through a fresh engine; returns everything it emitted. */
function play(steps: Step[], until: number, change?: (engine: Engine, at: (ms: number, fn: () => void) => void) => void) {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  const events: LiveEvent[] = [];
  let engine!: Engine;
  let snapshot!: SiteSnapshot;
  scheduler.run(({ flush }) => {
    engine = createEngine({ sites: [site], standards: [standard], scheduler });
    engine.events$.subscribe((e) => events.push(e));
    const at = (ms: number, fn: () => void) => scheduler.schedule(fn, ms);
    for (const [ms, point, value, quality = 'good', reason] of steps)
      at(ms, () => engine.ingest({ site: site.id, point, value, quality, ts: 1_700_000_000_000 + ms, ...(reason ? { reason } : {}) }));
    change?.(engine, at);
    // the run ends at `until`: what the twin knows then, and no timer left behind
    at(until, () => {
      snapshot = engine.snapshot(site.id)!;
      engine.dispose();
    });
    flush();
  });
  const of = <T extends LiveEvent['type']>(type: T) =>
    events.filter((e): e is Extract<LiveEvent, { type: T }> => e.type === type).map((e) => e.data as Extract<LiveEvent, { type: T }>['data']);
  return { events, snapshot, results: of('result'), scores: of('score'), alerts: of('alert'), samples: of('sample') };
}

/** Every read point of the demo site with a healthy value, at `ms`. */
function healthy(ms: number): Step[] {
  return site.points.filter((p) => ['level', 'gas', 'water_level'].includes(p.name)).map((p): Step => [ms, p.id, p.name === 'level' ? 12 : p.name === 'gas' ? 2 : 0.05]);
}

describe('tank high-high level (GB 50074-2014 §15.1.2)', () => {
  it('passes below the tank’s own high-high set-point, fails at it, with evidence and thresholds', () => {
    const { results } = play(
      [
        [0, 'T101.level', 12.5],
        [1000, 'T101.level', 19.7],
        [2000, 'T101.level', 19.65],
      ],
      3000,
    );
    const t101 = results.filter((r) => r.clause === HH && r.subject === 'T101');
    expect(t101.map((r) => [r.since, r.verdict])).toEqual([
      [0, 'pass'],
      [1000, 'fail'],
    ]);
    expect(t101[1]).toMatchObject({
      site: 'zhoushan-demo',
      evidence: [{ point: 'T101.level', value: 19.7, quality: 'good', ts: 1_700_000_001_000 }],
      thresholds: { 'asset.levelHighHigh': 19.6 },
      standard: 'oil-depot-above-ground@0.1.0',
    });
  });

  it('raises an overfill alert on failure; on return below high-high it stays open until acknowledged (ISA-18.2)', () => {
    const { alerts, snapshot } = play(
      [
        [0, 'T201.level', 16.3],
        [5000, 'T201.level', 15],
      ],
      6000,
    );
    expect(alerts).toHaveLength(2);
    expect(alerts[0]).toMatchObject({
      id: `zhoushan-demo:${HH}:T201:0`,
      kind: 'overfill',
      severity: 1,
      state: 'active',
      raisedAt: 0,
      subjects: ['T201'],
      clause: HH,
      standard: 'oil-depot-above-ground@0.1.0',
    });
    expect(alerts[0]!.message.en).toBe('Gasoline tank 1: level 16.3 m has reached high-high 16.2 m; overfill danger');
    expect(alerts[0]!.message.zh).toContain('1号汽油储罐液位 16.3 m');
    expect(alerts[0]!.actions.length).toBeGreaterThan(0);
    expect(alerts[1]).toMatchObject({
      id: alerts[0]!.id,
      state: 'active',
      changedAt: 5000,
      lifecycle: { condition: 'returned', acknowledged: false },
      transition: { action: 'return', at: 5000 },
    });
    expect(snapshot.alerts.map((a) => a.id)).toEqual([alerts[0]!.id]);
  });

  it('goes unknown on a stale-marked sample from the collector', () => {
    const { results } = play(
      [
        [0, 'T102.level', 12],
        [1000, 'T102.level', 12, 'bad', 'stale'],
      ],
      2000,
    );
    const t102 = results.filter((r) => r.subject === 'T102');
    expect(t102.map((r) => r.verdict)).toEqual(['pass', 'unknown']);
    expect(t102[1]!.evidence[0]).toMatchObject({ quality: 'bad' });
  });

  it("keeps a silent level as it is while its source reports: staleness is the collector's to say, in a sample", () => {
    // T301.level and T101.level come from the same PLC; T101's keep the feed alive well past T301's staleAfterMs (10 s)
    const feed: Step[] = Array.from({ length: 15 }, (_, i): Step => [i * 2000, 'T101.level', 12]);
    const { results, samples } = play([[0, 'T301.level', 8], [4000, 'T301.level', 8.1], ...feed, [24_000, 'T301.level', 8.1, 'bad', 'stale']], 30_000);
    const t301 = results.filter((r) => r.subject === 'T301');
    expect(t301.map((r) => [r.since, r.verdict])).toEqual([
      [0, 'pass'],
      [24_000, 'unknown'],
    ]);
    expect(samples.filter((s) => s.point === 'T301.level').map((s) => s.quality)).toEqual(['good', 'good', 'bad']);
  });

  it('goes unknown when the whole feed of its source falls silent past staleAfterMs (the link is lost)', () => {
    const { results, samples } = play(
      [
        [0, 'T301.level', 8],
        [4000, 'T301.level', 8.1],
      ],
      20_000,
    );
    const t301 = results.filter((r) => r.subject === 'T301');
    // the source's staleAfterMs is 10 000 ms; the last of its samples came at 4000
    expect(t301.map((r) => [r.since, r.verdict])).toEqual([
      [0, 'pass'],
      [14_000, 'unknown'],
    ]);
    expect(t301[1]!.reason?.en).toContain('link-lost');
    expect(samples.at(-1)).toMatchObject({ point: 'T301.level', quality: 'bad', reason: 'link-lost', value: 8.1, ts: 1_700_000_004_000 });
  });
});

describe('combustible gas first alarm (GB/T 50493-2019 §5.5.2)', () => {
  it('passes under 25 %LEL, fails at it, raises and clears a gas-leak alert', () => {
    const { results, alerts } = play(
      [
        [0, 'GD102.gas', 3],
        [1000, 'GD102.gas', 25],
        [1500, 'GD102.gas', 31.5],
        [3000, 'GD102.gas', 4],
      ],
      4000,
    );
    const gd = results.filter((r) => r.subject === 'GD102');
    expect(gd.map((r) => [r.since, r.verdict])).toEqual([
      [0, 'pass'],
      [1000, 'fail'],
      [3000, 'pass'],
    ]);
    expect(gd[1]).toMatchObject({ clause: GAS, thresholds: { 'params.firstAlarmLEL': 25 }, evidence: [{ point: 'GD102.gas', value: 25 }] });
    expect(alerts.map((a) => [a.kind, a.state, a.severity, a.lifecycle?.condition])).toEqual([
      ['gas-leak', 'active', 2, 'active'],
      ['gas-leak', 'active', 2, 'returned'],
    ]);
    expect(alerts[0]!.message.en).toContain('25 %LEL is over the first alarm of 25 %LEL');
  });

  it('goes unknown on an uncertain reading and on silence', () => {
    const a = play(
      [
        [0, 'GDP1.gas', 1],
        [500, 'GDP1.gas', 1, 'uncertain'],
      ],
      1000,
    ).results;
    expect(a.map((r) => r.verdict)).toEqual(['pass', 'unknown']);
    // silent for its staleAfterMs: the collector says so
    const b = play(
      [
        [0, 'GDP1.gas', 1],
        [10_000, 'GDP1.gas', 1, 'bad', 'stale'],
      ],
      30_000,
    ).results;
    expect(b.map((r) => [r.since, r.verdict])).toEqual([
      [0, 'pass'],
      [10_000, 'unknown'],
    ]);
  });

  it('is not applicable to a detector of another gas, and leaves it out of the score', () => {
    const toxic: Site = { ...site, assets: site.assets.map((x) => (x.id === 'GDP1' && x.kind === 'gas-detector' ? { ...x, attributes: { gas: 'toxic' } } : x)) };
    const engine = createEngine({ sites: [toxic], standards: [standard], scheduler: new TestScheduler(() => undefined) });
    const snapshot = engine.snapshot(site.id)!;
    engine.dispose();
    expect(snapshot.results.find((r) => r.clause === GAS && r.subject === 'GDP1')?.verdict).toBe('not-applicable');
    expect(snapshot.score?.counts).toMatchObject({ 'not-applicable': 1, unknown: 14 });
  });
});

describe('dike effective capacity against the largest tank (GB 50074-2014 §6.5.1)', () => {
  it('passes while standing water leaves room for the largest tank, fails when it does not', () => {
    // D1: 108 000 m³ effective, 36 700 m² floor, largest tank 100 000 m³ → fails above ~0.218 m of water
    const { results, alerts } = play(
      [
        [0, 'D1.water_level', 0.1],
        [1000, 'D1.water_level', 0.3],
        [2000, 'D1.water_level', 0],
      ],
      3000,
    );
    const d1 = results.filter((r) => r.subject === 'D1');
    expect(d1.map((r) => r.verdict)).toEqual(['pass', 'fail', 'pass']);
    expect(d1[1]).toMatchObject({
      clause: DIKE,
      thresholds: { 'asset.effectiveCapacity': 108_000, 'asset.floorArea': 36_700, largestTank: 100_000 },
      evidence: [{ point: 'D1.water_level', value: 0.3, quality: 'good' }],
    });
    expect(alerts.map((a) => [a.kind, a.transition?.action])).toEqual([
      ['dike-capacity', 'raise'],
      ['dike-capacity', 'return'],
    ]);
  });

  it('takes the largest tank of each dike from the site, not a number in the code', () => {
    const { results } = play(
      [
        [0, 'D2.water_level', 0.1],
        [0, 'D3.water_level', 0.1],
      ],
      1000,
    );
    expect(results.find((r) => r.subject === 'D2')!.thresholds['largestTank']).toBe(20_000);
    expect(results.find((r) => r.subject === 'D3')!.thresholds['largestTank']).toBe(10_000);
  });

  it('goes unknown on a bad water level and on silence', () => {
    const a = play(
      [
        [0, 'D3.water_level', 0.1],
        [100, 'D3.water_level', 0, 'bad', 'Modbus exception 2'],
      ],
      1000,
    ).results;
    expect(a.map((r) => r.verdict)).toEqual(['pass', 'unknown']);
    const b = play(
      [
        [0, 'D3.water_level', 0.1],
        [10_000, 'D3.water_level', 0.1, 'bad', 'stale'],
      ],
      12_000,
    ).results;
    expect(b.map((r) => [r.since, r.verdict])).toEqual([
      [0, 'pass'],
      [10_000, 'unknown'],
    ]);
  });
});

describe('site score', () => {
  it('starts at zero coverage with every clause unknown', () => {
    const { snapshot } = play([], 0);
    expect(snapshot.results).toHaveLength(15);
    expect(snapshot.results.every((r) => r.verdict === 'unknown')).toBe(true);
    expect(snapshot.score).toMatchObject({ score: 0, grade: 'D', risk: 'red', coverage: 0, counts: { unknown: 15, pass: 0 } });
  });

  it('is 100, A, blue with full coverage when everything passes', () => {
    const { scores, snapshot } = play(healthy(0), 100);
    expect(scores.at(-1)).toMatchObject({ score: 100, grade: 'A', risk: 'blue', coverage: 1, counts: { pass: 15, fail: 0, unknown: 0 } });
    expect(snapshot.score).toEqual(scores.at(-1));
    expect(Object.keys(snapshot.values)).toHaveLength(16); // 6 tank levels, the fire water pool level, 3 dikes, 6 detectors
  });

  it('weights verdicts, earns nothing for unknown, and turns red on a severity-1 failure', () => {
    // weights: HH 10 × 6 tanks, gas 8 × 6 detectors, dike 6 × 3 dikes = 126
    const { scores } = play([...healthy(0), [1000, 'D2.water_level', 0, 'bad'], [2000, 'GD301.gas', 40], [3000, 'T302.level', 17]], 4000);
    const last3 = scores.slice(-3);
    expect(last3[0]).toMatchObject({ score: 95.24, grade: 'A', risk: 'blue', coverage: 0.9333, counts: { pass: 14, unknown: 1 } });
    expect(last3[1]).toMatchObject({ score: 88.89, grade: 'B', risk: 'yellow', counts: { pass: 13, fail: 1, unknown: 1 } });
    expect(last3[2]).toMatchObject({ score: 80.95, grade: 'B', risk: 'red', counts: { pass: 12, fail: 2, unknown: 1 }, ts: 3000 });
  });

  it('emits only when the score changes', () => {
    const { scores } = play([...healthy(0), [1000, 'T101.level', 12.1], [2000, 'T101.level', 12.2]], 3000);
    expect(scores.filter((s) => s.ts >= 1000)).toEqual([]);
  });
});

describe('alert lifecycle and determinism', () => {
  it('keeps an alert active while its clause is unknown, with no duplicate when it fails again', () => {
    const { alerts } = play(
      [
        [0, 'T101.level', 19.8],
        [1000, 'T101.level', 0, 'bad'],
        [2000, 'T101.level', 19.9],
        [3000, 'T101.level', 10],
      ],
      4000,
    );
    expect(alerts.map((a) => [a.id, a.transition?.action])).toEqual([
      [`zhoushan-demo:${HH}:T101:0`, 'raise'],
      [`zhoushan-demo:${HH}:T101:0`, 'return'],
    ]);
  });

  it('gives the same events for the same samples in the same order', () => {
    const script: Step[] = [
      ...healthy(0),
      [700, 'T101.level', 19.9],
      [900, 'GD201.gas', 60],
      [1200, 'D1.water_level', 0.5],
      [1300, 'T101.level', 1],
      [1400, 'GD201.gas', 0, 'bad'],
    ];
    const first = play(script, 40_000).events;
    const second = play(script, 40_000).events;
    expect(first.length).toBeGreaterThan(40);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('orders each sample before the verdict, alert and score it caused', () => {
    const { events } = play([[0, 'T101.level', 20]], 10);
    expect(events.map((e) => e.type)).toEqual(['sample', 'result', 'alert', 'score']);
  });

  it('drops samples of unknown sites and points', () => {
    const { events } = play(
      [
        [0, 'T999.level', 1],
        [0, 'T101.viscosity', 3],
      ],
      10,
      (engine, at) => at(5, () => engine.ingest({ site: 'elsewhere', point: 'T101.level', value: 1, quality: 'good', ts: 5 })),
    );
    expect(events).toEqual([]);
  });
});

describe('engine construction', () => {
  it('describes the clauses of a site’s standard', () => {
    const engine = createEngine({ sites: [site], standards: [standard], scheduler: new TestScheduler(() => undefined) });
    expect(engine.clauses(site.id).map((c) => c.id)).toEqual([HH, GAS, DIKE]);
    expect(engine.clauses('nowhere')).toEqual([]);
    expect(engine.snapshot('nowhere')).toBeUndefined();
    engine.dispose();
  });

  it('refuses a site whose standard is not loaded', () => {
    expect(() => createEngine({ sites: [{ ...site, standards: ['other'] }], standards: [standard] })).toThrow(expect.objectContaining({ code: 'ENGINE_NO_STANDARD' }));
  });

  it('refuses a point whose unit differs from what the clause reads', () => {
    const mm: Site = { ...site, points: site.points.map((p) => (p.id === 'T101.level' ? { ...p, unit: 'mm' } : p)) };
    let error: unknown;
    try {
      createEngine({ sites: [mm], standards: [standard] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('ENGINE_UNIT_MISMATCH');
    expect((error as Error).message).toContain('T101.level is in mm');
  });
});
