import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { ClauseResult, Verdict } from '../../model/index.ts';
import { latchVerdict } from './latch-verdict.ts';

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
type Helpers = Parameters<Parameters<TestScheduler['run']>[0]>[0];
/** Runs marbles on a test scheduler, handing the scheduler itself to the operator under test. */
const marbles = (body: (helpers: Helpers, s: TestScheduler) => void) => {
  const s = new TestScheduler((a, b) => expect(a).toEqual(b));
  s.run((helpers) => body(helpers, s));
};

describe('latchVerdict (latched alarm, reset by acknowledgement)', () => {
  it('holds a return to pass after a failure until a reset', () => {
    marbles(({ cold, expectObservable }, s) => {
      const source = cold('p f p 9ms |', values);
      const reset = cold('  10ms r', { r: 1 });
      // p at 0; f at 1; p at 2 held; reset at 10 shows it, stamped 10
      expectObservable(source.pipe(latchVerdict(reset, s, 'unknown'))).toBe('p f 8ms q 1ms |', { ...values, q: { ...values.p, since: 10 } });
    });
  });

  it('passes everything through when nothing failed, and ignores resets then', () => {
    marbles(({ cold, expectObservable }, s) => {
      const source = cold('p u p |', values);
      const reset = cold('r r r r', { r: 1 });
      expectObservable(source.pipe(latchVerdict(reset, s, 'unknown'))).toBe('p u p |', values);
    });
  });

  it('keeps the latch when reset while still failing: the later return waits for the next reset', () => {
    marbles(({ cold, expectObservable }, s) => {
      const source = cold('f 4ms p 9ms |', values);
      const reset = cold('  2ms r 9ms r', { r: 1 });
      // f at 0; reset at 2 finds it failing; p at 5 held; reset at 12 shows it
      expectObservable(source.pipe(latchVerdict(reset, s, 'pass'))).toBe('f 11ms q 2ms |', { f: values.f, q: { ...values.p, since: 12 } });
    });
  });

  it('shows unknown at once while latched, and the latch outlives it', () => {
    marbles(({ cold, expectObservable }, s) => {
      const source = cold('f u 2ms p 9ms |', values);
      const reset = cold('  2ms r 9ms r', { r: 1 });
      // f 0, u 1 at once; reset at 2 finds unknown: latch stays; p at 4 held; reset at 12 shows it
      expectObservable(source.pipe(latchVerdict(reset, s, 'pass'))).toBe('f u 10ms q 1ms |', { ...values, q: { ...values.p, since: 12 } });
    });
  });

  it('drops a held return when the failure comes back, without repeating the failure', () => {
    marbles(({ cold, expectObservable }, s) => {
      const source = cold('f p f 9ms |', values);
      const reset = cold('  5ms r', { r: 1 });
      expectObservable(source.pipe(latchVerdict(reset, s, 'pass'))).toBe('f 11ms |', values);
    });
  });

  it('starts latched when the initial verdict is a failure (restored state)', () => {
    marbles(({ cold, expectObservable }, s) => {
      const source = cold('p 5ms |', values);
      const reset = cold('  3ms r', { r: 1 });
      expectObservable(source.pipe(latchVerdict(reset, s, 'fail'))).toBe('3ms q 2ms |', { q: { ...values.p, since: 3 } });
    });
  });
});
