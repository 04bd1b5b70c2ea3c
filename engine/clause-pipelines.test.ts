// The live clauses' pipelines on their own, in marbles: real evaluators of the demo depot under
// oil-depot-above-ground 1.0.0 on real point cells, samples handed to the cells on a TestScheduler.
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { Subject, filter, map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { loadSite, type ClauseResult, type Site } from '../model/index.ts';
import { loadStandard, parseStandard, type Standard } from '../standards/index.ts';
import { wireClausePipelines } from './clause-pipelines.ts';
import { createLinkWatch } from './link-watch.ts';
import { compileSiteClauses } from './site-clauses.ts';
import { createSitePoints } from './site-points.ts';

const root = new URL('../', import.meta.url).pathname;
const STANDARD_FILE = `${root}standards/oil-depot-above-ground/1.0.0.yaml`;
const demo = await loadSite(`${root}sites/zhoushan-demo.yaml`);
const standard = await loadStandard(STANDARD_FILE);
const t101 = demo.assets.find((a) => a.id === 'T101')!.attributes as { levelHigh: number; levelHighHigh: number };
const HIGH = 'GB50074-15.1.1-HIGH';
const HH = 'GB50074-15.1.2-HH';
const IDENTIFICATION = 'GB18218-2018-IDENTIFICATION';

/** The pipelines of a site wired on `s`; `reading` hands a good reading to its point's cell at the scheduler's time; `resets` are the latched clauses' releases. */
function wired(s: TestScheduler, options: { site?: Site; standard?: Standard } = {}) {
  const site = options.site ?? demo;
  const std = options.standard ?? standard;
  const points = createSitePoints(site, createLinkWatch(site, s, () => undefined).links, () => undefined);
  const assetsOfKind = new Map<string, string[]>();
  for (const a of site.assets) assetsOfKind.set(a.kind, [...(assetsOfKind.get(a.kind) ?? []), a.id]);
  const context = {
    siteId: site.id,
    standard: std,
    cel: std.cel.toCel(site),
    points: new Map(site.points.map((p) => [p.id, p])),
    cells: points.cells,
    assetsOfKind,
    logger: pino({ level: 'silent' }),
    now: s.now(),
  };
  const clauses = compileSiteClauses(site, std, context);
  const results = new Subject<ClauseResult>();
  const resets = new Map<string, Subject<void>>();
  const subscription = wireClausePipelines(clauses.evaluators, {
    scheduler: s,
    cells: points.cells,
    latchReset: (clause, subject) => {
      const reset = new Subject<void>();
      resets.set(`${clause} ${subject}`, reset);
      return reset;
    },
    results: (r) => results.next(r),
  });
  const reading = (point: string, value: number) => points.accept(points.cells.get(point)!, { site: site.id, point, value, quality: 'good', ts: s.now() }, s.now());
  return { clauses, points, results, resets, subscription, reading };
}

/** one clause's verdicts (on one subject), as letters: p(ass), f(ail), u(nknown) */
const verdicts = (results: Observable<ClauseResult>, clause: string, subject?: string) =>
  results.pipe(
    filter((r) => r.clause === clause && (subject === undefined || r.subject === subject)),
    map((r) => r.verdict[0]!),
  );

/** oil-depot-above-ground 1.0.0 with `latch: true` on one clause */
function withLatchOn(clauseId: string): Standard {
  const doc = parseDocument(readFileSync(STANDARD_FILE, 'utf8'));
  const clauses = doc.toJS().clauses as { id: string }[];
  doc.setIn(['clauses', clauses.findIndex((c) => c.id === clauseId), 'latch'], true);
  return parseStandard(doc.toString(), STANDARD_FILE);
}

describe('clause pipelines', () => {
  it('hands on a verdict change of a clause on one subject after its delay-on', () => {
    const s = new TestScheduler((a, b) => expect(a).toEqual(b));
    s.run((helpers) => {
      const { results, reading } = wired(s);
      // under high at 0, over it from 1 s: the failure shows once it has lasted delay-on (10 s)
      helpers.expectObservable(verdicts(results, HIGH, 'T101'), '^ 20s !').toBe('p 10999ms f');
      helpers.cold('a 999ms b', { a: t101.levelHigh - 1, b: t101.levelHigh + 0.5 }).subscribe((v) => reading('T101.level', v));
    });
  });

  it('holds a latched clause failing after its condition returns, until its reset', () => {
    const s = new TestScheduler((a, b) => expect(a).toEqual(b));
    s.run((helpers) => {
      const { results, reading, resets } = wired(s, { standard: withLatchOn(HH) });
      // fails at 1 s; the return at 2 s is held; the reset at 5 s shows the pass
      helpers.expectObservable(verdicts(results, HH, 'T101'), '^ 10s !').toBe('p 999ms f 3999ms p');
      helpers.cold('a 999ms b 999ms a', { a: t101.levelHighHigh - 1, b: t101.levelHighHigh + 0.5 }).subscribe((v) => reading('T101.level', v));
      helpers.cold('5s r').subscribe(() => resets.get(`${HH} T101`)!.next());
    });
  });

  it('evaluates a clause over every asset of a kind once per scheduler tick, however many of its points changed in it', () => {
    const s = new TestScheduler((a, b) => expect(a).toEqual(b));
    const evaluatedAt: number[] = [];
    s.run((helpers) => {
      const { clauses, results, reading } = wired(s);
      const identification = clauses.evaluators.find((e) => e.clause.id === IDENTIFICATION)!;
      const evaluate = identification.evaluate.bind(identification);
      identification.evaluate = (now) => (evaluatedAt.push(now), evaluate(now));
      const tanks = demo.assets.filter((a) => a.kind === 'tank').map((a) => `${a.id}.level`);
      // every tank read at 0 and again at 1 s: known at 0, and no change at 1 s
      helpers.expectObservable(verdicts(results, IDENTIFICATION), '^ 2s !').toBe('p');
      helpers.cold('a 999ms b', { a: 10, b: 11 }).subscribe((v) => tanks.forEach((id) => reading(id, v)));
    });
    expect(evaluatedAt).toEqual([0, 1000]);
  });

  it('wires no not-applicable clause, and ends every pipeline and pending evaluation when unsubscribed', () => {
    const toxic: Site = { ...demo, assets: demo.assets.map((x) => (x.id === 'GDP1' ? { ...x, attributes: { ...x.attributes, gas: 'toxic' } } : x)) as Site['assets'] };
    const s = new TestScheduler((a, b) => expect(a).toEqual(b));
    s.run((helpers) => {
      const { points, results, reading, subscription } = wired(s, { site: toxic });
      expect(points.cells.get('GDP1.gas')!.evaluators.map((e) => e.evaluator.clause.id)).not.toContain('GBT50493-5.5.2-GAS1');
      expect(points.cells.get('GD101.gas')!.evaluators.map((e) => e.evaluator.clause.id)).toContain('GBT50493-5.5.2-GAS1');
      // T101 under high at 0, over it at 1 s (its failure due at 11 s); the other tanks read at 2 s (the identification, known
      // from then, due at the end of that tick) and unsubscribed in the same tick: neither comes
      helpers.expectObservable(verdicts(results, HIGH, 'T101'), '^ 20s !').toBe('p');
      helpers.expectObservable(verdicts(results, IDENTIFICATION), '^ 20s !').toBe('');
      helpers.cold('a 999ms b', { a: t101.levelHigh - 1, b: t101.levelHigh + 0.5 }).subscribe((v) => reading('T101.level', v));
      helpers.cold('2s a').subscribe(() => {
        for (const tank of demo.assets.filter((a) => a.kind === 'tank' && a.id !== 'T101')) reading(`${tank.id}.level`, 10);
        subscription.unsubscribe();
      });
    });
  });
});
