import { describe, expect, it } from 'vitest';
import type { Alert } from './api.ts';
import { alertRows } from './alert-groups.ts';

const alarm = (id: string, severity: Alert['severity'], raisedAt: number, extra: Partial<Alert> = {}): Alert => ({
  id,
  site: 's',
  kind: 'k',
  severity,
  state: 'active',
  raisedAt,
  changedAt: raisedAt,
  subjects: ['T1'],
  message: { zh: id, en: id },
  actions: [],
  ...extra,
});
const incident = { hazard: 'tank-fire' as const, zones: { type: 'FeatureCollection' as const, features: [] }, affected: ['T1', 'T2'], inventory: [], countdowns: [] };

describe('alertRows', () => {
  it('puts incidents first, each followed by the alarms grouped under it, then the rest by severity and age', () => {
    const rows = alertRows([
      alarm('hh-T1', 1, 50, { cause: 'fire' }),
      alarm('high-T9', 3, 60),
      alarm('gas', 2, 10),
      alarm('fire', 2, 5, { incident }),
      alarm('high-T2', 3, 40, { cause: 'fire' }),
      alarm('overfill', 1, 30, { incident: { ...incident, hazard: 'overfill' } }),
    ]);
    expect(rows.map((r) => [r.alert.id, r.under])).toEqual([
      ['overfill', undefined],
      ['fire', undefined],
      ['hh-T1', 'fire'],
      ['high-T2', 'fire'],
      ['gas', undefined],
      ['high-T9', undefined],
    ]);
  });

  it('lists an alarm on its own when its cause is no longer open', () => {
    expect(alertRows([alarm('hh-T1', 1, 50, { cause: 'gone' })])).toEqual([{ alert: expect.objectContaining({ id: 'hh-T1' }) }]);
  });
});
