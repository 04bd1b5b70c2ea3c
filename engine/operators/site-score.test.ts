import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { ClauseResult, SiteScore, Verdict } from '../../model/index.ts';
import type { ScoreRules } from '../score.ts';
import { siteScore } from './site-score.ts';

const rules: ScoreRules = {
  bands: [
    { min: 90, grade: 'A', risk: 'blue' },
    { min: 60, grade: 'C', risk: 'orange' },
    { min: 0, grade: 'D', risk: 'red' },
  ],
  forceRedSeverities: [1],
  standard: 'std@1.0.0',
};
const clauses = new Map([
  ['HH', { weight: 3, severity: 1 }],
  ['GAS', { weight: 1, severity: 2 }],
]);
const result = (clause: string, subject: string, verdict: Verdict, since = 0): ClauseResult => ({
  site: 's',
  clause,
  subject,
  verdict,
  since,
  evidence: [],
  thresholds: {},
  standard: 'std@1.0.0',
});
const initial = [result('HH', 'T1', 'unknown'), result('GAS', 'G1', 'unknown')];
const counts = (pass: number, fail: number, unknown: number) => ({ pass, fail, unknown, 'not-applicable': 0 });
const score = (ts: number, value: number, grade: string, risk: SiteScore['risk'], c: SiteScore['counts'], coverage: number): SiteScore => ({
  site: 's',
  ts,
  score: value,
  grade,
  risk,
  counts: c,
  coverage,
  standard: 'std@1.0.0',
});

describe('siteScore', () => {
  it('weights passes, earns nothing for unknown, forces red on a severity-1 failure, emits on change only', () => {
    const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
    let first: SiteScore | undefined;
    ts.run(({ cold, expectObservable }) => {
      const source = cold('a b c d e', {
        a: result('GAS', 'G1', 'pass', 0),
        b: result('HH', 'T1', 'pass', 1),
        c: result('GAS', 'G1', 'pass', 2), // no change
        d: result('HH', 'T1', 'fail', 3),
        e: result('HH', 'T1', 'unknown', 4),
      });
      expectObservable(source.pipe(siteScore({ site: 's', rules, clauses, initial, scheduler: ts, onInitial: (s) => (first = s) }))).toBe('a b - d e', {
        a: score(0, 25, 'D', 'red', counts(1, 0, 1), 0.5),
        b: score(1, 100, 'A', 'blue', counts(2, 0, 0), 1),
        d: score(3, 25, 'D', 'red', counts(1, 1, 0), 1),
        e: score(4, 25, 'D', 'red', counts(1, 0, 1), 0.5),
      });
    });
    expect(first).toEqual(score(0, 0, 'D', 'red', counts(0, 0, 2), 0));
  });

  it('turns red on a severity-1 failure even with a high score', () => {
    const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
    const many = new Map([['HH', { weight: 1, severity: 1 }], ['GAS', { weight: 20, severity: 2 }]]);
    ts.run(({ cold, expectObservable }) => {
      const source = cold('a b', { a: result('GAS', 'G1', 'pass', 0), b: result('HH', 'T1', 'fail', 1) });
      expectObservable(source.pipe(siteScore({ site: 's', rules, clauses: many, initial, scheduler: ts }))).toBe('a b', {
        a: score(0, 95.24, 'A', 'blue', counts(1, 0, 1), 0.5),
        b: score(1, 95.24, 'A', 'red', counts(1, 1, 0), 1),
      });
    });
  });
});
