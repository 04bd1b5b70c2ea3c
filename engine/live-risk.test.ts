import { describe, expect, it } from 'vitest';
import type { Alert } from '../model/index.ts';
import { liveRisk } from './live-risk.ts';

const standard = {
  liveRisk: { incidentSeverity: { '1': 'red', '2': 'orange', '3': 'yellow', '4': 'blue' }, commsLoss: 'orange', criticalSeverities: [1, 2] },
  hazards: { 'tank-fire': { title: { zh: '储罐火灾', en: 'Tank fire' } }, overfill: { title: { zh: '冒罐', en: 'Overfill' } } },
} as never;
const compliance = { complianceRisk: 'yellow' as const, riskReason: { zh: '合规得分 70', en: 'compliance score 70' } };
const alert = (id: string, over: Partial<Alert>): Alert => ({
  id,
  site: 's',
  kind: 'hazard',
  severity: 1,
  state: 'active',
  raisedAt: 0,
  changedAt: 0,
  subjects: [id],
  message: { zh: '', en: '' },
  actions: [],
  ...over,
});
const fire = (id: string, severity: Alert['severity'] = 1) => alert(id, { severity, incident: { hazard: 'tank-fire' } as Alert['incident'] });

describe('liveRisk', () => {
  it('is the compliance colour, with its reason, when nothing open drives it', () => {
    expect(liveRisk(compliance, [], standard, new Set())).toEqual({ risk: 'yellow', reason: compliance.riskReason });
    // a comms loss with a source serving no safety-critical point, and incidents cleared, exercised or returned
    const quiet = [alert('OPC1', { kind: 'comms-loss' }), ...quiet4()];
    expect(liveRisk(compliance, quiet, standard, new Set()).risk).toBe('yellow');
  });

  it('names the worst drivers in the order of the open alerts, two at most, and counts the rest', () => {
    const open = [fire('T201', 2), fire('T101'), alert('OPC1', { kind: 'comms-loss' }), fire('T102'), fire('T103')];
    const live = liveRisk(compliance, open, standard, new Set(['OPC1']));
    expect(live).toEqual({
      risk: 'red',
      reason: {
        zh: '事件未解除：T101 储罐火灾（1级）；事件未解除：T102 储罐火灾（1级）；另有 1 项',
        en: 'open incident: Tank fire at T101 (severity 1); open incident: Tank fire at T102 (severity 1); and 1 more',
      },
    });
  });

  it('a comms loss with a source serving safety-critical points drives it orange, beside an orange incident in their order', () => {
    const live = liveRisk(compliance, [alert('OPC1', { kind: 'comms-loss' }), fire('T201', 2)], standard, new Set(['OPC1']));
    expect(live.risk).toBe('orange');
    expect(live.reason.en).toBe('communications lost with OPC1, which serves safety-critical points; open incident: Tank fire at T201 (severity 2)');
  });
});

/** alerts that drive nothing: cleared, an exercise, a condition that has returned */
function quiet4(): Alert[] {
  return [
    alert('T102', { severity: 1, state: 'cleared', incident: { hazard: 'tank-fire' } as Alert['incident'] }),
    alert('T103', { severity: 1, exercise: true, incident: { hazard: 'tank-fire' } as Alert['incident'] }),
    alert('T104', { severity: 1, lifecycle: { condition: 'returned' } as Alert['lifecycle'], incident: { hazard: 'tank-fire' } as Alert['incident'] }),
  ];
}
