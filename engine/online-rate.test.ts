import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite, parseFigurePoints, type ClauseResult, type EvidenceRecord, type Site } from '../model/index.ts';
import { loadStandard, type Standard } from '../standards/index.ts';
import type { Engine } from './engine.ts';
import { playOnVirtualTime, SITE_FILE, T0, type Step } from './hazards/hazard-test-support.ts';

const STANDARD_FILE = new URL('../standards/oil-depot-above-ground/1.1.0.yaml', import.meta.url).pathname;
const H = 3_600_000;

let site: Site;
let standard: Standard;
beforeAll(async () => {
  [site, standard] = await Promise.all([loadSite(SITE_FILE), loadStandard(STANDARD_FILE)]);
});

/**
 * Every point of the demo reads good at 0 and then reports only changes (OPC-UA); each source's
 * collector says it is online every 3 s (what keeps its link alive). The scheduler's 0 is 08:00 in
 * Zhoushan (UTC+8): the first local day ends at 16 h, the second, whole, at 40 h.
 */
function day(extra: Step[]): Step[] {
  const good: Step[] = site.points.map((p) => [0, p.id, p.unit === 'bool' ? false : 1]);
  return [...good, ...extra];
}

/** each source's `<source>.online` heartbeat every 3 s until `until`, one self-rescheduling action (not thousands queued at once) */
const heartbeat = (until: number) => (engine: Engine, at: (ms: number, fn: () => void) => void) => {
  let now = 0;
  const beat = () => {
    for (const s of site.sources) engine.ingest({ site: site.id, point: `${s.id}.online`, value: true, quality: 'good', ts: T0 + now });
    now += 3_000;
    if (now < until) at(3_000, beat);
  };
  at(0, beat);
};

const records = (events: { type: string; data: unknown }[]) =>
  events
    .filter((e) => e.type === 'evidence')
    .map((e) => (e.data as { record: EvidenceRecord }).record)
    .filter((r) => r.kind === 'data-quality-day');
const verdicts = (events: { type: string; data: unknown }[]) =>
  events
    .filter((e) => e.type === 'result')
    .map((e) => e.data as ClauseResult)
    .filter((r) => r.clause === 'MEM-DQ-ONLINE-RATE');

describe("the day's online rate of the safety points (≥ 99.5 %)", () => {
  it('a whole day with a 1-hour gap on a safety point is 95.8 % online and fails; the day before, all good, passed; unknown until an hour is watched', () => {
    // T201.level goes stale at 20 h and comes back at 21 h: one hour of the second local day (16 h – 40 h)
    const gap: Step[] = [
      [20 * H, 'T201.level', 1, 'bad'],
      [21 * H, 'T201.level', 1],
    ];
    const { events } = playOnVirtualTime(site, standard, day(gap), 40 * H + 1, heartbeat(40 * H));
    const taken = records(events);
    // hourly from the first hour watched (09:00 local) on; the local midnights at 16 h and 40 h close the days
    expect(taken.length).toBe(40);
    // the first local day closes at its midnight, 16 h watched
    const first = taken.find((r) => r.date === '1970-01-01' && r.values.observedHours === 16)!;
    expect(first).toMatchObject({ values: { onlineRate: 1 } });
    const last = taken.at(-1)!;
    expect(last).toMatchObject({ date: '1970-01-02', values: { onlineRate: 0.9583, observedHours: 24 } });
    // the worst point by its id, beside the figure it is about (ids only: each page words it in its language)
    expect(parseFigurePoints(last.ref)).toMatchObject({ onlineRate: 'T201.level' });
    expect(last.values['points']).toBeGreaterThan(1);

    const seen = verdicts(events);
    expect(seen[0]).toMatchObject({ verdict: 'unknown' }); // nothing measured yet
    expect(seen.find((r) => r.verdict === 'pass')!.since).toBe(1 * H); // the first hour, all good
    // the hour after the gap began the day can no longer reach 99.5 %: failing from then, and the whole day's figure too
    expect(seen.find((r) => r.verdict === 'fail')!.since).toBe(21 * H);
    expect(seen.at(-1)).toMatchObject({ verdict: 'fail' });
    expect(JSON.stringify(seen.at(-1)!.evidence)).toContain('"onlineRate":0.9583');
    expect(JSON.stringify(seen.at(-1)!.evidence)).toContain('onlineRate=T201.level');
  });

  it('points that never report are offline, not excused: the day fails', () => {
    const silent = new Set(['T201.level']);
    const steps = day([]).filter((s) => !silent.has(s[1]));
    const { events } = playOnVirtualTime(site, standard, steps, 17 * H, heartbeat(17 * H));
    expect(records(events).at(-1)).toMatchObject({ values: { onlineRate: 0 } });
    expect(verdicts(events).at(-1)).toMatchObject({ verdict: 'fail' });
  });

  describe("clocks that disagree: a reading's source time against when the twin got it (MEM-DQ-CLOCK)", () => {
    const clockVerdicts = (events: { type: string; data: unknown }[]) =>
      events
        .filter((e) => e.type === 'result')
        .map((e) => e.data as ClauseResult)
        .filter((r) => r.clause === 'MEM-DQ-CLOCK');
    /** every safety-relevant point good at 0 and changing every minute, stamped `offsetMs` off the engine's clock for `offPoint` */
    const changes = (offPoint: string, offsetMs: number, until: number): Step[] => {
      const steps: Step[] = [];
      for (let t = 0; t <= until; t += 60_000)
        for (const p of site.points) {
          const value = p.unit === 'bool' ? false : 1 + ((t / 60_000) % 2) * 0.01;
          steps.push([t, p.id, value, 'good', t + (p.id === offPoint ? offsetMs : 0)]);
        }
      return steps;
    };

    it('a gauge whose clock runs 30 s behind on every change fails the 5 s tolerance; the same gauge in time passes', () => {
      const late = playOnVirtualTime(site, standard, changes('T201.level', -30_000, 2 * H), 2 * H);
      const record = records(late.events).at(-1)!;
      expect(record.values).toMatchObject({ clockSkewS: 30 });
      expect(parseFigurePoints(record.ref)).toMatchObject({ clockSkewS: 'T201.level' });
      expect(clockVerdicts(late.events).at(-1)).toMatchObject({ verdict: 'fail' });
      const inTime = playOnVirtualTime(site, standard, changes('T201.level', 0, 2 * H), 2 * H);
      expect(records(inTime.events).at(-1)!.values).toMatchObject({ clockSkewS: 0 });
      expect(clockVerdicts(inTime.events).at(-1)).toMatchObject({ verdict: 'pass' });
    });

    it("a reading stamped from the future counts at once; a late first reading (the last change's time) does not", () => {
      const ahead = changes('T201.level', 0, 2 * H).map((s): Step => (s[0] === 30 * 60_000 && s[1] === 'T201.level' ? [s[0], s[1], s[2], 'good', s[0] + 120_000] : s));
      expect(records(playOnVirtualTime(site, standard, ahead, 2 * H).events).at(-1)!.values).toMatchObject({ clockSkewS: 120 });
      const staleFirst = changes('T201.level', 0, 2 * H).map((s): Step => (s[0] === 0 && s[1] === 'T201.level' ? [s[0], s[1], s[2], 'good', -6 * H] : s));
      expect(records(playOnVirtualTime(site, standard, staleFirst, 2 * H).events).at(-1)!.values).toMatchObject({ clockSkewS: 0 });
    });
  });
});
