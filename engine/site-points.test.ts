// The per-point state of a site and the per-sample path: the cells, who reads them, and in what order.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadSite, type ClauseResult, type Sample } from '../model/index.ts';
import { loadStandard } from '../standards/index.ts';
import { createLinkWatch } from './link-watch.ts';
import { compileSiteClauses } from './site-clauses.ts';
import { createSitePoints } from './site-points.ts';
import { TestScheduler } from 'rxjs/testing';

const root = new URL('../', import.meta.url).pathname;
const site = await loadSite(`${root}sites/zhoushan-demo.yaml`);
const standard = await loadStandard(`${root}standards/oil-depot-above-ground/1.0.0.yaml`);
const HH = 'GB50074-15.1.2-HH';

function points() {
  const scheduler = new TestScheduler(() => undefined);
  const links = createLinkWatch(site, scheduler, () => undefined);
  const emitted: Sample[] = [];
  return { links, emitted, points: createSitePoints(site, links.links, (s) => emitted.push(s)) };
}
const reading = (point: string, value: number | boolean, ts = 0): Sample => ({ site: site.id, point, value, quality: 'good', ts });

describe('site points', () => {
  it("holds a cell for every site point and every source's <source>.online, each sharing its source's link", () => {
    const { points: p, links } = points();
    expect(p.cells.size).toBe(site.points.length + site.sources.length);
    expect(p.cells.get('T101.level')!.link).toBe(links.links.get('plc-tankfarm'));
    expect(p.cells.get('plc-tankfarm.online')!.link).toBe(links.links.get('plc-tankfarm'));
    expect(p.cells.get('FWP1.level')!.link).toBe(links.links.get('rtu-fire'));
    const rtu = p.ofSource('rtu-fire').map((s) => s.point.id);
    expect(rtu).toEqual([...site.points.filter((q) => q.source === 'rtu-fire').map((q) => q.id), 'rtu-fire.online']);
    expect(p.ofSource('nowhere')).toEqual([]);
  });

  it('keeps the latest sample in its cell and hands it on: the sample out, hazard models, then site-wide clauses, then the clauses on one subject', () => {
    const { points: p, emitted } = points();
    const state = p.cells.get('T101.level')!;
    const order: string[] = [];
    state.hazards.push((s) => order.push(`hazard ${s.value}`));
    state.coalesced.push(() => order.push('site-wide'));
    const clauses = compileSiteClauses(site, standard, {
      siteId: site.id,
      standard,
      cel: standard.cel.toCel(site),
      points: new Map(site.points.map((q) => [q.id, q])),
      cells: p.cells,
      assetsOfKind: new Map([['tank', ['T101']]]),
      logger: pino({ level: 'silent' }),
      now: 0,
    });
    const hh = clauses.evaluators.find((e) => e.clause.id === HH && e.subject.id === 'T101')!;
    const changes: ClauseResult[] = [];
    state.evaluators.push({ evaluator: hh, raw: { next: (r) => (order.push(`clause ${r.verdict}`), changes.push(r)) } });

    p.accept(state, reading('T101.level', 12, 5), 1000);
    p.accept(state, reading('T101.level', 12.1, 6), 2000); // still passing: no change to hand on
    p.accept(state, reading('T101.level', 19.8, 7), 3000);
    expect(order).toEqual(['hazard 12', 'site-wide', 'clause pass', 'hazard 12.1', 'site-wide', 'hazard 19.8', 'site-wide', 'clause fail']);
    expect(changes.map((r) => [r.verdict, r.since])).toEqual([
      ['pass', 1000],
      ['fail', 3000],
    ]);
    expect(state.sample).toEqual(reading('T101.level', 19.8, 7));
    expect(emitted.map((s) => s.value)).toEqual([12, 12.1, 19.8]);
  });

  it('lists each point’s latest sample in the order the points had their first', () => {
    const { points: p } = points();
    const at = (id: string, value: number | boolean) => p.accept(p.cells.get(id)!, reading(id, value), 0);
    at('GD101.gas', 2);
    at('plc-tankfarm.online', true);
    at('T101.level', 12);
    at('GD101.gas', 3);
    expect(Object.entries(p.values()).map(([id, s]) => [id, s.value])).toEqual([
      ['GD101.gas', 3],
      ['plc-tankfarm.online', true],
      ['T101.level', 12],
    ]);
  });
});
