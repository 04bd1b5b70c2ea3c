import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { Alert, ClauseResult, Verdict } from '../../model/index.ts';
import { alertLifecycle, type AlertSpec } from './alert-lifecycle.ts';

const result = (verdict: Verdict, since: number, subject = 'T1'): ClauseResult => ({
  site: 's',
  clause: 'C-1',
  subject,
  verdict,
  since,
  evidence: [],
  thresholds: {},
  standard: 'std@1.0.0',
});
const spec: AlertSpec = { kind: 'overfill', severity: 1, message: { zh: '冒罐', en: 'overfill' }, actions: [] };
const alert = (state: Alert['state'], raisedAt: number, changedAt: number, subject = 'T1'): Alert => ({
  id: `s:C-1:${subject}:${raisedAt}`,
  site: 's',
  kind: 'overfill',
  severity: 1,
  state,
  raisedAt,
  changedAt,
  subjects: [subject],
  message: spec.message,
  actions: [],
  clause: 'C-1',
  standard: 'std@1.0.0',
});

function run(marbles: string, values: Record<string, ClauseResult>, expected: string, alerts: Record<string, Alert>, describe = () => spec as AlertSpec | undefined) {
  const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
  ts.run(({ cold, expectObservable }) => expectObservable(cold(marbles, values).pipe(alertLifecycle(describe))).toBe(expected, alerts));
}

describe('alertLifecycle', () => {
  it('raises on fail and clears on pass', () => {
    run('p f q', { p: result('pass', 0), f: result('fail', 2), q: result('pass', 5) }, '- a c', { a: alert('active', 2, 2), c: alert('cleared', 2, 5) });
  });

  it('keeps the alert through unknown and raises no duplicate on a second failure', () => {
    run(
      'f u g p',
      { f: result('fail', 0), u: result('unknown', 1), g: result('fail', 2), p: result('pass', 3) },
      'a - - c',
      { a: alert('active', 0, 0), c: alert('cleared', 0, 3) },
    );
  });

  it('keeps one alert per subject', () => {
    run(
      'a b',
      { a: result('fail', 0, 'T1'), b: result('fail', 1, 'T2') },
      'x y',
      { x: alert('active', 0, 0, 'T1'), y: alert('active', 1, 1, 'T2') },
    );
  });

  it('raises nothing for a clause without an alert, and clears nothing it did not raise', () => {
    run('f p', { f: result('fail', 0), p: result('pass', 1) }, '- -', {}, () => undefined);
  });
});
