import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Alert, type Site } from '../../model/index.ts';
import { loadStandard, parseDuration, type Standard } from '../../standards/index.ts';
import type { Engine } from '../engine.ts';
import { playOnVirtualTime, SITE_FILE, STANDARD_1_1_FILE as STANDARD_FILE, type Step } from './hazard-test-support.ts';

const MIN = 60_000;
// T201: D 40.5 m, cross-section π·40.5²/4 = 1288.25 m²; 550 m³/h lifts it 0.4269 m/h = 7.12 mm/min
const AREA = (Math.PI * 40.5 ** 2) / 4;
const RISE_PER_MS = 550 / AREA / 3_600_000;

let site: Site;
let standard: Standard;
let delayOff: number;
beforeAll(async () => {
  [site, standard] = await Promise.all([loadSite(SITE_FILE), loadStandard(STANDARD_FILE)]);
  delayOff = parseDuration(standard.alarms!.incidentDelayOff!)!.ms;
});

const doubts = (alerts: Alert[]) => alerts.filter((a) => a.incident?.hazard === 'stuck-gauge' && a.transition?.action !== 'escalate');

/**
 * A receipt of `m3h` into T201 from 14 m, read every 10 s: the flow meter and the inlet valve say so;
 * the gauge reads the true level until `stuckAt`, then the value it had (an OPC-UA gauge that does not
 * move sends nothing), and moves again from `backAt` (if given).
 */
function receipt(until: number, options: { m3h?: number; stuckAt?: number; backAt?: number; gaugeFactor?: number } = {}): Step[] {
  const m3h = options.m3h ?? 550;
  const steps: Step[] = [];
  const truth = (t: number) => 14 + (t * m3h) / AREA / 3_600_000;
  for (let t = 0; t <= until; t += 10_000) {
    steps.push([t, 'T201.flow', m3h], [t, 'T201.inlet_valve_open', true], [t, 'T201.level_switch_hh', false]);
    const stuck = options.stuckAt !== undefined && t >= options.stuckAt && (options.backAt === undefined || t < options.backAt);
    if (!stuck) steps.push([t, 'T201.level', Math.round((14 + (truth(t) - 14) * (options.gaugeFactor ?? 1)) * 1000) / 1000]);
  }
  return steps;
}

describe('stuck gauge and mass balance (Buncefield)', () => {
  it('a gauge that follows the flow raises nothing', () => {
    const { alerts, snapshot } = playOnVirtualTime(site, standard, receipt(30 * MIN), 30 * MIN);
    expect(doubts(alerts)).toEqual([]);
    expect(snapshot.values['T201.level']!.quality).toBe('good');
  });

  it('a gauge stuck during a receipt: doubted 5 min after it stuck (half the expected rise missing), "stuck" at 10 min; the level held uncertain and the HH clause unknown; a countdown to critical high from the flow meter', () => {
    const stuckAt = 15 * MIN;
    const { alerts, events, snapshot } = playOnVirtualTime(site, standard, receipt(40 * MIN, { stuckAt }), 40 * MIN);
    const seen = doubts(alerts);
    // the window is 10 min, the readings 10 s apart, the gauge's in mm: at 20 min its last reading (15 min) is 35 mm above the
    // one at 10 min, under half the 71 mm the 91.7 m³ make — disagree; at 24 min 10 s less than 5 mm of the window is before
    // the stick — stuck
    expect(seen.map((a) => [a.changedAt, a.transition?.action])).toEqual([
      [stuckAt + 5 * MIN, 'raise'],
      [stuckAt + 9 * MIN + 10_000, 'update'],
    ]);
    const [first, stuck] = seen;
    expect(first!.severity).toBe(2);
    expect(first!.message.en).toMatch(
      /^Gasoline tank 1: level and flow disagree: the level moved 35 mm in 10 min, the flow meter's 92 m³ make 71 mm \(first suspected at \d\d:\d\d\); its level readings are held uncertain/,
    );
    expect(stuck!.message.en).toMatch(/level gauge suspected stuck: it moved [0-5] mm in 10 min while the flow meter passed 92 m³ \(expected 71 mm\)/);
    expect(stuck!.raisedAt).toBe(first!.changedAt); // first suspected then
    // the flow meter's estimate: the level at the start of the last window that agreed plus the meter's volume since —
    // the true level: 14 m + 7.12 mm/min; critical high 16.9 m then comes (16.9 − 14)/0.4269 m/h = 6.79 h after the receipt began
    const countdown = first!.incident!.countdowns[0]!;
    expect(countdown.label.en).toBe('Overfill by the flow meter');
    expect(Math.abs(countdown.deadline - (16.9 - 14) / RISE_PER_MS)).toBeLessThan(15_000); // within a reading or so (10 s apart)
    // the twin doubts the level: uncertain with the reason, and the HH clause reads unknown (never ok)
    expect(snapshot.values['T201.level']).toMatchObject({ quality: 'uncertain', reason: expect.stringMatching(/^level gauge suspected stuck/) });
    const hh = events
      .filter((e) => e.type === 'result')
      .map((e) => e.data as { clause: string; subject: string; verdict: string; since: number })
      .filter((r) => r.clause === 'GB50074-15.1.2-HH' && r.subject === 'T201');
    expect(hh.at(-1)).toMatchObject({ verdict: 'unknown', since: first!.changedAt });
  });

  it('the doubt ends when a later window agrees again; the level is good again and the incident returns', () => {
    const stuckAt = 15 * MIN;
    const backAt = 30 * MIN;
    const { alerts, snapshot } = playOnVirtualTime(site, standard, receipt(60 * MIN, { stuckAt, backAt }), 60 * MIN);
    const seen = doubts(alerts);
    expect(seen[0]!.transition?.action).toBe('raise');
    const back = seen.find((a) => a.transition?.action === 'return')!;
    // the gauge jumps back to the truth at 30 min: the first window that agrees starts at the jump and ends 10 min later
    expect(back.changedAt).toBe(backAt + 10 * MIN + delayOff);
    expect(snapshot.values['T201.level']!.quality).toBe('good');
  });

  it('a gauge reading half the true rise fails the mass balance; a lost flow reading restarts it', () => {
    const half = doubts(playOnVirtualTime(site, standard, receipt(20 * MIN, { gaugeFactor: 0.4 }), 20 * MIN).alerts);
    expect(half[0]!.message.en).toContain('level and flow disagree');
    // the same, but the meter goes bad every 8 min: no 10 min window is ever whole, nothing is judged
    const gaps = receipt(20 * MIN, { gaugeFactor: 0.4 }).flatMap((s): Step[] =>
      s[1] === 'T201.flow' && s[0] % (8 * MIN) === 0 && s[0] > 0 ? [[s[0], 'T201.flow', 0, 'bad']] : [s],
    );
    expect(doubts(playOnVirtualTime(site, standard, gaps, 20 * MIN).alerts)).toEqual([]);
  });

  it('the independent high-high switch tripping with the gauge below high-high: severity 1, the level doubted', () => {
    const steps: Step[] = [...receipt(5 * MIN), [3 * MIN + 1, 'T201.level_switch_hh', true]];
    const { alerts, snapshot } = playOnVirtualTime(site, standard, steps, 3 * MIN + 5_000);
    const [trip] = doubts(alerts);
    expect(trip).toMatchObject({ severity: 1, changedAt: 3 * MIN + 1 });
    expect(trip!.message.en).toMatch(/the independent high-high switch has tripped while the gauge reads 14\.0\d+ m, below high-high 16\.2 m/);
    expect(snapshot.values['T201.level']!.quality).toBe('uncertain');
  });

  describe('a transfer declared by a manager counts as an open valve and a flow', () => {
    /** T201 without its flow meter: only a declaration says it is receiving */
    const noMeter = () => ({ ...site, points: site.points.filter((p) => p.id !== 'T201.flow') });
    /** the gauge: the true level of a 550 m³/h receipt from 14 m every 10 s, silent from `stuckAt` (a stuck OPC-UA gauge sends nothing) */
    const gauge = (until: number, stuckAt: number): Step[] => {
      const steps: Step[] = [];
      for (let t = 0; t <= until; t += 10_000) {
        steps.push([t, 'T201.temperature', 20]); // the PLC still talks: its link is not lost
        if (t < stuckAt) steps.push([t, 'T201.level', Math.round((14 + t * RISE_PER_MS) * 1000) / 1000]);
      }
      return steps;
    };
    const declare = (until: number) => (engine: Engine, at: (ms: number, fn: () => void) => void) =>
      // `until` on the engine's clock (the test scheduler's, from 0)
      at(1000, () => engine.declareTransfer(site.id, { tank: 'T201', direction: 'in', rateM3h: 550, until, by: 'manager', at: 1000 }));

    it('a tank with no flow meter: the declared rate stands for one, and a gauge that stops sending is suspected stuck', () => {
      const stuckAt = 15 * MIN;
      const { alerts, snapshot } = playOnVirtualTime(noMeter(), standard, gauge(40 * MIN, stuckAt), 40 * MIN, declare(2 * 3_600_000));
      const seen = doubts(alerts);
      expect(seen[0]).toMatchObject({ severity: 2, transition: { action: 'raise' } });
      // judged each minute on the declared rate: 5 min after the stick half the expected rise is missing
      expect(seen[0]!.changedAt).toBeGreaterThanOrEqual(stuckAt + 5 * MIN);
      expect(seen[0]!.changedAt).toBeLessThanOrEqual(stuckAt + 6 * MIN);
      expect(seen.at(-1)!.message.en).toMatch(/level gauge suspected stuck: it moved [0-5] mm in 10 min while the flow meter passed 92 m³ \(expected 71 mm\)/);
      expect(snapshot.values['T201.level']).toMatchObject({ quality: 'uncertain' });
    });

    it('without the declaration the same tank is not watched: nothing says it moves', () => {
      expect(doubts(playOnVirtualTime(noMeter(), standard, gauge(40 * MIN, 15 * MIN), 40 * MIN).alerts)).toEqual([]);
    });

    it('the declaration ends at its until: a gauge that stops after it is not doubted', () => {
      expect(doubts(playOnVirtualTime(noMeter(), standard, gauge(60 * MIN, 20 * MIN), 60 * MIN, declare(20 * MIN)).alerts)).toEqual([]);
    });

    it('with a meter whose valve position reads closed, the declared transfer opens it: the balance is judged', () => {
      const closed = receipt(30 * MIN, { stuckAt: 10 * MIN }).map((s): Step => (s[1] === 'T201.inlet_valve_open' ? [s[0], s[1], false] : s));
      expect(doubts(playOnVirtualTime(site, standard, closed, 30 * MIN).alerts)).toEqual([]);
      expect(doubts(playOnVirtualTime(site, standard, closed, 30 * MIN, declare(3_600_000)).alerts)[0]).toMatchObject({ transition: { action: 'raise' } });
    });

    it('a tank the site does not have, or one without a level gauge, is refused by name', () => {
      playOnVirtualTime(site, standard, [], 2000, (engine, at) =>
        at(1000, () => {
          expect(() => engine.declareTransfer(site.id, { tank: 'T999', direction: 'in', rateM3h: 100, until: 3_600_000, by: 'm', at: 1000 })).toThrow(
            /has no tank T999 with a level gauge/,
          );
          expect(engine.transfers(site.id)).toEqual([]);
        }),
      );
    });
  });
});
