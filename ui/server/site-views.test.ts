import { describe, expect, it } from 'vitest';
import type { ClauseResult, SiteSnapshot } from '../../model/index.ts';
import { onlineRateOf } from './site-views.ts';

const result = (value: unknown, verdict: ClauseResult['verdict']): ClauseResult => ({
  site: 's',
  clause: 'MEM-DQ-ONLINE-RATE',
  subject: 's',
  verdict,
  since: 0,
  standard: 'x@1.1.0',
  thresholds: { kind: 'data-quality-day', validFor: 'P2D' },
  evidence: [{ point: 'record:data-quality-day', value, quality: value === null ? 'bad' : 'good', ts: 0 }],
});
const snapshot = (results: ClauseResult[]): SiteSnapshot => ({ site: 's', score: undefined, results, alerts: [], values: {} });

describe("a site's online rate in the office's site list", () => {
  it("is the twin's newest data-quality-day figure with the verdict its clause reached", () => {
    const record = { date: '2026-12-07', by: 'ketwin (measured)', passed: true, validUntil: '2026-12-09', values: { onlineRate: 0.9583, observedHours: 24, points: 41 } };
    expect(onlineRateOf(snapshot([result(record, 'fail')]))).toEqual({ rate: 0.9583, date: '2026-12-07', observedHours: 24, verdict: 'fail', clause: 'MEM-DQ-ONLINE-RATE' });
  });

  it('is null (shown as not measured yet), never 100 %, while no record is measured or the standard does not judge it', () => {
    expect(onlineRateOf(snapshot([result(null, 'unknown')]))).toBeNull();
    expect(onlineRateOf(snapshot([]))).toBeNull();
    expect(onlineRateOf(undefined)).toBeNull();
  });
});
