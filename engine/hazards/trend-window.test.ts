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

  it('agrees with a least-squares fit over the readings held, through growth, wrap-around and emptying', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const w = new TrendWindow();
    const held: [number, number][] = [];
    let at = 0;
    for (let step = 0; step < 20_000; step++) {
      at += Math.floor(random() * 2000);
      const value = 10 + Math.sin(step / 50) + random() * 0.01;
      w.push(at, value);
      held.push([at, value]);
      // a window that breathes: now and then far shorter (emptying it), mostly 60–600 readings
      const limit = at - (random() < 0.01 ? -1 : 60_000 + random() * 540_000);
      w.evictBefore(limit);
      while (held.length > 0 && held[0]![0] < limit) held.shift();
      expect(w.size).toBe(held.length);
      if (held.length === 0 || step % 5 !== 0) continue;
      expect(w.spanMs).toBe(held.at(-1)![0] - held[0]![0]);
      const n = held.length;
      const mt = held.reduce((s, [t]) => s + t / 3_600_000, 0) / n;
      const mv = held.reduce((s, [, v]) => s + v, 0) / n;
      const sxx = held.reduce((s, [t]) => s + (t / 3_600_000 - mt) ** 2, 0);
      const sxy = held.reduce((s, [t, v]) => s + (t / 3_600_000 - mt) * (v - mv), 0);
      const slope = w.slopePerHour();
      if (sxx * n > 1e-9) expect(slope).toBeCloseTo(sxy / sxx, 4);
    }
  });
});
