import { describe, expect, it } from 'vitest';
import { TrendWindow } from './trend-window.ts';

const MIN = 60_000;

describe('TrendWindow', () => {
  it('gives the least-squares slope per hour over the readings still in the window', () => {
    const w = new TrendWindow();
    expect(w.slopePerHour()).toBeUndefined();
    // 14.0 m rising 0.05 m per minute = 3 m/h, with a wrong early reading that leaves the window
    w.push(0, 99);
    for (let m = 1; m <= 10; m++) w.push(m * MIN, 14 + 0.05 * m);
    expect(w.slopePerHour()).not.toBeCloseTo(3, 3);
    w.evictBefore(1 * MIN);
    expect(w.size).toBe(10);
    expect(w.slopePerHour()).toBeCloseTo(3, 9);
  });

  it('stays exact over a long run of evictions and compactions', () => {
    const w = new TrendWindow();
    for (let s = 0; s < 200_000; s++) {
      w.push(s * 1000, 2 + s * (1.2 / 3600)); // 1.2 m/h
      w.evictBefore(s * 1000 - 300_000);
    }
    expect(w.size).toBe(301);
    expect(w.slopePerHour()).toBeCloseTo(1.2, 6);
  });
});
