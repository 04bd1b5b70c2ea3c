// The site's score as it is shown, on its own: compliance from the verdicts, the live risk beside it.
import { pino } from 'pino';
import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { loadSite, type Alert, type ClauseResult, type SiteScore } from '../model/index.ts';
import { loadStandard } from '../standards/index.ts';
import { createScorePublication } from './score-publication.ts';
import { compileSiteClauses } from './site-clauses.ts';

const root = new URL('../', import.meta.url).pathname;
const site = await loadSite(`${root}sites/zhoushan-demo.yaml`);
const standard = await loadStandard(`${root}standards/oil-depot-above-ground/1.0.0.yaml`);
const HH = 'GB50074-15.1.2-HH';

/** a publication on a TestScheduler at 0; `passing`: every clause on every subject starts passing */
function publication(passing: boolean) {
  const scheduler = new TestScheduler(() => undefined);
  const context = {
    siteId: site.id,
    standard,
    cel: standard.cel.toCel(site),
    points: new Map(),
    cells: new Map(),
    assetsOfKind: new Map(),
    logger: pino({ level: 'silent' }),
    now: 0,
  };
  const compiled = [...compileSiteClauses(site, standard, context).current.values()];
  const initial = passing ? compiled.map((r): ClauseResult => (r.verdict === 'not-applicable' ? r : { ...r, verdict: 'pass' })) : compiled;
  const results = new Subject<ClauseResult>();
  // the book hands out a new list whenever an alert changes (alarm-book.ts open()): a copy here each time
  const open: Alert[] = [];
  const critical = new Set<string>();
  const published: SiteScore[] = [];
  const score = createScorePublication({ site, standard, scheduler, results, initial, openAlerts: () => [...open], criticalSources: critical, emit: (s) => published.push(s) });
  return { score, results, open, critical, published, initial };
}
const alert = (patch: Partial<Alert>): Alert => ({
  id: `${site.id}:x:${patch.kind}:0`,
  site: site.id,
  kind: 'overfill',
  severity: 1,
  state: 'active',
  raisedAt: 0,
  changedAt: 0,
  subjects: ['T101'],
  message: { zh: '', en: '' },
  actions: [],
  standard: standard.key,
  lifecycle: { condition: 'active', acknowledged: false, escalations: 0 },
  ...patch,
});
const fire = alert({ kind: 'hazard-tank-fire', incident: { hazard: 'tank-fire' } as Alert['incident'] });

describe('score publication', () => {
  it('starts from the verdicts it is given, shown without being published', () => {
    const { score, published } = publication(true);
    expect(score.current()).toMatchObject({ site: site.id, score: 100, risk: 'blue', complianceRisk: 'blue', ts: 0 });
    expect(published).toEqual([]);
  });

  it('publishes each change of the compliance score with the live risk of that moment', () => {
    const { score, results, open, published, initial } = publication(true);
    open.push(fire);
    const t101 = initial.find((r) => r.clause === HH && r.subject === 'T101')!;
    results.next({ ...t101, verdict: 'fail', since: 1000 });
    results.next({ ...t101, verdict: 'fail', since: 1500 }); // the same verdict again: the score has not changed
    results.next({ ...t101, verdict: 'pass', since: 2000, site: 'elsewhere' }); // another site's verdict counts for nothing
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ ts: 1000, complianceRisk: 'red', risk: 'red' });
    expect(published[0]!.score).toBeLessThan(100);
    expect(published[0]!.riskReason.en).toContain('open incident');
    expect(score.current()).toBe(published[0]);
  });

  it('publishes again on an alert change only when the risk or its reason changes, never stamped before the compliance score', () => {
    const { score, open, published } = publication(true);
    score.show(500);
    expect(published).toEqual([]);
    open.push(fire);
    score.show(500);
    score.show(600);
    open.pop();
    score.show(700);
    expect(published.map((s) => [s.ts, s.risk, s.complianceRisk])).toEqual([
      [500, 'red', 'blue'],
      [700, 'blue', 'blue'],
    ]);
    expect(score.riskNow()).toMatchObject({ risk: 'blue' });
  });

  it('raises the risk for lost communications only with a source serving safety-critical points', () => {
    const { score, open, critical, published } = publication(true);
    open.push(alert({ kind: 'comms-loss', severity: 2, subjects: ['rtu-fire'] }));
    score.show(100);
    expect(published).toEqual([]);
    critical.add('rtu-fire');
    score.show(200);
    expect(published.map((s) => [s.ts, s.risk])).toEqual([[200, standard.liveRisk.commsLoss]]);
    expect(published[0]!.riskReason.en).toContain('communications lost with rtu-fire');
  });

  it('publishes nothing once disposed', () => {
    const { score, results, published, initial } = publication(true);
    score.dispose();
    results.next({ ...initial.find((r) => r.clause === HH)!, verdict: 'fail', since: 1000 });
    expect(published).toEqual([]);
  });
});
