// Whole clause pipelines in marbles: samples into the real engine (demo depot, oil-depot-above-ground
// 1.0.0) on a TestScheduler, one clause's verdicts out — the evaluator with its deadband, delay-on,
// the collector's stale mark and the alarm raised from the verdict, as the engine runs them live.
import { filter, map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { loadSite, type Sample } from '../../model/index.ts';
import { parseDocument } from 'yaml';
import { readFileSync } from 'node:fs';
import { loadStandard, parseStandard, type Standard } from '../../standards/index.ts';
import { createEngine, type Engine } from '../index.ts';

const root = new URL('../../', import.meta.url).pathname;
const site = await loadSite(`${root}sites/zhoushan-demo.yaml`);
const standard = await loadStandard(`${root}standards/oil-depot-above-ground/1.0.0.yaml`);
const STALE_MS = site.points.find((p) => p.id === 'T101.level')!.staleAfterMs;
const HH = standard.clauses.find((c) => c.id === 'GB50074-15.1.2-HH')!;
const HIGH = standard.clauses.find((c) => c.id === 'GB50074-15.1.1-HIGH')!;
/** T101's set-points from the demo depot, so the readings below sit where the test says they sit */
const t101 = site.assets.find((a) => a.id === 'T101')!.attributes as { levelHigh: number; levelHighHigh: number };

type Helpers = Parameters<Parameters<TestScheduler['run']>[0]>[0];
/** Runs marbles with an engine on the test scheduler; the clock stops at `untilMs` (escalations never end by themselves). */
function withEngine(untilMs: number, body: (helpers: Helpers, engine: Engine, s: TestScheduler) => void, standards: Standard[] = [standard]) {
  const s = new TestScheduler((a, b) => expect(a).toEqual(b));
  s.run((helpers) => {
    s.maxFrames = untilMs;
    const engine = createEngine({ sites: [site], standards, scheduler: s });
    body(helpers, engine, s);
  });
}
/**
 * T101.level readings on the marble's timeline, stamped with the scheduler's time (fed after the expectations subscribe, so frame 0 is seen);
 * `s` is the collector's report that the gauge has been silent for its staleAfterMs: the last value, quality bad, reason stale
 */
const feed = (helpers: Helpers, engine: Engine, s: TestScheduler, marbles: string, levels: Record<string, number>) => {
  let last = Number.NaN;
  helpers.cold(marbles, { ...levels, s: undefined }).subscribe((value) => {
    const sample: Sample =
      value === undefined
        ? { site: site.id, point: 'T101.level', value: last, quality: 'bad', reason: 'stale', ts: s.now() }
        : { site: site.id, point: 'T101.level', value: (last = value), quality: 'good', ts: s.now() };
    engine.ingest(sample);
  });
};
/** one clause's verdicts on T101, as letters: p(ass), f(ail), u(nknown) */
const verdicts = (engine: Engine, clause: string) =>
  engine.results$.pipe(
    filter((r) => r.clause === clause && r.subject === 'T101'),
    map((r) => r.verdict[0]),
  );

describe('clause pipelines on virtual time (demo depot, 1.0.0)', () => {
  it('deadband: high-high holds its failure until the level is a band clear of the set-point, then goes unknown when the gauge falls silent', () => {
    const band = HH.deadband['level']!;
    const hh = t101.levelHighHigh;
    expect(HH.delayOnMs + HH.delayOffMs).toBe(0); // no delays: what holds the failure is the deadband alone
    withEngine(20_000, (helpers, engine, s) => {
      const levels = { a: hh - 1, b: hh + 0.1, c: hh - band / 2, d: hh - 2 * band, e: hh + band / 2 };
      // a pass; b fail; c under the set-point but inside the band: no change; d clear: pass; e over: fail;
      // the last reading at 400 ms: the collector reports it stale STALE_MS later: unknown
      const unsubscribe = `^ ${STALE_MS + 1000}ms !`;
      helpers.expectObservable(verdicts(engine, HH.id), unsubscribe).toBe(`p 99ms f 199ms p 99ms f ${STALE_MS - 1}ms u`);
      feed(helpers, engine, s, `a 99ms b 99ms c 99ms d 99ms e ${STALE_MS - 1}ms s`, levels);
    });
  });

  it('deadband and delay-on: high fails only after it has lasted delay-on, and a reading just under the set-point does not clear it', () => {
    const band = HIGH.deadband['level']!;
    const high = t101.levelHigh;
    const on = HIGH.delayOnMs;
    expect(on).toBe(10_000);
    withEngine(40_000, (helpers, engine, s) => {
      const levels = { a: high - 1, b: high + 0.2, c: high + 0.3, d: high - band / 2, e: high - 2 * band };
      // a at 0, b at 1 s (over), c at 6 s (still over), d at 12 s (inside the band), e at 13 s (clear)
      // pass at 0; the failure from 1 s is confirmed at 11 s; d keeps it; e passes at 13 s; reported stale 10 s later
      helpers.expectObservable(verdicts(engine, HIGH.id), '^ 30s !').toBe(`p ${1000 + on - 1}ms f 1999ms p ${STALE_MS - 1}ms u`);
      feed(helpers, engine, s, `a 999ms b 4999ms c 5999ms d 999ms e ${STALE_MS - 1}ms s`, levels);
    });
  });

  it('a failure within delay-on never shows, nor raises its alarm', () => {
    withEngine(30_000, (helpers, engine, s) => {
      const levels = { a: t101.levelHigh - 1, b: t101.levelHigh + 0.5 };
      helpers.expectObservable(verdicts(engine, HIGH.id), '^ 8s !').toBe('p');
      helpers.expectObservable(engine.alerts$.pipe(filter((a) => a.clause === HIGH.id)), '^ 8s !').toBe('');
      feed(helpers, engine, s, 'a 999ms b 4999ms a', levels); // over for 5 s < 10 s delay-on
    });
  });

  it('a failing clause raises its alarm at the verdict; the return leaves it open (returned, unacknowledged) until acknowledged', () => {
    withEngine(60_000, (helpers, engine, s) => {
      const levels = { a: t101.levelHighHigh - 1, b: t101.levelHighHigh + 0.5 };
      helpers.cold('5s k').subscribe(() => {
        const open = engine.snapshot(site.id)!.alerts.find((a) => a.clause === HH.id)!;
        engine.acknowledge(open.id, 'operator', 'level back under high-high, inlet checked');
      });
      const states = engine.alerts$.pipe(
        filter((a) => a.clause === HH.id),
        map((a) => `${a.lifecycle!.condition[0]}${a.lifecycle!.acknowledged ? 'A' : 'U'}`),
      );
      // raised at 1 s (active, unacknowledged); returned at 2 s, still unacknowledged; acknowledged at 5 s: returned and acknowledged
      helpers.expectObservable(states, '^ 9s !').toBe('1s x 999ms y 2999ms z', { x: 'aU', y: 'rU', z: 'rA' });
      feed(helpers, engine, s, 'a 999ms b 999ms a', levels);
    });
  });

  it('latch: a latched high-high stays failing after the level returns, until its alarm is acknowledged', () => {
    const latched = withLatch(HH.id);
    withEngine(
      60_000,
      (helpers, engine, s) => {
        const levels = { a: t101.levelHighHigh - 1, b: t101.levelHighHigh + 0.5 };
        helpers.cold('5s k').subscribe(() => {
          const open = engine.snapshot(site.id)!.alerts.find((a) => a.clause === HH.id)!;
          engine.acknowledge(open.id, 'operator', 'level back under high-high, inlet checked');
        });
        const states = engine.alerts$.pipe(
          filter((a) => a.clause === HH.id),
          map((a) => `${a.lifecycle!.condition[0]}${a.lifecycle!.acknowledged ? 'A' : 'U'}`),
        );
        // fails at 1 s; the return at 2 s is held; acknowledged at 5 s, the reset shows the pass then
        helpers.expectObservable(verdicts(engine, HH.id), '^ 9s !').toBe('p 999ms f 3999ms p');
        // raised at 1 s; still active (not returned) at 2 s; acknowledged at 5 s, returned at once after it
        helpers.expectObservable(states, '^ 9s !').toBe('1s x 3999ms (yz)', { x: 'aU', y: 'aA', z: 'rA' });
        feed(helpers, engine, s, 'a 999ms b 999ms a 9999ms a', levels);
      },
      [latched],
    );
  });

  it('latch: only a live clause with an alert may latch (the standard is refused otherwise, naming the field)', () => {
    expect(() => withLatch('GB50074-6.5.1-DIKE-DESIGN')).toThrow(/latch.*only a live clause with an alert latches/s);
  });
});

/** oil-depot-above-ground 1.0.0 with `latch: true` on one clause */
function withLatch(clauseId: string): Standard {
  const file = `${root}standards/oil-depot-above-ground/1.0.0.yaml`;
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const clauses = doc.toJS().clauses as { id: string }[];
  doc.setIn(['clauses', clauses.findIndex((c) => c.id === clauseId), 'latch'], true);
  return parseStandard(doc.toString(), file);
}
