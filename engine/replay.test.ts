import { TestScheduler } from 'rxjs/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type LiveEvent, type Sample, type Site } from '../model/index.ts';
import { loadStandard, type Standard } from '../standards/index.ts';
import { createEngine, createVirtualClock, feedSamples, replay, resultsAsOf } from './index.ts';

const root = new URL('..', import.meta.url).pathname;
let site: Site;
let v1: Standard;
let v0: Standard;
beforeAll(async () => {
  site = await loadSite(`${root}sites/zhoushan-demo.yaml`);
  v1 = await loadStandard(`${root}standards/oil-depot-above-ground/1.0.0.yaml`);
  v0 = await loadStandard(`${root}standards/oil-depot-above-ground/0.1.0.yaml`);
});

const T0 = 1_780_000_000_000;
/** a depot morning: every point healthy each second, T201 overfilling, a gas leak at GD201, then all back */
function history(): Sample[] {
  const out: Sample[] = [];
  for (let s = 0; s < 120; s++) {
    const ts = T0 + s * 1000;
    for (const p of site.points) {
      let value: number | boolean =
        p.unit === 'bool' ? true : p.name === 'level' ? (p.asset === 'FWP1' ? 4.8 : 10) : p.name === 'gas' ? 1 : p.name === 'pressure' ? 0.3 : p.name.includes('level') ? 90 : 1;
      if (p.id === 'T201.level') value = s < 30 ? 15 + s * 0.05 : 14;
      if (p.id === 'GD201.gas' && s >= 40 && s < 70) value = 30 + (s % 3);
      out.push({ site: site.id, point: p.id, value, quality: 'good', ts });
    }
  }
  return out;
}

describe('replay', () => {
  it('gives exactly what the live engine gave for the same samples', () => {
    const samples = history();
    const until = samples.at(-1)!.ts;
    // live: samples arrive one by one on the engine's scheduler as they happen
    const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
    const live: LiveEvent[] = [];
    ts.run(() => {
      ts.frame = T0; // the engine's clock reads epoch ms, as live
      const engine = createEngine({ sites: [site], standards: [v1], scheduler: ts });
      engine.events$.subscribe((e) => live.push(e));
      for (const s of samples) ts.schedule(() => engine.ingest(s), s.ts - T0);
      ts.schedule(() => engine.dispose(), until + 1 - T0);
      ts.maxFrames = until + 1;
      ts.flush();
    });
    const replayed = replay({ samples, site, standard: v1, until });
    expect(live.length).toBeGreaterThan(samples.length);
    expect(replayed.alerts.map((a) => [a.kind, a.transition?.action])).toEqual(
      expect.arrayContaining([
        ['overfill', 'raise'],
        ['overfill', 'return'],
        ['gas-leak', 'raise'],
        ['gas-leak', 'return'],
      ]),
    );
    expect(JSON.stringify(replayed.events)).toBe(JSON.stringify(live));
  });

  it('is deterministic and re-scores the past under another standard version with the same call', () => {
    const samples = history();
    const a = replay({ samples, site, standard: v1 });
    const b = replay({ samples, site, standard: v1 });
    expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events));
    const old = replay({ samples, site, standard: v0 });
    expect(old.scores.at(-1)!.standard).toBe('oil-depot-above-ground@0.1.0');
    expect(a.scores.at(-1)!.standard).toBe('oil-depot-above-ground@1.0.0');
    expect(old.snapshot.results.length).toBeLessThan(a.snapshot.results.length);
  });

  it('restores open alarms from storage without a duplicate when the condition is still there', () => {
    const samples = history().filter((s) => s.ts < T0 + 35_000);
    const first = replay({ samples, site, standard: v1 });
    const open = first.snapshot.alerts;
    expect(open.some((a) => a.kind === 'overfill')).toBe(true);
    // restart: the engine starts from what db stored, and the level is still up
    const clock = createVirtualClock(T0 + 40_000);
    const engine = createEngine({ sites: [site], standards: [v1], scheduler: clock.scheduler });
    clock.settle();
    const raised: string[] = [];
    engine.alerts$.subscribe((a) => raised.push(`${a.id} ${a.transition?.action}`));
    engine.restoreAlerts(open.map(({ lifecycle: _l, transition: _t, ...stored }) => stored)); // db keeps no lifecycle
    feedSamples(
      engine,
      clock,
      samples.map((s) => ({ ...s, ts: s.ts + 40_000 })).filter((s) => s.point === 'T201.level'),
    );
    clock.advanceTo(T0 + 80_000);
    // the level returns, rises again and returns: the same alarms re-alarm, none is raised anew
    const ids = new Set(open.map((a) => a.id));
    expect(raised.length).toBeGreaterThan(0);
    expect(raised.filter((r) => !ids.has(r.split(' ')[0]!))).toEqual([]);
    const overfill = engine.snapshot(site.id)!.alerts.find((a) => a.kind === 'overfill')!;
    expect(overfill.id).toBe(open.find((a) => a.kind === 'overfill')!.id);
    expect(overfill.lifecycle).toMatchObject({ condition: 'returned', acknowledged: false });
    expect(engine.acknowledge(overfill.id, 'wang', 'transfer stopped').state).toBe('cleared'); // returned and acknowledged
    expect(engine.snapshot(site.id)!.alerts.some((a) => a.id === overfill.id)).toBe(false);
    expect(() => engine.acknowledge(overfill.id, 'wang', 'again')).toThrow(expect.objectContaining({ code: 'ENGINE_UNKNOWN_ALERT' }));
    engine.dispose();
  });
});

describe('resultsAsOf', () => {
  it('reads a replay as the store reads the record: the latest change of each clause by `since`, none for a clause that never emitted', () => {
    const out = replay({ samples: history(), site, standard: v1 });
    // the engine's state holds clauses whose verdict never changed from the start (not applicable, or a live clause
    // still unknown); it never emitted them
    const silent = out.snapshot.results.filter((r) => !out.results.some((e) => e.clause === r.clause && e.subject === r.subject));
    expect(silent.map((r) => r.verdict)).toContain('not-applicable');
    expect(silent.every((r) => r.verdict === 'not-applicable' || r.verdict === 'unknown')).toBe(true);
    const end = resultsAsOf(out.results, T0 + 119_000);
    expect(end.length).toBe(out.snapshot.results.length - silent.length);
    const verdicts = (rs: { clause: string; subject: string; verdict: string }[]) => new Map(rs.map((r) => [`${r.clause} ${r.subject}`, r.verdict]));
    const snapshot = verdicts(out.snapshot.results);
    for (const [key, verdict] of verdicts(end)) expect(verdict, key).toBe(snapshot.get(key));
    // mid-way, T201 is above high-high: its fail is in force, and the pass that followed is not yet
    const hh = (at: number) => resultsAsOf(out.results, at).find((r) => r.clause === 'GB50074-15.1.2-HH' && r.subject === 'T201')?.verdict;
    expect(hh(T0 + 25_000)).toBe('fail');
    expect(hh(T0 + 119_000)).toBe('pass');
    // before anything was emitted there is nothing
    expect(resultsAsOf(out.results, T0 - 1)).toEqual([]);
  });

  it('keeps the later of two changes with the same `since`, as the store keeps the later row', () => {
    const r = (verdict: 'pass' | 'fail', since: number) => ({ site: 's', clause: 'C', subject: 'A', verdict, since, evidence: [], thresholds: {}, standard: 'x@1.0.0' });
    expect(resultsAsOf([r('pass', 10), r('fail', 10)], 10).map((x) => x.verdict)).toEqual(['fail']);
    expect(resultsAsOf([r('fail', 20), r('pass', 10)], 30).map((x) => x.verdict)).toEqual(['fail']);
  });
});
