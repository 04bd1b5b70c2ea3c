import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../model/index.ts';
import { staleAfter } from './stale-after.ts';

const sample = (value: number, quality: Sample['quality'] = 'good'): Sample => ({ site: 's', point: 'T1.level', value, quality, ts: value });
const stale = (value: number): Sample => ({ ...sample(value), quality: 'bad', reason: 'stale' });

function scheduler() {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('staleAfter', () => {
  it('passes samples through and marks the last one stale after the silence', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const source = cold('a 2ms b 9ms |', { a: sample(1), b: sample(2) });
      // b at 3 → stale at 3 + 5 = 8; completion at 13
      expectObservable(source.pipe(staleAfter(5, ts))).toBe('a 2ms b 4ms s 4ms |', { a: sample(1), b: sample(2), s: stale(2) });
    });
  });

  it('stays quiet while good samples keep coming faster than the limit', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const source = cold('a 3ms b 3ms c 3ms |', { a: sample(1), b: sample(2), c: sample(3) });
      expectObservable(source.pipe(staleAfter(5, ts))).toBe('a 3ms b 3ms c 3ms |', { a: sample(1), b: sample(2), c: sample(3) });
    });
  });

  it('re-arms from the last good sample, not the first', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const source = cold('a 3ms b 20ms |', { a: sample(1), b: sample(2) });
      // a at 0 arms for 5; at 5 b (at 4) is only 1 old → re-armed for 4 more → stale at 9
      expectObservable(source.pipe(staleAfter(5, ts))).toBe('a 3ms b 4ms s 15ms |', { a: sample(1), b: sample(2), s: stale(2) });
    });
  });

  it('does not mark a point stale that already reports bad quality', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const source = cold('a b 20ms |', { a: sample(1), b: sample(0, 'bad') });
      expectObservable(source.pipe(staleAfter(5, ts))).toBe('a b 20ms |', { a: sample(1), b: sample(0, 'bad') });
    });
  });

  it('recovers on the next good sample and can go stale again', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const source = cold('a 9ms b 9ms |', { a: sample(1), b: sample(2) });
      expectObservable(source.pipe(staleAfter(5, ts))).toBe('a 4ms s 4ms b 4ms t 4ms |', {
        a: sample(1),
        s: stale(1),
        b: sample(2),
        t: stale(2),
      });
    });
  });

  it('leaves no timer behind when unsubscribed', () => {
    const ts = scheduler();
    ts.run(({ hot, expectObservable }) => {
      const source = hot('a 30ms |', { a: sample(1) });
      expectObservable(source.pipe(staleAfter(5, ts)), '^ 2ms !').toBe('a', { a: sample(1) });
    });
  });
});
