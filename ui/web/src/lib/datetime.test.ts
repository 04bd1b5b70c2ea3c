import { describe, expect, it } from 'vitest';
import { axisLabels, formatClock, formatDay, formatInstant, formatRelative } from './datetime.ts';

// 2026-12-05 06:03:07 UTC = 14:03:07 in Shanghai
const AT = Date.UTC(2026, 11, 5, 6, 3, 7);

describe('one date and time format per language', () => {
  it('writes an instant with its zone: zh year-month-day, en day month year', () => {
    expect(formatInstant('zh', AT, 'Asia/Shanghai')).toBe('2026-12-05 14:03:07 GMT+8');
    expect(formatInstant('en', AT, 'Asia/Shanghai')).toBe('5 Dec 2026 14:03:07 GMT+8');
    expect(formatInstant('en', AT, 'UTC')).toBe('5 Dec 2026 06:03:07 UTC');
  });

  it('takes the day in the zone, not in UTC', () => {
    const lateUtc = Date.UTC(2026, 11, 5, 20, 0, 0);
    expect(formatDay('zh', lateUtc, 'Asia/Shanghai')).toBe('2026-12-06');
    expect(formatDay('en', lateUtc, 'UTC')).toBe('5 Dec 2026');
    expect(formatClock('en', lateUtc, 'Asia/Shanghai')).toBe('04:00:00 GMT+8');
  });

  it('says how long ago in the largest whole unit', () => {
    expect(formatRelative('en', AT - 3 * 60_000 - 20_000, AT)).toBe('3 min ago');
    expect(formatRelative('zh', AT - 3 * 60_000, AT)).toBe('3分钟前');
    expect(formatRelative('en', AT + 2 * 3_600_000, AT)).toBe('in 2 hr');
    expect(formatRelative('en', AT - 2 * 86_400_000, AT)).toBe('2 days ago');
  });

  it('labels a time axis by the clock within a day and by the day beyond it, in the zone', () => {
    const s = AT / 1000;
    expect(axisLabels('en', 'Asia/Shanghai')(null, [s, s + 1800])).toEqual(['14:03', '14:33']);
    expect(axisLabels('zh', 'Asia/Shanghai')(null, [s, s + 2 * 86_400])).toEqual(['12-05 14:03', '12-07 14:03']);
    expect(axisLabels('en', 'Asia/Shanghai')(null, [s, s + 2 * 86_400])).toEqual(['5 Dec 14:03', '7 Dec 14:03']);
  });
});
