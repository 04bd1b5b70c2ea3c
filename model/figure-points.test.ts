import { describe, expect, it } from 'vitest';
import { figurePointsRef, parseFigurePoints } from './figure-points.ts';

describe("a measured record's figure points", () => {
  it('writes and reads back which point each figure is about', () => {
    const ref = figurePointsRef({ onlineRate: 'T201.level', clockSkewS: 'GD101.gas' });
    expect(ref).toBe('onlineRate=T201.level clockSkewS=GD101.gas');
    expect(parseFigurePoints(ref)).toEqual({ onlineRate: 'T201.level', clockSkewS: 'GD101.gas' });
  });

  it('leaves any other reference alone', () => {
    expect(parseFigurePoints('DR-2025-03.pdf')).toBeNull();
    expect(parseFigurePoints('T201.level 95.8 % online (worst of 60 safety points)')).toBeNull();
    expect(parseFigurePoints('2026-07-01T00:00:00Z/2026-07-02T00:00:00Z')).toBeNull();
    expect(parseFigurePoints(undefined)).toBeNull();
  });
});
