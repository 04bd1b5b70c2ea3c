import { describe, expect, it } from 'vitest';
import type { Alert, IncidentDetails } from '../../model/index.ts';
import { causeAmong, floodGroups } from './alarm-health-grouping.ts';

const details = (affected: string[]): IncidentDetails => ({ hazard: 'tank-fire', zones: { type: 'FeatureCollection', features: [] }, affected, inventory: [], countdowns: [] });
const alert = (id: string, severity: Alert['severity'], raisedAt: number, subjects: string[], extra: Partial<Alert> = {}): Alert => ({
  id,
  site: 's',
  kind: 'k',
  severity,
  state: 'active',
  raisedAt,
  changedAt: raisedAt,
  subjects,
  message: { zh: id, en: id },
  actions: [],
  lifecycle: { condition: 'active', acknowledged: false, escalations: 0 },
  ...extra,
});

describe('flood grouping', () => {
  const fire = alert('fire', 1, 10, ['T1'], { incident: details(['T1', 'T2']) });
  const overfill = alert('overfill', 1, 5, ['T2'], { incident: details(['T2']) });
  const gas = alert('gas', 2, 1, ['T2'], { incident: details(['T2']) });

  it('names the open incident whose affected assets include a subject: most severe, then earliest, then id', () => {
    expect(causeAmong(['T2'], [gas, fire, overfill])).toBe('overfill');
    expect(causeAmong(['T1'], [gas, fire, overfill])).toBe('fire');
    expect(causeAmong(['T9'], [gas, fire, overfill])).toBeUndefined();
  });

  it('ignores incidents that returned or cleared', () => {
    const returned = { ...overfill, lifecycle: { condition: 'returned' as const, acknowledged: false, escalations: 0 } };
    expect(causeAmong(['T2'], [returned, gas])).toBe('gas');
    expect(causeAmong(['T2'], [{ ...gas, state: 'cleared' }])).toBeUndefined();
  });

  it('marks alarms, never incidents, and leaves alone those already marked', () => {
    const hh = alert('hh-T1', 1, 20, ['T1']);
    const high = alert('high-T2', 3, 21, ['T2'], { cause: 'overfill' });
    const other = alert('siren', 3, 22, ['SR1']);
    expect(floodGroups([fire, overfill, hh, high, other])).toEqual([['hh-T1', 'fire']]);
  });
});
