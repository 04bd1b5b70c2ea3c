import { describe, expect, it } from 'vitest';
import { loadSite, type Alert } from '../model/index.ts';
import { checkLoadedSite, loadStandard } from '../standards/index.ts';
import {
  lightningHistoryPoints,
  lightningReviewClause,
  lightningReviewRecord,
  reviewLightningWarnings,
  warningSpans,
  type LightningHistory,
  type StoredReading,
  type StoredTransition,
} from './lightning-review.ts';

const MIN = 60_000;
const T0 = Date.parse('2026-07-01T06:00:00Z');
const NOW = Date.parse('2026-12-07T02:00:00Z');
const site = await loadSite(new URL('../sites/zhoushan-demo.yaml', import.meta.url).pathname);
const standard = await loadStandard(new URL('../standards/oil-depot-above-ground/1.1.0.yaml', import.meta.url).pathname);
const { params } = lightningReviewClause(standard)!;

const warning = (id: string, raisedAt: number, extra: Partial<Alert> = {}): Alert => ({
  id,
  site: site.id,
  kind: 'hazard-lightning',
  severity: 3,
  state: 'active',
  raisedAt,
  changedAt: raisedAt,
  subjects: ['LD1'],
  message: { zh: '', en: '' },
  actions: [],
  lifecycle: { condition: 'active', acknowledged: false, escalations: 0 },
  ...extra,
});
/** a warning raised at `start` whose condition returned (all clear) at `end` */
const span = (id: string, start: number, end?: number, extra: Partial<Alert> = {}): StoredTransition[] => [
  { state: 'active', at: start, alert: warning(id, start, extra) },
  ...(end === undefined
    ? []
    : [{ state: 'active' as const, at: end, alert: warning(id, start, { ...extra, lifecycle: { condition: 'returned', acknowledged: false, escalations: 0 } }) }]),
];
const strike = (at: number, km: number, quality = 'good'): StoredReading => ({ ts: at, value: km, quality });

function history(transitions: StoredTransition[], readings: StoredReading[]): LightningHistory & { asked: [string, number, number][] } {
  const asked: [string, number, number][] = [];
  return {
    asked,
    alertTransitionsOf: async (s, kind, from, to) =>
      s === site.id && kind === 'hazard-lightning' ? transitions.filter((t) => t.alert.raisedAt >= from && t.alert.raisedAt <= to) : [],
    series: async (s, point, from, to) => {
      asked.push([point, from, to]);
      return s === site.id && point === 'LD1.strike_distance' ? readings.filter((r) => r.ts >= from && r.ts <= to) : [];
    },
  };
}

describe('the lightning warning review (MEM 2022: lead ≥ 10 min, ≥ 80 % valid, from the kept history)', () => {
  it('the standard gives the radius and the 3 years; the detector points are the history kept', () => {
    expect(params).toEqual({ warnedRadiusKm: 5, historyDays: 1095 });
    expect(lightningHistoryPoints(site).sort()).toEqual(['LD1.electric_field', 'LD1.strike_distance']);
  });

  it('a warning is valid when a strike within 5 km follows before its all clear; lead from the warning to that strike', async () => {
    const h = history(
      [
        ...span('w1', T0, T0 + 90 * MIN), // strike at 4.2 km 18 min after: valid, 18 min
        ...span('w2', T0 + 10 * 86_400_000, T0 + 10 * 86_400_000 + 60 * MIN), // storm passed at 8 km: not valid
        ...span('w3', T0 + 20 * 86_400_000, T0 + 20 * 86_400_000 + 45 * MIN), // raised by a 3 km strike itself: valid, 0 min
        ...span('w4', NOW - 10 * MIN), // still standing, no strike within 5 km yet: not decided
        ...span('drill', T0 + 5 * MIN, T0 + 30 * MIN, { exercise: true }), // an exercise: left out
      ],
      [
        strike(T0 - 5 * MIN, 2), // before the warning: not its strike
        strike(T0 + 3 * MIN, 12),
        strike(T0 + 10 * MIN, 6.5),
        strike(T0 + 18 * MIN, 4.2),
        strike(T0 + 20 * MIN, 1.1),
        strike(T0 + 10 * 86_400_000 + 5 * MIN, 8),
        strike(T0 + 20 * 86_400_000, 3),
        strike(NOW - 8 * MIN, 5.5, 'good'),
        strike(NOW - 5 * MIN, 1, 'bad'), // a bad reading is no strike
      ],
    );
    const review = await reviewLightningWarnings(site, params, h, NOW);
    expect(review.warnings.map((w) => [w.alertId, w.leadMinutes])).toEqual([
      ['w1', 18],
      ['w2', undefined],
      ['w3', 0],
      ['w4', undefined],
    ]);
    expect(review).toMatchObject({ decided: 3, valid: 2, validShare: 0.667, meanLeadMinutes: 9, minLeadMinutes: 0 });
    // each warning's strikes are read over its own span only (history is 3 years of a feed)
    expect(h.asked[0]).toEqual(['LD1.strike_distance', T0, T0 + 90 * MIN]);
    const record = lightningReviewRecord(review, params, NOW);
    expect(record).toMatchObject({
      kind: 'lightning-warning-review',
      date: '2026-12-07',
      by: 'ketwin (measured)',
      passed: true,
      values: { warnings: 4, decided: 3, valid: 2, validShare: 0.667, meanLeadMinutes: 9, minLeadMinutes: 0, warnedRadiusKm: 5 },
    });
    // the reference is the span reviewed, in no language: the figures are in values, the pages say them in words
    expect(record.ref).toBe('2023-12-08/2026-12-07');
  });

  it('history older than the 3 years reviewed is not read; with nothing decided the record carries no share nor lead (the clause: unknown)', async () => {
    const review = await reviewLightningWarnings(site, params, history(span('old', NOW - 1100 * 86_400_000, NOW - 1100 * 86_400_000 + 60 * MIN), []), NOW);
    expect(review).toEqual({ warnings: [], decided: 0, valid: 0 });
    const record = lightningReviewRecord(review, params, NOW);
    expect(record.values).toEqual({ warnings: 0, decided: 0, valid: 0, warnedRadiusKm: 5 });
    expect(record.ref).toBe('2023-12-08/2026-12-07');
    // the clause on that record: unknown, and its Chinese reason is Chinese (no English note carried into it)
    const report = checkLoadedSite({ ...site, evidence: [...site.evidence, record] }, 'zhoushan-demo.yaml', [standard], { now: NOW });
    const judged = report.results.find((r) => r.clause === 'MEM2022-LIGHTNING-WARNING-QUALITY');
    expect(judged?.verdict).toBe('unknown');
    expect(judged?.reason).toEqual({
      zh: '记录无法判定：记录中缺少判定所需的数值',
      en: expect.stringMatching(/^the record does not decide it: it lacks a figure the clause needs \(No such key: \w+\)$/),
    });
  });

  it('a warning that came back before its all clear is one warning, ending at its last all clear', () => {
    const start = T0;
    const back = [
      ...span('w', start, start + 30 * MIN),
      { state: 'active' as const, at: start + 40 * MIN, alert: warning('w', start) },
      ...span('w', start, start + 80 * MIN).slice(1),
    ];
    expect(warningSpans(back)).toEqual([{ alertId: 'w', detector: 'LD1', start, end: start + 80 * MIN }]);
  });
});
