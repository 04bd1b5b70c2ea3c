// One site's twin as its parts are wired and held: the order a sample's consequences go out in,
// which samples are its own, the snapshot, restoring alerts, a silent feed, and disposal.
import { pino } from 'pino';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { loadSite, type Alert, type LiveEvent, type Sample } from '../model/index.ts';
import { loadStandard } from '../standards/index.ts';
import { createSiteRuntime, type SiteRuntime } from './site-runtime.ts';

const root = new URL('../', import.meta.url).pathname;
const site = await loadSite(`${root}sites/zhoushan-demo.yaml`);
const standard = await loadStandard(`${root}standards/oil-depot-above-ground/1.0.0.yaml`);
const HH = 'GB50074-15.1.2-HH';
const MIN = 60_000;

/** a runtime on a TestScheduler; `body` schedules what happens; every event is kept with the time it came at */
function play(body: (runtime: SiteRuntime, at: (ms: number, fn: () => void) => void, s: TestScheduler) => void) {
  const s = new TestScheduler((a, b) => expect(a).toEqual(b));
  const events: (LiveEvent & { at: number })[] = [];
  s.run(() => {
    const runtime = createSiteRuntime(site, standard, s, (e) => events.push({ ...e, at: s.now() }), pino({ level: 'silent' }));
    body(runtime, (ms, fn) => s.schedule(fn, ms), s);
  });
  return events;
}
const reading = (point: string, value: number | boolean, ts = 0): Sample => ({ site: site.id, point, value, quality: 'good', ts });
const describeEvent = (e: LiveEvent) =>
  e.type === 'sample'
    ? `sample ${e.data.point}`
    : e.type === 'result'
      ? `result ${e.data.clause} ${e.data.subject} ${e.data.verdict}`
      : e.type === 'alert'
        ? `alert ${e.data.kind} ${e.data.transition?.action}`
        : e.type;

describe('site runtime', () => {
  it("sends a sample's consequences out in order: the sample, the verdict it changes, the alarm that raises, then the score", () => {
    const events = play((runtime, at) => {
      at(1000, () => runtime.ingest(reading('T201.level', 16.5)));
      at(2000, () => runtime.dispose());
    });
    // each clause in the order it reads the point, each change going out whole before the next clause is evaluated
    expect(events.filter((e) => e.at === 1000).map(describeEvent)).toEqual([
      'sample T201.level',
      'result GB50074-15.1.1-HIGH T201 fail',
      'alert high-level raise',
      'score',
      `result ${HH} T201 fail`,
      'alert overfill raise',
      'score',
      'result API2350-RESPONSE-LIVE T201 fail',
      'score',
    ]);
    // the design and evidence verdicts were recorded on the first turn, before any sample
    expect(events.filter((e) => e.at === 0).every((e) => e.type === 'result')).toBe(true);
  });

  it('takes the samples of its own points and of its sources’ <source>.online, and says no to others', () => {
    play((runtime, at) => {
      at(0, () => {
        expect(runtime.ingest(reading('T101.level', 12))).toBe(true);
        expect(runtime.ingest(reading('rtu-fire.online', true))).toBe(true);
        expect(runtime.ingest(reading('T999.level', 1))).toBe(false);
        expect(runtime.ingest(reading('collector.buffer_full', true))).toBe(false);
        runtime.dispose();
      });
    });
  });

  it('shows in its snapshot every verdict in standard and site order, each reading in the order first seen, open alerts and the score', () => {
    play((runtime, at) => {
      const before = runtime.snapshot().results.map((r) => `${r.clause} ${r.subject}`);
      at(1000, () => {
        runtime.ingest(reading('GD101.gas', 2));
        runtime.ingest(reading('T201.level', 16.5));
        runtime.ingest(reading('GD101.gas', 3));
        const snapshot = runtime.snapshot();
        expect(snapshot.results.map((r) => `${r.clause} ${r.subject}`)).toEqual(before);
        expect(snapshot.results.find((r) => r.clause === HH && r.subject === 'T201')?.verdict).toBe('fail');
        expect(Object.entries(snapshot.values).map(([id, s]) => [id, s.value])).toEqual([
          ['GD101.gas', 3],
          ['T201.level', 16.5],
        ]);
        expect(snapshot.alerts.map((a) => a.kind)).toContain('overfill');
        expect(snapshot.score).toMatchObject({ site: site.id, risk: 'red' });
        runtime.dispose();
      });
    });
  });

  it('takes back stored alerts, its score showing their live risk at once', () => {
    const fire: Alert = {
      id: `${site.id}:hazard:tank-fire:T201:0`,
      site: site.id,
      kind: 'hazard-tank-fire',
      severity: 1,
      state: 'active',
      raisedAt: 0,
      changedAt: 0,
      subjects: ['T201'],
      message: { zh: '', en: '' },
      actions: [],
      standard: standard.key,
      incident: { hazard: 'tank-fire' } as Alert['incident'],
      lifecycle: { condition: 'active', acknowledged: false, escalations: 0, closeRequired: true },
    };
    const events = play((runtime, at) => {
      at(1000, () => runtime.restore([fire]));
      at(2000, () => {
        expect(runtime.snapshot().alerts.map((a) => a.id)).toEqual([fire.id]);
        runtime.dispose();
      });
    });
    const scores = events.filter((e) => e.type === 'score');
    expect(scores.map((e) => [e.at, e.data.riskReason.en])).toEqual([[1000, expect.stringContaining('open incident')]]);
  });

  it("marks a silent feed's readings once, without taking its own marks for a sign of life", () => {
    const events = play((runtime, at) => {
      at(0, () => runtime.ingest(reading('T101.level', 12)));
      at(10 * MIN, () => {
        expect(runtime.snapshot().values['T101.level']).toMatchObject({ quality: 'bad', reason: 'link-lost', value: 12 });
        runtime.dispose();
      });
    });
    expect(events.filter((e) => e.type === 'sample').map((e) => [e.at, (e.data as Sample).quality])).toEqual([
      [0, 'good'],
      [10_000, 'bad'],
    ]);
  });

  it('sends nothing once disposed and leaves no timer behind', () => {
    const events = play((runtime, at, s) => {
      at(0, () => {
        runtime.ingest(reading('T101.level', 12));
        runtime.ingest(reading('T201.level', 16.5)); // an alarm that would escalate, a high level whose failure is due after delay-on
        runtime.dispose();
      });
      at(60 * MIN, () => expect(s.now()).toBe(60 * MIN));
    });
    expect(events.every((e) => e.at === 0)).toBe(true);
  });
});
