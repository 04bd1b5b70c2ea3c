// The early-works-flood standard (issue 27 item 3) through the same engine as the depots: every clause of
// standards/early-works-flood/1.0.0.yaml passes and fails on the sample work
// (standards/early-works-flood/fixtures/early-work-site.yaml), on virtual time.
import { readFileSync } from 'node:fs';
import { VirtualTimeScheduler, type SchedulerLike } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createEngine } from '../engine/index.ts';
import { parseSite, type SampleValue, type Site } from '../model/index.ts';
import { checkSite, loadStandard, parseDuration } from '../standards/index.ts';

const DIR = new URL('../standards/early-works-flood/', import.meta.url).pathname;
const SITE_FILE = `${DIR}fixtures/early-work-site.yaml`;
const standard = await loadStandard(`${DIR}1.0.0.yaml`);
const AT = Date.parse('2026-12-07T08:00:00Z');

/** a dry work on a day without warnings: pumps ready, nobody inside, barriers stowed, doors open */
const DRY: Record<string, SampleValue> = {
  'W07.water_level': 0.05,
  'W07.water_inflow': 0,
  'W07.pump_flow': 0,
  'W07.pump_available': true,
  'W07.pump_power': true,
  'W07.barrier_closed': false,
  'W07.door_closed': false,
  'W07.occupied': false,
  'W07.rainstorm_level': 0,
};

function siteWith(attributes: Record<string, unknown> = {}): Site {
  const doc = parse(readFileSync(SITE_FILE, 'utf8')) as { assets: { attributes: Record<string, unknown> }[] };
  Object.assign(doc.assets[0]!.attributes, attributes);
  for (const [k, v] of Object.entries(attributes)) if (v === null) delete doc.assets[0]!.attributes[k];
  return parseSite(stringify(doc), 'early-work-site.yaml');
}

/** the clause's verdict on W07 after the readings have held for `after` */
function verdict(clause: string, samples: Record<string, SampleValue>, options: { after?: string; site?: Site } = {}) {
  const site = options.site ?? siteWith();
  const afterMs = options.after ? parseDuration(options.after)!.ms : 0;
  const virtual = new VirtualTimeScheduler(undefined, afterMs + 2000);
  const scheduler: SchedulerLike = { now: () => AT + virtual.now(), schedule: virtual.schedule.bind(virtual) as SchedulerLike['schedule'] };
  const engine = createEngine({ sites: [site], standards: [{ ...standard, clauses: standard.clauses.filter((c) => c.id === clause) }], scheduler });
  const feed = () => {
    for (const p of site.points) engine.ingest({ site: site.id, point: p.id, value: samples[p.id] ?? DRY[p.id]!, quality: 'good', ts: scheduler.now() });
  };
  feed();
  for (let ms = 5000; ms <= afterMs; ms += 5000) virtual.schedule(feed, ms);
  virtual.flush();
  const result = engine.snapshot(site.id)!.results.find((r) => r.clause === clause && r.subject === 'W07');
  engine.dispose();
  return result;
}

describe('early-works-flood@1.0.0 on an early work', () => {
  it('loads: 15 clauses (the siren test among them), the CMA rainstorm signal levels as data with their source', () => {
    expect(standard.key).toBe('early-works-flood@1.0.0');
    expect(standard.clauses).toHaveLength(15);
    const barrier = standard.clauses.find((c) => c.id === 'EWF-BARRIER-WARNING')!;
    expect(barrier.params['signalRainMm']).toMatchObject({ value: { blue: 50, yellow: 50, orange: 50, red: 100 }, unit: 'mm' });
    expect(barrier.params['signalHours']?.value).toEqual({ blue: 12, yellow: 6, orange: 3, red: 3 });
    expect(barrier.params['signalHours']?.source).toContain('CMA Order No. 16');
  });

  const cases: [string, Record<string, SampleValue>, string | undefined, 'pass' | 'fail'][] = [
    ['EWF-WATER-ALARM', {}, undefined, 'pass'],
    ['EWF-WATER-ALARM', { 'W07.water_level': 0.31 }, 'PT1M', 'fail'],
    ['EWF-WATER-DANGER', { 'W07.water_level': 0.5 }, undefined, 'pass'],
    ['EWF-WATER-DANGER', { 'W07.water_level': 0.8 }, undefined, 'fail'],
    ['EWF-INFLOW-PUMPS', { 'W07.water_inflow': 40, 'W07.pump_flow': 60 }, 'PT2M', 'pass'],
    ['EWF-INFLOW-PUMPS', { 'W07.water_inflow': 90, 'W07.pump_flow': 60, 'W07.water_level': 0.1 }, 'PT2M', 'fail'],
    ['EWF-BARRIER-WARNING', { 'W07.rainstorm_level': 1 }, 'PT15M', 'pass'],
    ['EWF-BARRIER-WARNING', { 'W07.rainstorm_level': 2, 'W07.barrier_closed': true }, 'PT15M', 'pass'],
    ['EWF-BARRIER-WARNING', { 'W07.rainstorm_level': 2 }, 'PT15M', 'fail'],
    ['EWF-DOORS-WARNING', { 'W07.rainstorm_level': 3, 'W07.door_closed': true }, 'PT15M', 'pass'],
    ['EWF-DOORS-WARNING', { 'W07.rainstorm_level': 3 }, 'PT15M', 'fail'],
    ['EWF-PUMPS-READY', {}, 'PT2M', 'pass'],
    ['EWF-PUMPS-READY', { 'W07.pump_power': false }, 'PT2M', 'fail'],
    ['EWF-EVACUATE', { 'W07.occupied': true }, undefined, 'pass'],
    ['EWF-EVACUATE', { 'W07.water_inflow': 90, 'W07.pump_flow': 60 }, undefined, 'pass'],
    ['EWF-EVACUATE', { 'W07.occupied': true, 'W07.water_inflow': 90, 'W07.pump_flow': 60 }, undefined, 'fail'],
    ['EWF-EVACUATE', { 'W07.occupied': true, 'W07.rainstorm_level': 4 }, undefined, 'fail'],
  ];
  it.each(cases)('%s with %j for %s: %s', (clause, samples, after, expected) => {
    const result = verdict(clause, samples, { after });
    expect(result, clause).toBeDefined();
    expect(result!.verdict).toBe(expected);
    expect(result!.standard).toBe('early-works-flood@1.0.0');
  });

  it('counts down to the alarm level from the water coming in faster than it is pumped out', () => {
    // 90 in, 60 out over 120 m²: 0.25 m/h; 0.1 m to go to 0.3 m: 0.8 h
    const result = verdict('EWF-INFLOW-PUMPS', { 'W07.water_inflow': 90, 'W07.pump_flow': 60, 'W07.water_level': 0.1 }, { after: 'PT2M' });
    expect(result!.verdict).toBe('fail');
    expect(result!.thresholds).toMatchObject({ riseMPerH: 0.25 });
    expect(result!.thresholds['hoursToAlarm']).toBeCloseTo(0.8, 6);
  });

  it('a work without declared levels: the water clauses are not applicable, the warning clauses still judge', () => {
    const site = siteWith({ alarmLevelM: null, dangerLevelM: null });
    expect(verdict('EWF-WATER-ALARM', {}, { site })?.verdict).toBe('not-applicable');
    expect(verdict('EWF-BARRIER-WARNING', { 'W07.rainstorm_level': 2 }, { site, after: 'PT15M' })?.verdict).toBe('fail');
  });

  it('a source that stops delivering raises the communications-loss alarm after the standard’s delay, naming its protocol', () => {
    const site = siteWith();
    const virtual = new VirtualTimeScheduler(undefined, 70_000);
    const scheduler: SchedulerLike = { now: () => AT + virtual.now(), schedule: virtual.schedule.bind(virtual) as SchedulerLike['schedule'] };
    const engine = createEngine({ sites: [site], standards: [standard], scheduler });
    engine.ingest({ site: site.id, point: 'mqtt-district.online', value: false, quality: 'good', ts: AT, reason: 'connection lost' });
    virtual.flush();
    const alarm = engine.snapshot(site.id)!.alerts.find((a) => a.kind === 'comms-loss');
    engine.dispose();
    expect(alarm).toMatchObject({ severity: 2, subjects: ['mqtt-district'] });
    expect(alarm!.message.en).toBe(
      'Source mqtt-district (mqtt, mqtt://127.0.0.1:1883) has been unreachable for over 60 s: its 8 points are unavailable and the clauses reading them are unknown',
    );
  });

  it('design and evidence: a decision and a deadline, records in date; a work without a decision, or behind schedule, fails', async () => {
    const report = await checkSite(SITE_FILE, [standard], { now: AT });
    const byClause = Object.fromEntries(report.results.map((r) => [r.clause, r.verdict]));
    expect(byClause).toMatchObject({
      'EWF-PRESEASON-INSPECTION': 'pass',
      'EWF-PUMP-TEST': 'pass',
      'EWF-FLOOD-PLAN': 'pass',
      'EWF-FLOOD-DRILL': 'pass',
      'EWF-EMERGENCY-TEAM': 'pass',
      'EWF-GOVERNANCE-DECISION': 'pass',
      'EWF-GOVERNANCE-ON-SCHEDULE': 'pass',
    });
    // a year on, the inspection, plan, drill and team have lapsed; the pump test (six months) too
    const later = await checkSite(SITE_FILE, [standard], { now: Date.parse('2027-06-01T00:00:00Z') });
    const lapsed = Object.fromEntries(later.results.map((r) => [r.clause, r.verdict]));
    expect(lapsed).toMatchObject({ 'EWF-PRESEASON-INSPECTION': 'fail', 'EWF-PUMP-TEST': 'fail', 'EWF-GOVERNANCE-ON-SCHEDULE': 'fail' });
  });
});
