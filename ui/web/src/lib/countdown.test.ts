import { describe, expect, it } from 'vitest';
import { countdownShown } from './countdown.ts';

describe('a countdown on the rescue page', () => {
  it('shows the time left, and past the deadline how long overdue, never a negative time', () => {
    expect(countdownShown('en', 299_400)).toEqual({ overdue: false, time: '04:59' });
    expect(countdownShown('en', 0)).toEqual({ overdue: false, time: '00:00' });
    expect(countdownShown('en', -1)).toEqual({ overdue: true, by: '1 s' });
    expect(countdownShown('en', -(3 * 60_000 + 20_000))).toEqual({ overdue: true, by: '3 min' });
    expect(countdownShown('zh', -(3 * 60_000 + 20_000))).toEqual({ overdue: true, by: '3分' });
    expect(countdownShown('en', -12_000)).toEqual({ overdue: true, by: '12 s' });
  });
});
