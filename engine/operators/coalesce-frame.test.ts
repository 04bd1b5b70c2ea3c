import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { coalesceFrame } from './coalesce-frame.ts';

const marbles = (body: (helpers: Parameters<Parameters<TestScheduler['run']>[0]>[0], s: TestScheduler) => void) => {
  const s = new TestScheduler((a, b) => expect(a).toEqual(b));
  s.run((helpers) => body(helpers, s));
};

describe('coalesceFrame', () => {
  it('emits the last value of each instant once, after the burst', () => {
    marbles(({ cold, expectObservable }, s) => {
      // (abc) arrive at the same virtual instant: one emission of c at that instant
      expectObservable(cold('(abc) 5ms d 5ms (ef)', { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 }).pipe(coalesceFrame(s))).toBe('c 9ms d 5ms f', {
        c: 3,
        d: 4,
        f: 6,
      });
    });
  });
  it('flushes a pending value when the source completes', () => {
    marbles(({ cold, expectObservable }, s) => {
      expectObservable(cold('(ab|)', { a: 1, b: 2 }).pipe(coalesceFrame(s))).toBe('(b|)', { b: 2 });
    });
  });
  it('leaves no action scheduled when unsubscribed', () => {
    marbles(({ hot, expectObservable }, s) => {
      expectObservable(hot('a 3ms b', { a: 1, b: 2 }).pipe(coalesceFrame(s)), '^ 2ms !').toBe('a', { a: 1 });
    });
  });
});
