import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpcuaSource, Point, Sample, Site } from '../model/index.ts';
import { startDepotSim, type DepotSim } from '../sim/index.ts';
import { createOpcuaSource } from './opcua/opcua-source.ts';
import { createStaleWatchdog } from './stale-watchdog.ts';
import { createRecorder, loadDemoSite, waitFor } from './test-support.ts';

const point = (name: string, staleAfterMs: number, unit: Point['unit'] = 'm'): Point => ({
  asset: 'T1',
  name,
  id: `T1.${name}`,
  unit,
  source: 'plc',
  staleAfterMs,
  node: `ns=1;s=T1.${name}`,
});
const sample = (name: string, value: number | boolean, ts = 0): Sample => ({ site: 's', point: `T1.${name}`, value, quality: 'good', ts });

/** a watchdog on a hand-driven clock and timer */
function harness(points: Point[]) {
  let clock = 1_000;
  let tick: (() => void) | undefined;
  let cleared = false;
  const recorder = createRecorder();
  const watchdog = createStaleWatchdog({
    site: 's',
    points,
    sink: recorder.sink,
    now: () => clock,
    checkEveryMs: 100,
    setInterval: (callback) => ((tick = callback), 'handle'),
    clearInterval: (handle) => (cleared = handle === 'handle'),
  });
  const advance = (ms: number) => {
    for (let i = 0; i < ms / 100; i++) {
      clock += 100;
      tick?.();
    }
  };
  return { watchdog, recorder, advance, cleared: () => cleared, stale: () => recorder.samples.filter((s) => s.reason === 'stale') };
}

describe('stale watchdog', () => {
  it('passes samples through untouched', () => {
    const { watchdog, recorder } = harness([point('level', 1000)]);
    const s = sample('level', 3.2, 42);
    watchdog.sink(s);
    expect(recorder.samples).toEqual([s]);
  });

  it('reports a silent point bad/stale once, with its last value and the time it was noticed', () => {
    const { watchdog, advance, stale } = harness([point('level', 1000)]);
    watchdog.sink(sample('level', 3.2));
    advance(900);
    expect(stale()).toHaveLength(0);
    advance(100);
    expect(stale()).toEqual([{ site: 's', point: 'T1.level', value: 3.2, quality: 'bad', reason: 'stale', ts: 2_000 }]);
    advance(5_000);
    expect(stale()).toHaveLength(1);
  });

  it('starts a new silence with each sample', () => {
    const { watchdog, advance, stale } = harness([point('level', 1000)]);
    for (let i = 0; i < 10; i++) {
      watchdog.sink(sample('level', i));
      advance(500);
    }
    expect(stale()).toHaveLength(0);
    advance(500);
    expect(stale()).toHaveLength(1);
    watchdog.sink(sample('level', 99));
    advance(1000);
    expect(stale().map((s) => s.value)).toEqual([9, 99]);
  });

  it('reports a point that never reported, counting from its creation', () => {
    const { advance, stale } = harness([point('level', 1000), point('pump', 2000, 'bool')]);
    advance(1000);
    expect(stale().map((s) => [s.point, s.value])).toEqual([['T1.level', NaN]]);
    advance(1000);
    expect(stale().map((s) => [s.point, s.value])).toEqual([
      ['T1.level', NaN],
      ['T1.pump', false],
    ]);
  });

  it('uses each point its own staleAfterMs', () => {
    const { watchdog, advance, stale } = harness([point('fast', 300), point('slow', 3000)]);
    watchdog.sink(sample('fast', 1));
    watchdog.sink(sample('slow', 2));
    advance(1000);
    expect(stale().map((s) => s.point)).toEqual(['T1.fast']);
  });

  it('ignores points it does not watch, and stops its timer', () => {
    const { watchdog, recorder, advance, cleared } = harness([point('level', 1000)]);
    watchdog.sink({ ...sample('other', 1), point: 'X.other' });
    watchdog.stop();
    expect(cleared()).toBe(true);
    expect(recorder.samples).toHaveLength(1);
    advance(0);
  });
});

describe('stale watchdog over the wire', () => {
  let demo: Site;
  let sim: DepotSim;
  beforeAll(async () => {
    demo = await loadDemoSite();
    sim = await startDepotSim(demo, { tickMs: 100 });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it("leaves a frozen sensor on a live OPC-UA subscription good: staleness there is the subscription's health, not the age of the last change", async () => {
    const site = sim.siteWithEndpoints();
    const source = { ...site.sources.find((s): s is OpcuaSource => s.protocol === 'opcua')!, publishingIntervalMs: 100 };
    const points = site.points.filter((p) => p.source === source.id).map((p) => ({ ...p, staleAfterMs: 800 }));
    const recorder = createRecorder();
    const watchdog = createStaleWatchdog({ site: site.id, points, sink: recorder.sink });
    const opcua = createOpcuaSource({ site: site.id, source, points, reconnect: { initialDelayMs: 100 } });
    try {
      await opcua.start(watchdog.sink);
      await waitFor(() => recorder.latest('GD102.gas')?.quality === 'good', 'a good gas reading');
      sim.freeze('GD102.gas'); // the server sends nothing more for it: its value and source timestamp hold
      // a notification already on its way when the point froze may still land: take the value it holds after that
      await new Promise((r) => setTimeout(r, 3 * 100));
      const frozenAt = Date.now();
      const frozen = recorder.latest('GD102.gas')!;
      await new Promise((r) => setTimeout(r, 3 * 800));
      const since = recorder.samples.filter((s) => s.point === 'GD102.gas' && s.ts > frozenAt);
      expect(since.length).toBeGreaterThan(0); // refreshed while the subscription confirms it holds
      expect(since.every((s) => s.quality === 'good' && s.value === frozen.value)).toBe(true);
      expect(recorder.samples.filter((s) => s.reason === 'stale')).toEqual([]);
      sim.release('GD102.gas');
      await waitFor(() => recorder.latest('GD102.gas')?.value !== frozen.value, 'the point to move again');
    } finally {
      await opcua.stop();
      watchdog.stop();
    }
  });
});
