import { describe, expect, it } from 'vitest';
import { loadSite, type Alert, type ClauseInfo, type ClauseResult, type SiteSnapshot } from '../../../model/index.ts';
import { loadStandard } from '../../../standards/index.ts';
import { commitmentFacts } from './commitment-facts.ts';

const NOW = Date.parse('2026-12-07T02:00:00Z');
const site = await loadSite(new URL('../../../sites/zhoushan-demo.yaml', import.meta.url).pathname);
const standard = await loadStandard(new URL('../../../standards/oil-depot-above-ground/1.1.0.yaml', import.meta.url).pathname);
const info = (id: string, severity: ClauseInfo['severity'], check: ClauseInfo['check'] = 'live'): ClauseInfo => ({
  id,
  title: { zh: id, en: id },
  requirement: { zh: '', en: '' },
  source: { standard: 'GB', clause: '1' },
  confidence: 'confirmed',
  category: 'c',
  severity,
  weight: 1,
  appliesTo: 'tank',
  check,
  standard: standard.key,
});
const result = (clause: string, subject: string, points: string[]): ClauseResult => ({
  site: site.id,
  clause,
  subject,
  verdict: 'unknown',
  since: NOW,
  thresholds: {},
  standard: standard.key,
  evidence: points.map((point) => ({ point, value: null, quality: 'bad', ts: NOW })),
});
const incident = (hazard: NonNullable<Alert['incident']>['hazard'], severity: Alert['severity'], extra: Partial<Alert> = {}): Alert => ({
  id: `${site.id}:${hazard}`,
  site: site.id,
  kind: `hazard-${hazard}`,
  severity,
  state: 'active',
  raisedAt: NOW,
  changedAt: NOW,
  subjects: ['LD1'],
  message: { zh: `${hazard} 消息`, en: `${hazard} message` },
  actions: [],
  incident: { hazard, zones: { type: 'FeatureCollection', features: [] }, affected: [], inventory: [], countdowns: [] },
  ...extra,
});

describe('what a daily commitment is signed against', () => {
  it('the lightning warning with its level (severity through levelSeverity), and nothing else standing', () => {
    const snap: SiteSnapshot = { site: site.id, score: undefined, results: [], alerts: [incident('lightning', 2)], values: {} };
    const facts = commitmentFacts(site, snap, [], standard, NOW);
    expect(facts.lightning).toMatchObject({ level: 2, severity: 2 });
    expect(facts.openIncidents).toHaveLength(1);
    expect(facts.standing.map((s) => s.en)).toEqual(['lightning warning level 2: lightning message']);
  });

  it('safety points: those a clause of a safety-critical severity reads, mapped, without a good reading now; exercises and cleared alerts left out', () => {
    const snap: SiteSnapshot = {
      site: site.id,
      score: undefined,
      alerts: [incident('tank-fire', 1, { exercise: true }), incident('gas-cloud', 1, { state: 'cleared' })],
      results: [result('critical', 'T101', ['T101.level', 'T101.temperature', 'D1.drain_valve_open']), result('minor', 'T102', ['T102.level'])],
      values: {
        'T101.level': { site: site.id, point: 'T101.level', value: 10, quality: 'bad', reason: 'stale', ts: NOW - 60_000 },
        'T101.temperature': { site: site.id, point: 'T101.temperature', value: 30, quality: 'good', ts: NOW },
      },
    };
    const facts = commitmentFacts(site, snap, [info('critical', 1), info('minor', 4)], standard, NOW);
    // D1.drain_valve_open is not mapped by the demo: "not monitored" is a coverage gap, not a stale point
    expect(facts.staleSafetyPoints).toEqual([{ point: 'T101.level', quality: 'bad', reason: 'stale', ts: NOW - 60_000 }]);
    expect(facts.openIncidents).toEqual([]);
    expect(facts.lightning).toBeNull();
    expect(facts.standing.map((s) => s.en)).toEqual(['safety points without a good reading: T101.level']);
  });

  it('the online rate not measured yet (a fresh start) stands against all normal as unknown, with its first hour — not as never done', () => {
    const started = Date.parse('2026-12-07T00:05:00Z'); // 08:05 at the depot (Asia/Shanghai)
    const unmeasured: ClauseResult = {
      site: site.id,
      clause: 'MEM-DQ-ONLINE-RATE',
      subject: site.id,
      verdict: 'unknown',
      since: started,
      standard: standard.key,
      thresholds: { validFor: 'P2D', kind: 'data-quality-day' },
      evidence: [{ point: 'record:data-quality-day', value: null, quality: 'bad', ts: started }],
      reason: { zh: '尚未测得', en: 'not measured yet: data-quality-day is measured by the running twin' },
    };
    const online = { ...info('MEM-DQ-ONLINE-RATE', 3, 'evidence'), title: { zh: '安全监测点位在线率', en: 'Safety points online' } };
    const facts = commitmentFacts(site, { site: site.id, score: undefined, results: [unmeasured], alerts: [], values: {} }, [online], standard, started + 60_000);
    expect(facts.overdue).toEqual([]);
    expect(facts.notMeasured.map((d) => d.clause)).toEqual(['MEM-DQ-ONLINE-RATE']);
    expect(facts.standing.map((s) => s.en)).toEqual(['not measured yet: Safety points online, first measurement at 10:00 at the earliest']);
  });
});
