import { describe, expect, it } from 'vitest';
import type { SiteDetail } from './api.ts';
import { applyEvent } from './apply-event.ts';

function detail(): SiteDetail {
  return {
    site: {
      id: 's1',
      name: { zh: '站', en: 'Site' },
      location: { lat: 0, lon: 0 },
      timeZone: 'Asia/Shanghai',
      plan: { width: 10, height: 10 },
      standards: ['x'],
      assets: [{ id: 'T1', kind: 'tank', name: { zh: '罐1', en: 'Tank 1' }, position: { x: 1, y: 1 }, attributes: {} }],
      points: [{ id: 'T1.level', asset: 'T1', name: 'level', unit: 'm' }],
    },
    score: null,
    clauses: [
      {
        id: 'c1',
        title: { zh: 'c', en: 'c' },
        requirement: { zh: '', en: '' },
        source: { standard: 'GB', clause: '1' },
        confidence: 'confirmed',
        category: 'x',
        severity: 1,
        weight: 1,
        appliesTo: 'tank',
        check: 'live',
        standard: 'x@1',
        subjects: [],
      },
    ],
    alerts: [],
    values: {},
  };
}

describe('applyEvent', () => {
  it('adds then replaces a subject verdict, with names and units filled in', () => {
    const d = detail();
    const result = {
      site: 's1',
      clause: 'c1',
      subject: 'T1',
      verdict: 'pass' as const,
      since: 1,
      standard: 'x@1',
      evidence: [{ point: 'T1.level', value: 3, quality: 'good' as const, ts: 1 }],
      thresholds: { hh: 9 },
    };
    applyEvent(d, { type: 'result', data: result });
    applyEvent(d, { type: 'result', data: { ...result, verdict: 'fail', since: 2 } });
    expect(d.clauses[0]?.subjects).toEqual([expect.objectContaining({ subject: 'T1', subjectName: { zh: '罐1', en: 'Tank 1' }, verdict: 'fail', since: 2 })]);
    expect(d.clauses[0]?.subjects[0]?.evidence[0]?.unit).toBe('m');
  });

  it('keeps open alerts and drops cleared ones', () => {
    const d = detail();
    const alert = {
      id: 'a1',
      site: 's1',
      kind: 'overfill',
      severity: 1 as const,
      state: 'active' as const,
      raisedAt: 1,
      changedAt: 1,
      subjects: ['T1'],
      message: { zh: 'm', en: 'm' },
      actions: [],
    };
    applyEvent(d, { type: 'alert', data: alert });
    applyEvent(d, { type: 'alert', data: { ...alert, state: 'acknowledged' } });
    expect(d.alerts.map((a) => a.state)).toEqual(['acknowledged']);
    applyEvent(d, { type: 'alert', data: { ...alert, state: 'cleared' } });
    expect(d.alerts).toEqual([]);
  });

  it('keeps the latest value of each point', () => {
    const d = detail();
    applyEvent(d, { type: 'sample', data: { site: 's1', point: 'T1.level', value: 4, quality: 'good', ts: 2 } });
    expect(d.values['T1.level']?.value).toBe(4);
  });
});
