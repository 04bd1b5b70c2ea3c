import { describe, expect, it } from 'vitest';
import { createOnlineSignal } from './online-signal.ts';
import { createLogCapture } from './test-support.ts';
import { createWarnLimiter } from './warn-limiter.ts';

describe('warn limiter', () => {
  function limiter() {
    let now = 0;
    let tick: (() => void) | undefined;
    let cleared = false;
    const { logger, lines } = createLogCapture();
    const warnings = createWarnLimiter(logger, {
      now: () => now,
      setInterval: (callback) => ((tick = callback), 'timer'),
      clearInterval: () => void (cleared = true),
    });
    const advance = (ms: number) => {
      now += ms;
      tick?.();
    };
    return { warnings, lines, advance, cleared: () => cleared };
  }

  it('logs a cause the first time, then the count of repeats once a minute', () => {
    const { warnings, lines, advance } = limiter();
    for (let i = 0; i < 600; i++) {
      warnings.warn('read failed: timeout', { address: 3 }, 'rtu-x: read failed');
      advance(100); // a poll every 100 ms for a minute
    }
    warnings.warn('unreachable: not connected (ECONNREFUSED)', {}, 'rtu-x: device unreachable'); // another cause: news at once
    expect(lines.map((l) => l.msg)).toEqual(['rtu-x: read failed', 'rtu-x: read failed (599 more times in the last 60 s)', 'rtu-x: device unreachable']);
    expect(lines[1]).toMatchObject({ level: 40, repeats: 599, address: 3 });
  });

  it('forgets a cause quiet for a whole period, so its next occurrence is logged again, and stops its timer when idle', () => {
    const { warnings, lines, advance, cleared } = limiter();
    warnings.error('set-up failed', {}, 'plc: set-up failed');
    advance(60_000);
    expect(cleared()).toBe(true);
    warnings.error('set-up failed', {}, 'plc: set-up failed');
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [50, 'plc: set-up failed'],
      [50, 'plc: set-up failed'],
    ]);
  });

  it('logs the counts it holds when stopped', () => {
    const { warnings, lines } = limiter();
    for (let i = 0; i < 3; i++) warnings.warn('x', {}, 'dev: x');
    warnings.stop();
    expect(lines.map((l) => l.msg)).toEqual(['dev: x', 'dev: x (2 more times in the last 0 s)']);
  });
});

describe('online signal', () => {
  it('turns true with the first good reading and false when no point is good any more, reporting changes only', () => {
    const reports: [boolean, string | undefined][] = [];
    const online = createOnlineSignal(2, (value, reason) => void reports.push([value, reason]));
    online.connected(); // a connection proves nothing while the source has points
    online.reading(false, false, 'illegal data address 5 (holding, modbus exception 2)');
    online.reading(true, false, undefined);
    online.reading(true, false, undefined);
    online.reading(true, true, undefined);
    online.reading(false, true, 'timeout');
    online.reading(false, true, 'timeout');
    online.lost('not connected (ECONNRESET)');
    expect(reports).toEqual([
      [false, 'no good reading (illegal data address 5 (holding, modbus exception 2))'],
      [true, undefined],
      [false, 'no good reading (timeout)'],
    ]);
    expect(online.online).toBe(false);
  });

  it('takes a connection for a good reading only for a source without points', () => {
    const reports: boolean[] = [];
    const online = createOnlineSignal(0, (value) => void reports.push(value));
    online.connected();
    online.lost('not connected (ECONNREFUSED)');
    expect(reports).toEqual([true, false]);
  });
});
