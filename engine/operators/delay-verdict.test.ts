import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { ClauseResult, Verdict } from '../../model/index.ts';
import { delayVerdict } from './delay-verdict.ts';

const r = (verdict: Verdict, since = 0): ClauseResult => ({
  site: 's',
  clause: 'c',
  subject: 'x',
  verdict,
  since,
  evidence: [],
  thresholds: {},
  standard: 'std@1.0.0',
});
const values = { p: r('pass'), f: r('fail'), u: r('unknown') };
const scheduler = () => new TestScheduler((a, b) => expect(a).toEqual(b));
type Helpers = Parameters<Parameters<TestScheduler['run']>[0]>[0];
/** Runs marbles on a test scheduler, handing the scheduler itself to the operator under test. */
const marbles = (body: (helpers: Helpers, s: TestScheduler) => void) => {
  const s = scheduler();
  s.run((helpers) => body(helpers, s));
};

describe('delayVerdict (delay-on / delay-off)', () => {
  it('passes a failure on only after it has lasted delayOn, stamped with the confirmation time', () => {
    marbles(({ cold, expectObservable, time }, s) => {
      const on = time('---|');
      const source = cold('p 9ms f 9ms |', values);
      expectObservable(source.pipe(delayVerdict(on, 0, s, 'unknown'))).toBe('p 12ms g 6ms |', { p: values.p, g: { ...values.f, since: 13 } });
    });
  });

  it('drops a failure that clears within delayOn', () => {
    marbles(({ cold, expectObservable }, s) => {
      const source = cold('p 4ms f p 4ms |', values);
      expectObservable(source.pipe(delayVerdict(5, 0, s, 'unknown'))).toBe('p 10ms |', values);
    });
  });

  it('holds a recovery for delayOff, and lets a new failure cancel it', () => {
    marbles(({ cold, expectObservable }, s) => {
      const source = cold('f 2ms p 2ms f 9ms p 9ms |', values);
      // f at 0 (from unknown: at once); p at 3 cancelled by f at 6; p at 16 confirmed at 21
      expectObservable(source.pipe(delayVerdict(0, 5, s, 'unknown'))).toBe('f 20ms q 4ms |', { f: values.f, q: { ...values.p, since: 21 } });
    });
  });

  it('never delays a change to unknown, nor from unknown', () => {
    marbles(({ cold, expectObservable }, s) => {
      const source = cold('p f u f |', values);
      expectObservable(source.pipe(delayVerdict(100, 100, s, 'unknown'))).toBe('p - u f |', values);
    });
  });
});
