import { describe, expect, it } from 'vitest';
import { addDuration, parseDuration } from './duration.ts';

const at = (iso: string) => Date.parse(iso);

describe('ISO 8601 durations', () => {
  it('reads time and calendar parts', () => {
    expect(parseDuration('PT30S')).toMatchObject({ years: 0, months: 0, ms: 30_000 });
    expect(parseDuration('PT1H30M')?.ms).toBe(5_400_000);
    expect(parseDuration('P6M')).toMatchObject({ months: 6, ms: 0 });
    expect(parseDuration('P1Y')).toMatchObject({ years: 1 });
    expect(parseDuration('P')).toBeUndefined();
    expect(parseDuration('PT')).toBeUndefined();
    expect(parseDuration('30s')).toBeUndefined();
  });

  it('adds years and months on the calendar', () => {
    expect(addDuration(at('2024-09-18T00:00:00Z'), parseDuration('P1Y')!)).toBe(at('2025-09-18T00:00:00Z'));
    expect(addDuration(at('2025-03-31T00:00:00Z'), parseDuration('P1M')!)).toBe(at('2025-04-30T00:00:00Z'));
    expect(addDuration(at('2024-02-29T00:00:00Z'), parseDuration('P1Y')!)).toBe(at('2025-02-28T00:00:00Z'));
    expect(addDuration(at('2025-01-01T00:00:00Z'), parseDuration('P1DT2H')!)).toBe(at('2025-01-02T02:00:00Z'));
  });
});
