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
  holdSeverities: [1, 2],
  standard: 'std@1.0.0',
};
const clauses = new Map([
  ['HH', { weight: 3, severity: 1, confidence: 'confirmed' as const }],
  ['GAS', { weight: 1, severity: 2, confidence: 'confirmed' as const }],
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
const score = (ts: number, value: number, grade: string, risk: SiteScore['risk'], c: SiteScore['counts'], coverage: number, why?: SiteScore['riskReason']): SiteScore => ({
  site: 's',
  ts,
  score: value,
  grade,
  risk,
  riskReason: why ?? {
    zh: `合规得分 ${value}，等级 ${grade}${c.unknown > 0 ? `（其中 ${c.unknown} 项无有效数据，按未达标计）` : ''}`,
    en: `compliance score ${value}, grade ${grade}${c.unknown > 0 ? ` (${c.unknown} without good data, counted as not met)` : ''}`,
  },
  complianceRisk: risk,
  counts: c,
  coverage,
  standard: 'std@1.0.0',
});
const failing = (clause: string, subject: string, severity = 1) => ({
  zh: `${subject} 不符合 ${clause}（严重度 ${severity}）`,
  en: `${clause} fails on ${subject} (severity ${severity})`,
});
const held = (at: string, clause: string, subject: string) => ({
  zh: `保持：数据于 ${at} 中断（${subject} ${clause} 此前不符合）`,
  en: `held: data lost at ${at} (${clause} on ${subject} was failing)`,
});

describe('siteScore', () => {
  it('weights passes, earns nothing for unknown, forces red on a severity-1 failure and holds it while its data is lost, emits on change only', () => {
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
        d: score(3, 25, 'D', 'red', counts(1, 1, 0), 1, failing('HH', 'T1')),
        e: score(4, 25, 'D', 'red', counts(1, 0, 1), 0.5),
      });
    });
    expect(first).toEqual(score(0, 0, 'D', 'red', counts(0, 0, 2), 0));
  });

  it('turns red on a severity-1 failure even with a high score', () => {
    const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
    const many = new Map([
      ['HH', { weight: 1, severity: 1, confidence: 'confirmed' as const }],
      ['GAS', { weight: 20, severity: 2, confidence: 'confirmed' as const }],
    ]);
    ts.run(({ cold, expectObservable }) => {
      const source = cold('a b', { a: result('GAS', 'G1', 'pass', 0), b: result('HH', 'T1', 'fail', 1) });
      expectObservable(source.pipe(siteScore({ site: 's', rules, clauses: many, initial, scheduler: ts }))).toBe('a b', {
        a: score(0, 95.24, 'A', 'blue', counts(1, 0, 1), 0.5),
        b: score(1, 95.24, 'A', 'red', counts(1, 1, 0), 1, failing('HH', 'T1')),
      });
    });
  });

  it('an unconfirmed clause alone cannot make the site red: its failure costs its weight, and red comes only with a confirmed one', () => {
    const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
    const mixed = new Map([
      ['HH', { weight: 1, severity: 1, confidence: 'confirmed' as const }],
      ['GAS', { weight: 20, severity: 2, confidence: 'confirmed' as const }],
      ['RESP', { weight: 1, severity: 1, confidence: 'unconfirmed' as const }],
    ]);
    const start = [result('HH', 'T1', 'pass'), result('GAS', 'G1', 'pass'), result('RESP', 'T1', 'pass')];
    ts.run(({ cold, expectObservable }) => {
      const source = cold('a b c d', {
        a: result('RESP', 'T1', 'fail', 1), // unconfirmed severity 1 fails: 21/22 = 95.45, still blue
        b: result('HH', 'T1', 'fail', 2), // a confirmed severity-1 failure: red, and the reason names it
        c: result('HH', 'T1', 'pass', 3), // it passes again: back to the band, though RESP still fails
        d: result('RESP', 'T1', 'pass', 4),
      });
      expectObservable(source.pipe(siteScore({ site: 's', rules, clauses: mixed, initial: start, scheduler: ts }))).toBe('a b c d', {
        a: score(1, 95.45, 'A', 'blue', counts(2, 1, 0), 1),
        b: score(2, 90.91, 'A', 'red', counts(1, 2, 0), 1, failing('HH', 'T1')),
        c: score(3, 95.45, 'A', 'blue', counts(2, 1, 0), 1),
        d: score(4, 100, 'A', 'blue', counts(3, 0, 0), 1),
      });
    });
  });

  it('holds red while a failing severity-1 clause has no data, until a good reading clears it (data loss never lowers risk)', () => {
    const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
    const many = new Map([
      ['HH', { weight: 1, severity: 1, confidence: 'confirmed' as const }],
      ['GAS', { weight: 20, severity: 2, confidence: 'confirmed' as const }],
    ]);
    const clock = (ms: number) => `t${ms}`;
    ts.run(({ cold, expectObservable }) => {
      const source = cold('a b c d e f', {
        a: result('GAS', 'G1', 'pass', 0),
        b: result('HH', 'T1', 'fail', 1),
        c: result('HH', 'T1', 'unknown', 2), // the gauge goes stale while failing: still red
        d: result('HH', 'T1', 'fail', 3), // data back, still failing
        e: result('HH', 'T1', 'unknown', 4),
        f: result('HH', 'T1', 'pass', 5), // a good reading clears the hold
      });
      expectObservable(source.pipe(siteScore({ site: 's', rules: { ...rules, formatTime: clock }, clauses: many, initial, scheduler: ts }))).toBe('a b c d e f', {
        a: score(0, 95.24, 'A', 'blue', counts(1, 0, 1), 0.5),
        b: score(1, 95.24, 'A', 'red', counts(1, 1, 0), 1, failing('HH', 'T1')),
        c: score(2, 95.24, 'A', 'red', counts(1, 0, 1), 0.5, held('t2', 'HH', 'T1')),
        d: score(3, 95.24, 'A', 'red', counts(1, 1, 0), 1, failing('HH', 'T1')),
        e: score(4, 95.24, 'A', 'red', counts(1, 0, 1), 0.5, held('t4', 'HH', 'T1')),
        f: score(5, 100, 'A', 'blue', counts(2, 0, 0), 1),
      });
    });
  });

  it('holds the band a failing severity-2 clause left the site at until it passes again', () => {
    const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
    const three = new Map([
      ['A', { weight: 1, severity: 3, confidence: 'confirmed' as const }],
      ['B', { weight: 1, severity: 2, confidence: 'confirmed' as const }],
      ['C', { weight: 1, severity: 3, confidence: 'confirmed' as const }],
    ]); // C passes throughout
    const start = [result('A', 'x', 'pass'), result('B', 'x', 'pass'), result('C', 'x', 'pass')];
    const clock = (ms: number) => `t${ms}`;
    ts.run(({ cold, expectObservable }) => {
      // B (severity 2) fails: 66.67 → C/orange; B unknown: the score stays 66.67 and orange is held;
      // A unknown: 33.33 → D/red by the band; B passes again: the hold is gone, orange by the band.
      const source = cold('a b c d e', {
        a: result('B', 'x', 'fail', 1),
        b: result('B', 'x', 'unknown', 2),
        c: result('A', 'x', 'unknown', 3), // a passing clause losing its data earns nothing: the score and its band can only fall
        d: result('B', 'x', 'pass', 4),
        e: result('A', 'x', 'pass', 5),
      });
      expectObservable(source.pipe(siteScore({ site: 's', rules: { ...rules, formatTime: clock }, clauses: three, initial: start, scheduler: ts }))).toBe('a b c d e', {
        a: score(1, 66.67, 'C', 'orange', counts(2, 1, 0), 1),
        b: score(2, 66.67, 'C', 'orange', counts(2, 0, 1), 0.6667),
        c: score(3, 33.33, 'D', 'red', counts(1, 0, 2), 0.3333),
        d: score(4, 66.67, 'C', 'orange', counts(2, 0, 1), 0.6667),
        e: score(5, 100, 'A', 'blue', counts(3, 0, 0), 1),
      });
    });
  });
});
