// Compiling a standard on a site: every clause on every subject it applies to, live or static.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadSite, type Site } from '../model/index.ts';
import { loadStandard } from '../standards/index.ts';
import { clauseKey, compileSiteClauses } from './site-clauses.ts';

const root = new URL('../', import.meta.url).pathname;
const site = await loadSite(`${root}sites/zhoushan-demo.yaml`);
const standard = await loadStandard(`${root}standards/oil-depot-above-ground/1.0.0.yaml`);
const NOW = Date.parse('2026-11-23T00:00:00Z');

function compile(on: Site = site) {
  const assetsOfKind = new Map<string, string[]>();
  for (const a of on.assets) assetsOfKind.set(a.kind, [...(assetsOfKind.get(a.kind) ?? []), a.id]);
  const context = {
    siteId: on.id,
    standard,
    cel: standard.cel.toCel(on),
    points: new Map(on.points.map((p) => [p.id, p])),
    cells: new Map(),
    assetsOfKind,
    logger: pino({ level: 'silent' }),
    now: NOW,
  };
  return compileSiteClauses(on, standard, context);
}

describe('site clauses', () => {
  it('puts each clause on the site or on every asset of its kind, in standard then site order', () => {
    const { order } = compile();
    const expected = standard.clauses.flatMap((c) =>
      c.appliesTo === 'site' ? [clauseKey(c.id, site.id)] : site.assets.filter((a) => a.kind === c.appliesTo).map((a) => clauseKey(c.id, a.id)),
    );
    expect(order).toEqual(expected);
    expect(order).toContain(clauseKey('GB50074-15.1.2-HH', 'T101'));
    expect(order.filter((k) => k.startsWith('GB50074-15.1.2-HH\u0000'))).toHaveLength(site.assets.filter((a) => a.kind === 'tank').length);
  });

  it('gives a live clause an evaluator, unknown until a reading comes, and a design or evidence clause its verdict from the site definition', () => {
    const { evaluators, statics, current } = compile();
    const hh = evaluators.find((e) => e.clause.id === 'GB50074-15.1.2-HH' && e.subject.id === 'T101')!;
    expect(hh.points).toEqual(['T101.level']);
    expect(hh.result).toMatchObject({ verdict: 'unknown', since: NOW });
    const steps = statics.find((s) => s.clause.id === 'GB50351-3.1.7-STEPS' && s.subject.id === 'D3')!;
    expect(steps.result).toMatchObject({ verdict: 'fail', since: NOW, standard: 'oil-depot-above-ground@1.0.0' });
    expect(evaluators.every((e) => e.clause.check === 'live')).toBe(true);
    expect(statics.every((s) => s.clause.check !== 'live')).toBe(true);
    // an evidence record that expires says when
    expect(statics.find((s) => s.clause.id === 'ORDER40-21-SPECIAL-DRILL')!.changesAt).toBe(Date.parse('2027-06-15'));
    expect(current.size).toBe(evaluators.length + statics.length);
    expect(current.get(clauseKey('GB50351-3.1.7-STEPS', 'D3'))).toBe(steps.result);
  });

  it('names each clause on each subject, for the alerts its verdicts raise', () => {
    const { named, order } = compile();
    expect([...named.keys()].sort()).toEqual([...order].sort());
    expect(named.get(clauseKey('GB50074-15.1.2-HH', 'T101'))).toMatchObject({
      id: 'T101',
      name: site.assets.find((a) => a.id === 'T101')!.name,
      clause: { id: 'GB50074-15.1.2-HH' },
    });
    expect(named.get(clauseKey('GB18218-2018-GRADE', site.id))).toMatchObject({ id: site.id, name: site.name });
  });

  it('has no subject for a clause on a kind the site does not have', () => {
    const noSirens = { ...site, assets: site.assets.filter((a) => a.kind !== 'siren') };
    const { order } = compile(noSirens);
    expect(order.some((k) => k.startsWith('ZJ-SIREN-READY\u0000'))).toBe(false);
    expect(compile().order.some((k) => k.startsWith('ZJ-SIREN-READY\u0000'))).toBe(true);
  });
});
