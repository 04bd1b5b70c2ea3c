import { describe, expect, it } from 'vitest';
import { judgeSirenTest, type SirenPattern, type SoundingSpan } from './siren-pattern.ts';
import { nextTestWindow, parseTestDay, parseTestHours } from './test-window.ts';

const PATTERN: SirenPattern = { preAlert: { onS: 36, offS: 24, cycles: 3 }, airRaid: { onS: 6, offS: 6, cycles: 15 }, allClear: { onS: 180, offS: 0, cycles: 1 }, toleranceS: 2 };
const W = { start: 0, end: 2400_000 };
const spans = (from: number, on: number, off: number, cycles: number): SoundingSpan[] =>
  Array.from({ length: cycles }, (_, i) => ({ from: (from + i * (on + off)) * 1000, to: (from + i * (on + off) + on) * 1000 }));
const full = [...spans(60, 36, 24, 3), ...spans(600, 6, 6, 15), ...spans(1200, 180, 0, 1)];
const en = (j: ReturnType<typeof judgeSirenTest>) => j.problems.map((p) => p.en);

describe('judgeSirenTest', () => {
  it('passes the pattern, within the tolerance and not beyond it', () => {
    expect(judgeSirenTest(full, W, 0, PATTERN)).toMatchObject({ outcome: 'passed', preAlertCycles: 3, airRaidCycles: 15, allClearSeconds: 180, problems: [] });
    const stretched = full.map((s, i) => (i === 0 ? { ...s, to: s.to + 3000 } : s));
    const j = judgeSirenTest(stretched, W, 0, PATTERN);
    expect(j.outcome).toBe('off-pattern');
    expect(en(j)).toContain('sounded 39 s at 60 s into the window: no signal sounds that long');
  });

  it('names a pause off the pattern, signals out of order, and soundings cut by the window', () => {
    const shortPause = [...spans(60, 36, 24, 2), { from: 168_000, to: 204_000 }, ...spans(600, 6, 6, 15), ...spans(1200, 180, 0, 1)];
    expect(en(judgeSirenTest(shortPause, W, 0, PATTERN))).toEqual([
      'pre-alert: a pause of 12 s where 24 s was due',
      'the pre-alert sounded in 2 parts',
      'pre-alert: 2 cycles where 3 were due',
    ]);
    const swapped = [...spans(60, 6, 6, 15), ...spans(600, 36, 24, 3), ...spans(1200, 180, 0, 1)];
    expect(en(judgeSirenTest(swapped, W, 0, PATTERN))).toContain('the signals out of order (pre-alert, air raid, then all-clear)');
    const cut = [...full.slice(0, -1), { from: 2300_000, to: 2400_000 }];
    expect(en(judgeSirenTest(cut, W, 0, PATTERN))).toEqual(expect.arrayContaining(['still sounding when the window closed', 'no all-clear (180 s)']));
  });

  it('silent only when watched all through; unobserved otherwise, even with the pattern seen', () => {
    expect(judgeSirenTest([], W, 0, PATTERN)).toMatchObject({ outcome: 'silent', soundedSeconds: 0 });
    expect(judgeSirenTest([], W, 5000, PATTERN).outcome).toBe('unobserved');
    expect(judgeSirenTest(full, W, 1000, PATTERN)).toMatchObject({ outcome: 'unobserved', problems: [{ en: 'no good status reading for 1 s of the window' }] });
  });
});

describe('the test window in the site time zone', () => {
  it("is this year's until it is over, then next year's", () => {
    const day = parseTestDay('09-18', 'here');
    const hours = parseTestHours('10:00-10:40', 'here');
    expect(nextTestWindow(Date.parse('2026-09-01T00:00:00Z'), day, hours, 'Asia/Shanghai')).toEqual({
      start: Date.parse('2026-09-18T02:00:00Z'),
      end: Date.parse('2026-09-18T02:40:00Z'),
      date: '2026-09-18',
    });
    expect(nextTestWindow(Date.parse('2026-09-18T02:20:00Z'), day, hours, 'Asia/Shanghai').date).toBe('2026-09-18');
    expect(nextTestWindow(Date.parse('2026-09-18T02:40:00Z'), day, hours, 'Asia/Shanghai').date).toBe('2027-09-18');
    // a zone with summer time: 10:00 in Berlin on 18 September is 08:00 UTC
    expect(nextTestWindow(Date.parse('2026-01-01T00:00:00Z'), day, hours, 'Europe/Berlin').start).toBe(Date.parse('2026-09-18T08:00:00Z'));
    expect(nextTestWindow(Date.parse('2025-03-01T00:00:00Z'), parseTestDay('02-29', 'here'), hours, 'Asia/Shanghai').date).toBe('2028-02-29');
  });

  it('refuses a day or window it cannot read, naming the place', () => {
    expect(() => parseTestDay('9/18', 'site x: asset S1: attributes.testDay')).toThrow(
      'site x: asset S1: attributes.testDay must be a day of the year MM-DD such as 09-18, not "9/18"',
    );
    expect(() => parseTestDay('02-30', 'here')).toThrow('must be a day of the year');
    expect(() => parseTestHours('10:40-10:00', 'here')).toThrow('here must be a window HH:MM-HH:MM within one day, the start first');
  });
});
