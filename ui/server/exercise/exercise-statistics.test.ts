// An exercise's incidents are never counted as real ones: the office's monthly report (report/monthly-data.ts) reads
// the stored alert transitions, where an exercise's alerts are kept beside the live ones.
import { describe, expect, it } from 'vitest';
import { exerciseAlertId, type Alert } from '../../../model/index.ts';
import type { AlertTransition } from '../../../db/index.ts';
import { monthBounds, monthSiteReport } from '../report/monthly-data.ts';
import { loadDemoSite } from '../testing/fixture.ts';

const { from, to } = monthBounds('2026-09');

function fire(id: string, exercise: boolean): Alert {
  return {
    id,
    site: 'zhoushan-demo',
    kind: 'hazard:tank-fire',
    severity: 1,
    state: 'active',
    raisedAt: from + 3_600_000,
    changedAt: from + 3_600_000,
    subjects: ['T101'],
    message: { zh: '火', en: 'fire' },
    actions: [],
    ...(exercise ? { exercise: true } : {}),
  };
}

describe('real incident statistics', () => {
  it('leave out the incidents an exercise raised', async () => {
    const site = await loadDemoSite();
    const real = fire('zhoushan-demo:hazard:tank-fire:T101:1', false);
    const drill = fire(exerciseAlertId('x1', real), true);
    const transitions: AlertTransition[] = [real, drill].flatMap((a) => [
      { state: 'active', at: a.raisedAt, alert: a },
      { state: 'acknowledged', at: a.raisedAt + 60_000, alert: { ...a, state: 'acknowledged' } },
    ]);
    const report = await monthSiteReport(site, from, to, {
      verdicts: { stateAsOf: async (s, at) => ({ site: s, at, results: [], score: undefined, standards: [] }), clauseHistory: async () => [], scoreHistory: async () => [] },
      alerts: { alertHistory: async () => [], alertTransitionsOf: async (_s, kind) => transitions.filter((t) => t.alert.kind === kind) },
      clauses: () => [],
      hazardKinds: () => ['hazard:tank-fire'],
    });
    expect(report.incidents.map((i) => i.id)).toEqual([real.id]);
    expect(report.incidents[0]!.acknowledgedAt).toBe(real.raisedAt + 60_000);
  });
});
