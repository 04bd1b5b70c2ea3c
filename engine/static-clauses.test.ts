// Design and evidence clauses in the running engine and on their own (static-clauses.ts): known from
// the start, recorded once the engine runs, evidence expiring on the scheduler's clock, re-evaluated
// when the site changes.
import { VirtualTimeScheduler, type SchedulerLike } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite, parseSite, type ClauseResult, type LiveEvent, type Site } from '../model/index.ts';
import { loadStandard, type Standard } from '../standards/index.ts';
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { createEngine, EngineError } from './index.ts';
import { compileSiteClauses } from './site-clauses.ts';
import { runStaticClauses } from './static-clauses.ts';

const SITE_FILE = new URL('../sites/zhoushan-demo.yaml', import.meta.url).pathname;
const STANDARD = new URL('../standards/oil-depot-above-ground/1.0.0.yaml', import.meta.url).pathname;
const DAY = 86_400_000;
let site: Site;
let standard: Standard;
beforeAll(async () => {
  site = await loadSite(SITE_FILE);
  standard = await loadStandard(STANDARD);
});

/** A virtual clock that reads `start` at time zero; runs up to `horizon` ms. */
function clock(start: string, horizon: number) {
  const virtual = new VirtualTimeScheduler(undefined, horizon);
  const t0 = Date.parse(start);
  const scheduler: SchedulerLike = { now: () => t0 + virtual.now(), schedule: virtual.schedule.bind(virtual) as SchedulerLike['schedule'] };
  return { virtual, scheduler, t0 };
}

describe('design and evidence clauses in the engine', () => {
  it('knows them at start and records each once the engine runs, under <id>@<version>', () => {
    const { virtual, scheduler } = clock('2026-11-23T00:00:00Z', 10);
    const engine = createEngine({ sites: [site], standards: [standard], scheduler });
    const before = engine.snapshot(site.id)!.results.find((r) => r.clause === 'GB50351-3.1.7-STEPS' && r.subject === 'D3');
    expect(before?.verdict).toBe('fail');
    const results: ClauseResult[] = [];
    engine.results$.subscribe((r) => results.push(r));
    virtual.flush();
    const steps = results.filter((r) => r.clause === 'GB50351-3.1.7-STEPS');
    expect(steps.map((r) => [r.subject, r.verdict])).toEqual([
      ['D1', 'pass'],
      ['D2', 'pass'],
      ['D3', 'fail'],
    ]);
    expect(steps[2]).toMatchObject({ standard: 'oil-depot-above-ground@1.0.0', thresholds: { 'params.minSteps': 2 } });
    expect(steps[2]!.evidence).toEqual([
      { point: 'D3.crossingSteps', value: 1, quality: 'good', ts: expect.any(Number) },
      { point: 'D3.stepSides', value: 1, quality: 'good', ts: expect.any(Number) },
    ]);
    engine.dispose();
  });

  it('turns an evidence clause to fail when its record expires on the engine clock, with a score change', () => {
    // the special-plan drill of 2026-06-15 is valid for P1Y: until 2027-06-15
    const { virtual, scheduler, t0 } = clock('2027-06-14T00:00:00Z', 2 * DAY);
    const engine = createEngine({ sites: [site], standards: [standard], scheduler });
    const events: LiveEvent[] = [];
    engine.events$.subscribe((e) => events.push(e));
    virtual.flush();
    const drill = events.filter((e): e is Extract<LiveEvent, { type: 'result' }> => e.type === 'result' && e.data.clause === 'ORDER40-21-SPECIAL-DRILL');
    expect(drill.map((e) => [e.data.verdict, e.data.since - t0])).toEqual([
      ['pass', 0],
      ['fail', DAY],
    ]);
    expect(drill[1]!.data.thresholds).toMatchObject({ expired: true, validFor: 'P1Y' });
    const scores = events.filter((e) => e.type === 'score');
    expect(scores.at(-1)?.data).toMatchObject({ ts: t0 + DAY });
    engine.dispose();
  });

  it('re-evaluates design clauses when the site definition changes, keeping the latest readings', () => {
    const { virtual, scheduler } = clock('2026-11-23T00:00:00Z', 10);
    const engine = createEngine({ sites: [site], standards: [standard], scheduler });
    engine.ingest({ site: site.id, point: 'T101.level', value: 12, quality: 'good', ts: 1 });
    virtual.flush();
    const fixed = parseSite(readFileSync(SITE_FILE, 'utf8').replace('crossingSteps: 1\n      stepSides: 1', 'crossingSteps: 2\n      stepSides: 2'), 'fixed.yaml');
    const results: ClauseResult[] = [];
    engine.results$.subscribe((r) => results.push(r));
    engine.updateSite(fixed);
    virtual.flush();
    expect(results.find((r) => r.clause === 'GB50351-3.1.7-STEPS' && r.subject === 'D3')?.verdict).toBe('pass');
    const snapshot = engine.snapshot(site.id)!;
    expect(snapshot.values['T101.level']?.value).toBe(12);
    expect(snapshot.results.find((r) => r.clause === 'GB50074-15.1.2-HH' && r.subject === 'T101')?.verdict).toBe('pass');
    expect(() => engine.updateSite({ ...fixed, id: 'elsewhere' })).toThrow(EngineError);
    engine.dispose();
  });
});

describe('static clauses on their own (runStaticClauses)', () => {
  /** the demo depot's design and evidence clauses compiled at the clock's start, run on it */
  function run(start: string, horizon: number) {
    const { virtual, scheduler, t0 } = clock(start, horizon);
    const cel = standard.cel.toCel(site);
    const context = { siteId: site.id, standard, cel, points: new Map(), cells: new Map(), assetsOfKind: new Map(), logger: pino({ level: 'silent' }), now: t0 };
    const { statics } = compileSiteClauses(site, standard, context);
    const recorded: ClauseResult[] = [];
    const changed: ClauseResult[] = [];
    const { timers, rejudge } = runStaticClauses(statics, {
      siteId: site.id,
      standard: standard.key,
      cel,
      scheduler,
      record: (r) => recorded.push(r),
      change: (r) => changed.push(r),
    });
    return { virtual, t0, statics, recorded, changed, timers, rejudge, cel };
  }

  it('records the verdicts known from the start on the scheduler’s first turn, not before, leaving out the not-applicable', () => {
    const { virtual, statics, recorded } = run('2026-11-23T00:00:00Z', 10);
    expect(recorded).toEqual([]);
    virtual.flush();
    expect(recorded).toEqual(statics.map((s) => s.result).filter((r) => r.verdict !== 'not-applicable'));
    expect(recorded.length).toBeGreaterThan(0);
  });

  it('changes an evidence clause when its record expires, also when that is past the longest timer (re-armed on the way)', () => {
    // the special-plan drill of 2026-06-15 holds until 2027-06-15: 45 days after the start, past setTimeout's 24.8 days
    const { virtual, t0, changed, statics } = run('2027-05-01T00:00:00Z', 60 * DAY);
    virtual.flush();
    const drill = changed.filter((r) => r.clause === 'ORDER40-21-SPECIAL-DRILL');
    expect(drill.map((r) => [r.verdict, r.since - t0])).toEqual([['fail', Date.parse('2027-06-15') - t0]]);
    expect(Date.parse('2027-06-15') - t0).toBeGreaterThan(2 ** 31 - 1);
    expect(statics.find((s) => s.clause.id === 'ORDER40-21-SPECIAL-DRILL')!.result.verdict).toBe('fail');
  });

  it('judges each evidence clause at its own expiry, one after another, on the one timer of the site', () => {
    const { virtual, t0, changed, statics } = run('2026-11-23T00:00:00Z', 3 * 365 * DAY);
    const due = statics.filter((s) => s.changesAt !== undefined && s.changesAt - t0 <= 3 * 365 * DAY).map((s) => [s.clause.id, s.subject.id, s.changesAt]);
    expect(new Set(due.map(([, , at]) => at)).size).toBeGreaterThan(2);
    virtual.flush();
    for (const [clause, subject, at] of due) expect(changed.find((r) => r.clause === clause && r.subject === subject && r.since === at)).toBeDefined();
  });

  it('judges an evidence clause again at once when a record of its kind is added, and re-arms its expiry from that record', () => {
    // past the special-plan drill's year (2026-06-15 + P1Y): failing; a drill recorded on 2027-07-01 makes it pass until 2028-07-01
    const { virtual, t0, changed, rejudge, cel } = run('2027-06-20T00:00:00Z', 400 * DAY);
    virtual.schedule(
      () => {
        cel.records.push(...standard.cel.toCel({ ...site, evidence: [{ kind: 'special-plan-drill', date: '2027-07-01', by: 'test', passed: true, values: {} }] }).records);
        rejudge('special-plan-drill');
      },
      Date.parse('2027-07-01T08:00:00Z') - t0,
    );
    virtual.flush();
    const drill = changed.filter((r) => r.clause === 'ORDER40-21-SPECIAL-DRILL').map((r) => [r.verdict, new Date(r.since).toISOString().slice(0, 16)]);
    expect(drill).toEqual([
      ['pass', '2027-07-01T08:00'],
      ['fail', '2028-07-01T00:00'],
    ]);
  });

  it('leaves no timer running once unsubscribed', () => {
    const { virtual, recorded, changed, timers } = run('2027-06-14T00:00:00Z', 2 * DAY);
    timers.unsubscribe();
    virtual.flush();
    expect([...recorded, ...changed]).toEqual([]);
  });
});
