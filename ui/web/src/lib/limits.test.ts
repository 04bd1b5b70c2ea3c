import { describe, expect, it } from 'vitest';
import { limitsFor } from './limits.ts';

describe('limitsFor', () => {
  it("finds a tank level's high and low set-points, and a detector's alarm levels", () => {
    const tank = { diameter: 80, levelHigh: 19, levelHighHigh: 19.6, levelCriticalHigh: 20.4, levelLow: 1.8, levelLowLow: 1.6, levelGauge: 'radar', maxFillRate: 5000 };
    expect(limitsFor('level', tank).map((l) => [l.name, l.side])).toEqual([
      ['levelLowLow', 'low'],
      ['levelLow', 'low'],
      ['levelHigh', 'high'],
      ['levelHighHigh', 'high'],
      ['levelCriticalHigh', 'high'],
    ]);
    expect(limitsFor('gas', { alarm1: 20, alarm2: 40, mountHeight: 0.5 }).map((l) => l.value)).toEqual([20, 40]);
    expect(limitsFor('temperature', tank)).toEqual([]);
  });
});
