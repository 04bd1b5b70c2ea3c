// The flood model (issue 27) on virtual time through the real engine with early-works-flood and its sample work
// W07 (alarm level 0.3 m, danger level 0.8 m): water reaching the alarm level with people inside makes the live
// risk red with its reason and a countdown to the danger level from the rise; a level reading gone bad, or too few
// readings, makes the countdown unknown (a countdown with its reason, not none) and holds the incident; an empty work is orange; water back below the level returns it.
import { readFileSync } from 'node:fs';
import { VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { parseSite, type Alert, type LiveEvent, type Quality, type SampleValue, type SiteScore } from '../../model/index.ts';
import { loadStandard } from '../../standards/index.ts';
import { createEngine } from '../index.ts';

const DIR = new URL('../../standards/early-works-flood/', import.meta.url).pathname;
const standard = await loadStandard(`${DIR}1.0.0.yaml`);
const site = parseSite(readFileSync(`${DIR}fixtures/early-work-site.yaml`, 'utf8'), 'early-work-site.yaml');
const T0 = Date.parse('2026-07-20T08:00:00Z');
const MIN = 60_000;

const DRY: Record<string, SampleValue> = {
  'W07.water_level': 0.05,
  'W07.water_inflow': 0,
  'W07.pump_flow': 0,
  'W07.pump_available': true,
  'W07.pump_power': true,
  'W07.barrier_closed': true,
  'W07.door_closed': true,
  'W07.occupied': false,
  'W07.rainstorm_level': 0,
};

type Step = [ms: number, point: string, value: SampleValue, quality?: Quality];

/** every 30 s every point reports (the devices' period), `level(ms)` the water, `over` any other changes from a time on */
function play(level: (ms: number) => number | undefined, over: Step[], untilMs: number) {
  const virtual = new VirtualTimeScheduler(undefined, T0 + untilMs);
  virtual.frame = T0;
  const engine = createEngine({ sites: [site], standards: [standard], scheduler: virtual });
  const events: LiveEvent[] = [];
  engine.events$.subscribe((e) => events.push(e));
  const current: Record<string, { value: SampleValue; quality: Quality }> = Object.fromEntries(Object.entries(DRY).map(([k, v]) => [k, { value: v, quality: 'good' }]));
  const report = (ms: number) => {
    const water = level(ms);
    if (water !== undefined) current['W07.water_level'] = { value: water, quality: 'good' };
    for (const [point, r] of Object.entries(current)) engine.ingest({ site: site.id, point, value: r.value, quality: r.quality, ts: T0 + ms });
    for (const source of ['mqtt-district', 'met-warnings']) engine.ingest({ site: site.id, point: `${source}.online`, value: true, quality: 'good', ts: T0 + ms });
  };
  for (let ms = 0; ms <= untilMs; ms += 30_000) virtual.schedule(() => report(ms), ms);
  for (const [ms, point, value, quality] of over) virtual.schedule(() => (current[point] = { value, quality: quality ?? 'good' }), ms - 1);
  virtual.flush();
  const snapshot = engine.snapshot(site.id)!;
  engine.dispose();
  const floods = events.filter((e) => e.type === 'alert' && (e.data as Alert).incident?.hazard === 'flood').map((e) => e.data as Alert);
  const scores = events.filter((e) => e.type === 'score').map((e) => e.data as SiteScore);
  return { snapshot, floods, scores };
}

/** from 0.05 m, rising 0.1 m a minute */
const rising = (ms: number) => 0.05 + (ms / MIN) * 0.1;

describe('water in an underground work', () => {
  it('with people inside: a red incident with its reason once the water reaches the alarm level, counting down to the danger level', () => {
    const { snapshot, floods } = play((ms) => Math.min(rising(ms), 0.6), [[0, 'W07.occupied', true]], 6 * MIN);
    const raised = floods[0]!;
    // 0.3 m is reached at 2.5 min, a reading of the 30 s period
    expect(raised).toMatchObject({ kind: 'hazard-flood', severity: 1, subjects: ['W07'], raisedAt: T0 + 2.5 * MIN, standard: 'early-works-flood@1.0.0' });
    expect(raised.message.en).toMatch(
      /^Early work no\. 7: water 0\.3 m has reached the alarm level 0\.3 m with people inside; rising 6 m an hour: the danger level 0\.8 m in about 5 min$/,
    );
    const countdown = raised.incident!.countdowns[0]!;
    expect(countdown).toMatchObject({ kind: 'flood-level', label: { en: 'Forecast danger level' } });
    // (0.8 − 0.3) m at 6 m/h: 5 min
    expect((countdown.deadline - raised.raisedAt) / MIN).toBeCloseTo(5, 1);
    expect(raised.incident!.unknownCountdowns).toBeUndefined();
    expect(snapshot.score).toMatchObject({ risk: 'red' });
    expect(snapshot.score!.riskReason.en).toContain('open incident: Water in an underground work at W07 (severity 1)');
  });

  it('the level reading gone bad: the countdown is unknown and the incident holds; nobody inside makes it severity 2 (orange); below the alarm level it returns', () => {
    const { floods } = play(
      (ms) => (ms < 5.5 * MIN ? Math.min(rising(ms), 0.45) : ms < 7 * MIN ? undefined : 0.2),
      [
        [0, 'W07.occupied', true],
        [5.5 * MIN, 'W07.water_level', 0.45, 'bad'],
        [6.5 * MIN, 'W07.occupied', false],
      ],
      8 * MIN,
    );
    const stale = floods.find((a) => a.message.en.includes('time to the next level unknown: the level reading is not good'))!;
    expect(stale).toBeDefined();
    expect(stale.severity).toBe(1);
    // not left out: the countdown to the danger level is there, unknown, with why
    expect(stale.incident!.countdowns).toEqual([]);
    expect(stale.incident!.unknownCountdowns).toEqual([
      { kind: 'flood-level', label: { zh: '预计达危险水位', en: 'Forecast danger level' }, reason: { zh: '水位读数失效', en: 'the level reading is not good' } },
    ]);
    expect(stale.lifecycle!.condition).toBe('active');
    const empty = floods.find((a) => a.message.en.includes('with nobody inside'))!;
    expect(empty.severity).toBe(2);
    const returned = floods.at(-1)!;
    expect(returned.lifecycle!.condition).toBe('returned');
    // a returned condition counts down nothing, known or not
    expect(returned.incident).toMatchObject({ countdowns: [] });
    expect(returned.incident!.unknownCountdowns).toBeUndefined();
  });

  it('water at the alarm level from the first reading: the countdown is unknown until three readings tell the rise, then gone while the water stands', () => {
    const { floods } = play(() => 0.4, [[0, 'W07.occupied', true]], 3 * MIN);
    expect(floods[0]!.incident!.countdowns).toEqual([]);
    expect(floods[0]!.incident!.unknownCountdowns).toEqual([
      { kind: 'flood-level', label: { zh: '预计达危险水位', en: 'Forecast danger level' }, reason: { zh: '读数尚不足以判断涨势', en: 'too few readings to tell the rise' } },
    ]);
    expect(floods[0]!.message.en).toContain('time to the next level unknown: too few readings to tell the rise');
    const standing = floods.at(-1)!;
    expect(standing.message.en).toContain('the water is not rising');
    expect(standing.incident!.countdowns).toEqual([]);
    expect(standing.incident!.unknownCountdowns).toBeUndefined();
  });

  it('occupancy not known is treated as occupied: red', () => {
    const { floods } = play((ms) => Math.min(rising(ms), 0.4), [[0, 'W07.occupied', false, 'bad']], 6 * MIN);
    expect(floods[0]).toMatchObject({ severity: 1 });
    expect(floods[0]!.message.en).toContain('nobody knows whether people are inside (treated as occupied)');
  });
});
