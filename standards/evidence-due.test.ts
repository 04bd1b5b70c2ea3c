import { describe, expect, it } from 'vitest';
import type { ClauseResult } from '../model/index.ts';
import { evidenceDue } from './evidence-due.ts';

const result = (evidence: ClauseResult['evidence'], thresholds: Record<string, unknown> = { validFor: 'P6M', kind: 'onsite-plan-drill' }): ClauseResult => ({
  site: 's',
  clause: 'ORDER40-21-ONSITE-DRILL',
  subject: 's',
  verdict: 'fail',
  since: 0,
  evidence,
  thresholds,
  standard: 'x@1',
});

describe('evidenceDue: the next due date from an evidence verdict', () => {
  it('reads the date, reference and validUntil the evaluator recorded', () => {
    const due = evidenceDue(
      result([
        { point: 'record:onsite-plan-drill', value: { date: '2026-03-12', by: 'x', ref: 'XC-1', passed: true, values: {}, validUntil: '2026-09-12' }, quality: 'good', ts: 0 },
      ]),
    );
    expect(due).toEqual({ kind: 'onsite-plan-drill', validFor: 'P6M', lastDone: '2026-03-12', ref: 'XC-1', dueAt: Date.parse('2026-09-12T00:00:00Z') });
  });

  it('never done: no date, no due date', () => {
    expect(evidenceDue(result([{ point: 'record:onsite-plan-drill', value: null, quality: 'bad', ts: 0 }]))).toEqual({ kind: 'onsite-plan-drill', validFor: 'P6M' });
    expect(evidenceDue(result([], {}))).toEqual({});
  });
});
