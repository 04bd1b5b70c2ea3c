// The feed's liveness per source: the link watch alone (which source falls silent, when), what a
// silent link leaves the twin showing, and the whole of it in marbles through the real engine.
import { filter, map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { loadSite, type Point, type Sample, type Site } from '../model/index.ts';
import { loadStandard } from '../standards/index.ts';
import { createEngine } from './index.ts';
import { createLinkWatch, silencedReadings, type SourceLink } from './link-watch.ts';

const root = new URL('../', import.meta.url).pathname;
const demo = await loadSite(`${root}sites/zhoushan-demo.yaml`);
const standard = await loadStandard(`${root}standards/oil-depot-above-ground/1.0.0.yaml`);
const HH = 'GB50074-15.1.2-HH';

const point = (id: string, source: string, staleAfterMs = 1000): Point => ({ asset: id.split('.')[0]!, name: id.split('.')[1]!, id, unit: 'm', source, staleAfterMs });
/** two sources: `fast` lost after 1 s of silence, `slow` after 3 s; `orphan` is named by a point only */
const site = {
  ...demo,
  sources: [
    { ...demo.sources[0]!, id: 'fast', staleAfterMs: 1000 },
    { ...demo.sources[1]!, id: 'slow', staleAfterMs: 3000 },
  ],
  points: [point('A.level', 'fast'), point('B.level', 'slow'), point('C.level', 'orphan', 2000)],
} as Site;

/** Runs a link watch on a TestScheduler: `heard` is [ms, source][]; returns [ms, source] of each silence. */
function silences(heard: [number, string][], untilMs: number) {
  const s = new TestScheduler((a, b) => expect(a).toEqual(b));
  const out: [number, string][] = [];
  s.run(() => {
    const watch = createLinkWatch(site, s, (link) => out.push([s.now(), link.source]));
    for (const [ms, source] of heard) s.schedule(() => watch.heard(watch.links.get(source)!, s.now()), ms);
    s.schedule(() => watch.dispose(), untilMs);
  });
  return out;
}

describe('link watch', () => {
  it('finds a source silent once its staleAfterMs has passed with nothing of it, once per silence', () => {
    expect(
      silences(
        [
          [0, 'fast'],
          [600, 'fast'],
          [1200, 'fast'],
        ],
        10_000,
      ),
    ).toEqual([[2200, 'fast']]);
    expect(
      silences(
        [
          [0, 'fast'],
          [2500, 'fast'],
        ],
        10_000,
      ),
    ).toEqual([
      [1000, 'fast'],
      [3500, 'fast'],
    ]);
  });

  it('watches a source from the first sample of it, each with its own staleAfterMs (a source only points name: theirs)', () => {
    expect(silences([], 10_000)).toEqual([]);
    expect(
      silences(
        [
          [0, 'slow'],
          [500, 'fast'],
          [1000, 'orphan'],
        ],
        10_000,
      ),
    ).toEqual([
      [1500, 'fast'],
      [3000, 'slow'],
      [3000, 'orphan'],
    ]);
  });

  it('leaves no timer behind once disposed', () => {
    expect(silences([[0, 'slow']], 1000)).toEqual([]);
  });
});

describe('what a silent link leaves showing', () => {
  const link: SourceLink = { source: 'fast', timeoutMs: 1000, heardAt: 0, silent: true };
  const online = point('fast.online', 'fast');
  const good = (id: string, value: number | boolean, ts = 5): Sample => ({ site: site.id, point: id, value, quality: 'good', ts });

  it('turns readings that are not bad already bad (link-lost, value and time kept) and then an online source offline at that moment', () => {
    const cells = [
      { point: point('A.level', 'fast'), sample: good('A.level', 3) },
      { point: point('A.gas', 'fast'), sample: { ...good('A.gas', 1), quality: 'bad' as const, reason: 'exception 2' } },
      { point: point('A.temp', 'fast'), sample: { ...good('A.temp', 20), quality: 'uncertain' as const, reason: 'gauge stuck' } },
      { point: point('A.flow', 'fast') },
      { point: online, sample: good('fast.online', true, 1) },
    ];
    expect(silencedReadings(link, cells, 900)).toEqual([
      { ...good('A.level', 3), quality: 'bad', reason: 'link-lost' },
      { ...good('A.temp', 20), quality: 'bad', reason: 'link-lost' },
      { ...good('fast.online', false), reason: 'link-lost', ts: 900 },
    ]);
  });

  it('leaves a source with no good reading online as the collector last reported it', () => {
    const cells = [{ point: point('A.level', 'fast') }, { point: online, sample: good('fast.online', true, 1) }];
    expect(silencedReadings(link, cells, 900)).toEqual([]);
    const uncertain = { ...good('A.level', 3), quality: 'uncertain' as const };
    expect(
      silencedReadings(
        link,
        [
          { point: point('A.level', 'fast'), sample: uncertain },
          { point: online, sample: good('fast.online', true, 1) },
        ],
        900,
      ),
    ).toEqual([{ ...uncertain, quality: 'bad', reason: 'link-lost' }]);
    expect(
      silencedReadings(
        link,
        [
          { point: point('A.level', 'fast'), sample: good('A.level', 3) },
          { point: online, sample: good('fast.online', false) },
        ],
        900,
      ),
    ).toEqual([{ ...good('A.level', 3), quality: 'bad', reason: 'link-lost' }]);
  });
});

describe('a silent feed in the engine (demo depot, 1.0.0)', () => {
  it('turns the clauses on its points unknown, its source offline and alarmed after the delay, until the feed and the heartbeat come back', () => {
    const s = new TestScheduler((a, b) => expect(a).toEqual(b));
    s.run((helpers) => {
      s.maxFrames = 60_000;
      const engine = createEngine({ sites: [demo], standards: [standard], scheduler: s });
      const sample = (point: string, value: number | boolean): Sample => ({ site: demo.id, point, value, quality: 'good', ts: s.now() });
      const levels = engine.results$.pipe(
        filter((r) => r.clause === HH && r.subject === 'T101'),
        map((r) => r.verdict[0]),
      );
      const online = engine.events$.pipe(
        filter((e) => e.type === 'sample' && e.data.point === 'plc-tankfarm.online'),
        map((e) => ((e.data as Sample).value ? 't' : 'f')),
      );
      const comms = engine.alerts$.pipe(
        filter((a) => a.kind === 'comms-loss'),
        map((a) => (a.lifecycle?.condition === 'active' ? 'r' : 'x')),
      );
      // the PLC reports T101 every 2 s until 8 s, then nothing until 40 s (the feed is down): lost at 18 s; the
      // comms-loss alarm 10 s later; the heartbeat at 40 s says online again, T101's reading at 42 s passes; lost again at 52 s
      const watched = '^ 59s !';
      helpers.expectObservable(levels, watched).toBe(`p ${18_000 - 1}ms u ${42_000 - 18_000 - 1}ms p ${52_000 - 42_000 - 1}ms u`);
      helpers.expectObservable(online, watched).toBe(`t ${18_000 - 1}ms f ${40_000 - 18_000 - 1}ms t ${52_000 - 40_000 - 1}ms f`);
      helpers.expectObservable(comms, watched).toBe(`${28_000}ms r ${40_000 - 28_000 - 1}ms x`);
      // the RTU's feed goes on (its heartbeat every 3 s): its source stays online
      helpers
        .cold(`t 2999ms t 2999ms t 2999ms t 2999ms t 2999ms t 2999ms t 2999ms t 2999ms t 2999ms t 2999ms t 2999ms t 2999ms t 2999ms t 2999ms t`)
        .subscribe(() => engine.ingest(sample('rtu-fire.online', true)));
      helpers.cold('t').subscribe(() => engine.ingest(sample('plc-tankfarm.online', true)));
      helpers
        .cold(`a 1999ms a 1999ms a 1999ms a 1999ms a ${40_000 - 8_000 - 1}ms t 1999ms a`, { a: 12, t: true })
        .subscribe((value) => engine.ingest(sample(value === true ? 'plc-tankfarm.online' : 'T101.level', value)));
      s.schedule(() => {
        expect(engine.snapshot(demo.id)!.values['rtu-fire.online']).toMatchObject({ value: true, quality: 'good' });
        engine.dispose();
      }, 59_999);
    });
  });
});
