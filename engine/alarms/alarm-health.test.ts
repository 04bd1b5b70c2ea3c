import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { AlarmHealth, AlarmHealthThresholds } from '../../model/index.ts';
import { loadStandard } from '../../standards/index.ts';
import { createAlarmBook, type AlarmSpec } from './alarm-book.ts';
import { alarmHealthThresholds, createAlarmHealth } from './alarm-health.ts';

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const STANDARD = new URL('../../standards/oil-depot-above-ground/1.0.0.yaml', import.meta.url).pathname;

// the 1.0.0 standard's figures (checked against the file below), written out so each test reads on its own
const THRESHOLDS: AlarmHealthThresholds = {
  windowMs: 10 * MIN,
  floodAlarms: 10,
  floodEndBelow: 5,
  chatterWindowMs: MIN,
  chatterCount: 3,
  standingAfterMs: 24 * HOUR,
  topContributors: 10,
  periodMs: 24 * HOUR,
  source: 'test',
};

const spec = (subject: string, kind = 'high-level'): AlarmSpec => ({
  kind,
  severity: 3,
  message: { zh: `${subject} 高液位`, en: `${subject} high level` },
  actions: [],
  subjects: [subject],
  clause: 'HIGH',
  standard: 'std@1.0.0',
});

type Book = ReturnType<typeof createAlarmBook>;
type Tracker = ReturnType<typeof createAlarmHealth>;

/** A real alarm book (no escalation) feeding the health tracker, on virtual time from 0. */
function run(body: (book: Book, health: Tracker, at: (ms: number, fn: () => void) => void) => void, until = 30 * HOUR) {
  const s = new TestScheduler((a, b) => expect(a).toEqual(b));
  const emitted: AlarmHealth[] = [];
  let last: AlarmHealth | undefined;
  s.run(() => {
    const health = createAlarmHealth({ site: 's', scheduler: s, thresholds: THRESHOLDS, emit: (h) => emitted.push(h) });
    const book = createAlarmBook({ site: 's', scheduler: s, emit: (a) => health.observe(a) });
    const at = (ms: number, fn: () => void) => void s.schedule(fn, ms);
    body(book, health, at);
    at(until, () => {
      last = health.figures();
      health.dispose();
    });
    s.flush();
  });
  return { emitted, last: last! };
}

const raise = (book: Book, subject: string, at: number, clause = 'HIGH') => book.condition(`${clause}\u0000${subject}`, { ...spec(subject), clause }, true, at);
const ret = (book: Book, subject: string, at: number, clause = 'HIGH') => book.condition(`${clause}\u0000${subject}`, undefined, false, at);

describe('alarm-system health thresholds', () => {
  it("come from the standard's alarms.health section with its source", async () => {
    const t = alarmHealthThresholds(await loadStandard(STANDARD))!;
    expect({ ...t, source: 'test' }).toEqual(THRESHOLDS);
    expect(t.source).toMatch(/EEMUA 191/);
  });
});

describe('alarm-system health on virtual time', () => {
  it('counts annunciations in the rolling window, and the count decays as the window rolls without new alarms', () => {
    const { emitted } = run((book, _h, at) => {
      at(0, () => raise(book, 'T1', 0));
      at(MIN, () => raise(book, 'T2', MIN));
      at(2 * MIN, () => raise(book, 'T3', 2 * MIN));
    }, 20 * MIN);
    expect(emitted.map((h) => [h.at, h.lastWindow])).toEqual([
      [0, 1],
      [MIN, 2],
      [2 * MIN, 3],
      // each leaves the window 10 min after it came
      [10 * MIN, 2],
      [11 * MIN, 1],
      [12 * MIN, 0],
    ]);
    expect(emitted.at(-1)!.period.annunciations).toBe(3);
  });

  it('re-alarm counts as an annunciation; acknowledging or returning does not', () => {
    const { last } = run((book, _h, at) => {
      at(0, () => raise(book, 'T1', 0));
      at(SEC, () => ret(book, 'T1', SEC));
      at(2 * MIN, () => raise(book, 'T1', 2 * MIN)); // back before acknowledged: the same alarm again
      at(3 * MIN, () => book.acknowledge('s:HIGH:T1:0', 'wang', 'seen'));
    }, 5 * MIN);
    expect(last.lastWindow).toBe(2);
    expect(last.top).toEqual([expect.objectContaining({ key: 'HIGH:T1', count: 2 })]);
  });

  it('finds a flood at 10 in 10 min and ends it when fewer than 5 remain in the window; counts flooded fixed windows', () => {
    const { emitted, last } = run((book, health, at) => {
      // 12 alarms, one every 30 s from 1 min: the 10th at 5.5 min starts the flood
      for (let i = 0; i < 12; i++) at(MIN + i * 30 * SEC, () => raise(book, `T${i}`, MIN + i * 30 * SEC));
      at(5 * MIN + 29 * SEC, () => expect(health.flooded()).toBe(false));
      at(5 * MIN + 30 * SEC, () => expect(health.flooded()).toBe(true));
    }, 3 * HOUR);
    const start = emitted.find((h) => h.flood.active)!;
    expect(start.at).toBe(5 * MIN + 30 * SEC);
    expect(start.flood).toEqual({ active: true, since: 5 * MIN + 30 * SEC, count: 10 });
    // 12 in the window until 11 min; the 8th alarm (at 4.5 min) leaves at 14.5 min and 4 remain
    const end = emitted.find((h) => h.at > start.at && !h.flood.active)!;
    expect(end.at).toBe(14 * MIN + 30 * SEC);
    expect(end.lastWindow).toBe(4);
    expect(end.floods).toEqual([{ start: 5 * MIN + 30 * SEC, end: 14 * MIN + 30 * SEC, count: 12 }]);
    // all 12 fell in the fixed window 0–10 min: one flooded window of the 19 begun in three hours
    expect(last.period).toEqual({ annunciations: 12, averagePerWindow: 0.67, peakPerWindow: 12, windows: 19, floodedWindows: 1, floodShare: 1 / 19 });
    expect(last.flood).toEqual({ active: false });
  });

  it('finds chattering: the same alarm 3 times within 1 min, active while it lasts, listed over the period', () => {
    const { emitted, last } = run((book, _h, at) => {
      for (const t of [0, 20 * SEC, 40 * SEC]) {
        at(t, () => raise(book, 'T1', t));
        at(t + 5 * SEC, () => ret(book, 'T1', t + 5 * SEC));
        at(t + 6 * SEC, () => book.acknowledge(`s:HIGH:T1:${t}`, 'wang', 'gauge bouncing'));
      }
      at(0, () => raise(book, 'T2', 0));
      at(30 * SEC, () => raise(book, 'T3', 30 * SEC)); // other alarms do not make T1's count
    }, 2 * HOUR);
    const chatter = emitted.find((h) => h.chattering.length > 0)!;
    expect(chatter.at).toBe(40 * SEC);
    expect(chatter.chattering).toEqual([expect.objectContaining({ key: 'HIGH:T1', count: 1, lastChatterAt: 40 * SEC, active: true })]);
    // no longer chattering once the first of the three is a minute old
    const calm = emitted.find((h) => h.at > 40 * SEC && h.chattering[0]?.active === false)!;
    expect(calm.at).toBe(MIN);
    expect(last.chattering).toEqual([expect.objectContaining({ key: 'HIGH:T1', active: false })]);
  });

  it('lists an alarm as standing once its condition has been active 24 h, and drops it when it returns', () => {
    const { emitted } = run((book, _h, at) => {
      at(HOUR, () => raise(book, 'T1', HOUR));
      at(2 * HOUR, () => raise(book, 'T2', 2 * HOUR));
      at(26 * HOUR, () => ret(book, 'T1', 26 * HOUR));
    }, 27 * HOUR);
    const standing = emitted.filter((h) => h.standing.length > 0);
    expect(standing[0]!.at).toBe(25 * HOUR);
    expect(standing[0]!.standing).toEqual([expect.objectContaining({ id: 's:HIGH:T1:3600000', key: 'HIGH:T1', activeSince: HOUR, forMs: 24 * HOUR, state: 'active' })]);
    expect(
      emitted
        .filter((h) => h.at === 26 * HOUR)
        .at(-1)!
        .standing.map((s) => s.id),
    ).toEqual(['s:HIGH:T2:7200000']);
  });

  it('names the top 10 contributors by count over the period, most first, and forgets them after it', () => {
    const { emitted, last } = run((book, _h, at) => {
      // T0 three times … T11 once: 12 alarms, 10 named
      let t = 0;
      for (let i = 0; i < 12; i++) {
        const times = i === 0 ? 3 : i === 1 ? 2 : 1;
        for (let k = 0; k < times; k++) {
          const when = (t += 2 * MIN);
          at(when, () => raise(book, `T${i}`, when));
          at(when + SEC, () => ret(book, `T${i}`, when + SEC));
          at(when + 2 * SEC, () => book.acknowledge(`s:HIGH:T${i}:${when}`, 'wang', 'ok'));
        }
      }
    }, 30 * HOUR);
    const full = emitted.find((h) => h.period.annunciations === 15)!;
    expect(full.top.map((c) => [c.key, c.count])).toEqual([
      ['HIGH:T0', 3],
      ['HIGH:T1', 2],
      ['HIGH:T10', 1],
      ['HIGH:T11', 1],
      ['HIGH:T2', 1],
      ['HIGH:T3', 1],
      ['HIGH:T4', 1],
      ['HIGH:T5', 1],
      ['HIGH:T6', 1],
      ['HIGH:T7', 1],
    ]);
    expect(full.top[0]!.message.en).toBe('T0 high level');
    // a day later every annunciation has left the period: nothing is kept
    expect(last.period.annunciations).toBe(0);
    expect(last.top).toEqual([]);
  });

  it('emits only when a figure changes, never for a transition that changes none', () => {
    const { emitted } = run((book, _h, at) => {
      at(0, () => raise(book, 'T1', 0));
      at(MIN, () => book.acknowledge('s:HIGH:T1:0', 'wang', 'seen'));
      // an incident's countdown and message change with every reading: updates, not annunciations
      const incident = (minutes: number): AlarmSpec => ({
        ...spec('T2', 'hazard-overfill'),
        message: { zh: `${minutes} 分钟后溢罐`, en: `overfill in ${minutes} min` },
        incident: { hazard: 'overfill', zones: { type: 'FeatureCollection', features: [] }, affected: ['T2'], inventory: [], countdowns: [] },
      });
      at(2 * MIN, () => book.condition('hazard\u0000overfill\u0000T2', incident(30), true, 2 * MIN));
      at(3 * MIN, () => book.condition('hazard\u0000overfill\u0000T2', incident(29), true, 3 * MIN));
      at(4 * MIN, () => book.condition('hazard\u0000overfill\u0000T2', incident(28), true, 4 * MIN));
    }, 12 * MIN);
    expect(emitted.map((h) => h.at)).toEqual([0, 2 * MIN, 10 * MIN]);
    expect(emitted.at(-1)!.top.find((c) => c.key === 'hazard:overfill:T2')!.message.en).toBe('overfill in 28 min');
  });

  it('takes back an alarm restored after a restart: standing from when it was raised, no new annunciation', () => {
    const { emitted } = run((book, health, at) => {
      at(HOUR, () => {
        const stored = {
          ...spec('T1'),
          id: 's:HIGH:T1:0',
          site: 's',
          state: 'active' as const,
          raisedAt: 0,
          changedAt: 0,
          lifecycle: { condition: 'active' as const, acknowledged: false, escalations: 0 },
        };
        book.restore(stored, 'HIGH\u0000T1');
        health.restore(stored);
      });
    }, 25 * HOUR);
    expect(emitted.map((h) => [h.at, h.period.annunciations, h.standing.map((x) => x.id)])).toEqual([[24 * HOUR, 0, ['s:HIGH:T1:0']]]);
  });

  it('is deterministic: the same alarms give the same figures', () => {
    const play = () =>
      run((book, _h, at) => {
        for (let i = 0; i < 30; i++) at(i * 17 * SEC, () => raise(book, `T${i % 7}`, i * 17 * SEC, `C${i % 3}`));
      }, 3 * HOUR).emitted;
    expect(play()).toEqual(play());
  });
});
