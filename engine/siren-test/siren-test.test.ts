// Issue 24 item 5: the siren test watched through the real engine on virtual time — three sirens of an early
// work's district on 18 September, one sounding the pattern, one off it, one silent (and one whose status was
// lost mid-window) — each filed as a siren-test record on which early-works-flood's EWF-SIREN-TEST passes or fails.
import { readFileSync } from 'node:fs';
import { VirtualTimeScheduler, type SchedulerLike } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseSite, type EvidenceRecord, type LiveEvent, type Quality, type Site } from '../../model/index.ts';
import { loadStandard } from '../../standards/index.ts';
import { createEngine } from '../index.ts';

const DIR = new URL('../../standards/early-works-flood/', import.meta.url).pathname;
const standard = await loadStandard(`${DIR}1.0.0.yaml`);
/** 10:00 in Zhengzhou (UTC+8) on the test day: the window the sirens declare opens */
const OPEN = Date.parse('2026-09-18T02:00:00Z');
const S = 1000;

function siteWithSirens(): Site {
  const doc = parse(readFileSync(`${DIR}fixtures/early-work-site.yaml`, 'utf8')) as { assets: unknown[]; points: unknown[] };
  for (const id of ['S1', 'S2', 'S3', 'S4']) {
    doc.assets.push({ id, kind: 'siren', name: { zh: `${id}号警报器`, en: `Siren ${id}` }, position: { x: 10, y: 10 }, attributes: { testWindow: '10:00-10:40' } });
    doc.points.push({ asset: id, name: 'sounding', unit: 'bool', source: 'mqtt-district', mqtt: { topic: `jinshui/${id}/status`, path: 'sounding' } });
  }
  return parseSite(stringify(doc), 'early-work-site.yaml');
}

type Edge = [ms: number, sounding: boolean, quality?: Quality];

/** the soundings of a signal from `from` ms after the window opened: `cycles` × (`on` s sounding, `off` s silent) */
function signal(from: number, on: number, off: number, cycles: number): Edge[] {
  const edges: Edge[] = [];
  for (let i = 0; i < cycles; i++) edges.push([from + i * (on + off) * S, true], [from + (i * (on + off) + on) * S, false]);
  return edges;
}

/** the whole pattern: pre-alert a minute in, air raid at 10 min, all-clear at 20 min */
const PATTERN: Edge[] = [...signal(60 * S, 36, 24, 3), ...signal(600 * S, 6, 6, 15), ...signal(1200 * S, 180, 0, 1)];

function play(sirens: Record<string, Edge[]>, untilMs = 3600 * S) {
  const site = siteWithSirens();
  const start = OPEN - 600 * S;
  const virtual = new VirtualTimeScheduler(undefined, OPEN + untilMs);
  virtual.frame = start;
  const scheduler: SchedulerLike = virtual;
  const engine = createEngine({ sites: [site], standards: [standard], scheduler });
  const events: LiveEvent[] = [];
  engine.events$.subscribe((e) => events.push(e));
  const before = engine
    .snapshot(site.id)!
    .results.filter((r) => r.clause === 'EWF-SIREN-TEST')
    .map((r) => [r.subject, r.verdict]);
  for (const [id, edges] of Object.entries(sirens)) {
    // quiet before the window, as a status reported on change: one reading
    engine.ingest({ site: site.id, point: `${id}.sounding`, value: false, quality: 'good', ts: start });
    for (const [ms, value, quality] of edges)
      virtual.schedule(() => engine.ingest({ site: site.id, point: `${id}.sounding`, value, quality: quality ?? 'good', ts: OPEN + ms }), OPEN + ms - start);
  }
  // the collector's heartbeat keeps the feed alive (collector/link-heartbeat.ts: a third of its staleAfterMs)
  for (let ms = 0; ms <= untilMs + 600 * S; ms += 30 * S)
    virtual.schedule(() => engine.ingest({ site: site.id, point: 'mqtt-district.online', value: true, quality: 'good', ts: start + ms }), ms);
  virtual.flush();
  const records = events.filter((e) => e.type === 'evidence').map((e) => (e.data as { record: EvidenceRecord }).record);
  const after = Object.fromEntries(
    engine
      .snapshot(site.id)!
      .results.filter((r) => r.clause === 'EWF-SIREN-TEST')
      .map((r) => [r.subject, r]),
  );
  engine.dispose();
  return { before, records, after };
}

describe('siren test watching on 18 September', () => {
  it('files one record per siren when the window closes: passed, off-pattern with what was wrong, silent, unobserved', () => {
    const jitter = PATTERN.map(([ms, v], i): Edge => [ms + (i % 3 === 0 ? 800 : 0), v]);
    const offPattern: Edge[] = [...signal(60 * S, 36, 24, 3), ...signal(600 * S, 6, 6, 10), ...signal(1200 * S, 120, 0, 1)];
    const lost: Edge[] = [...PATTERN.filter(([ms]) => ms < 700 * S), [700 * S, false, 'bad'], [760 * S, false], ...PATTERN.filter(([ms]) => ms > 760 * S)];
    const { before, records, after } = play({ S1: jitter, S2: offPattern, S3: [], S4: lost });

    // before the test nothing is on record: the clause fails for want of a record
    expect(before).toEqual([
      ['S1', 'fail'],
      ['S2', 'fail'],
      ['S3', 'fail'],
      ['S4', 'fail'],
    ]);
    const bySiren = Object.fromEntries(records.filter((r) => r.kind === 'siren-test').map((r) => [r.subject, r]));
    expect(Object.keys(bySiren).sort()).toEqual(['S1', 'S2', 'S3', 'S4']);
    for (const r of Object.values(bySiren)) expect(r).toMatchObject({ date: '2026-09-18', by: 'ketwin (measured)', ref: '2026-09-18T02:00:00.000Z/2026-09-18T02:40:00.000Z' });

    expect(bySiren['S1']).toMatchObject({ passed: true, values: { preAlertCycles: 3, airRaidCycles: 15, allClearMinutes: 3, blindSeconds: 0 }, notes: 'passed' });
    expect(bySiren['S2']).toMatchObject({ passed: false, values: { preAlertCycles: 3, airRaidCycles: 10, allClearMinutes: 0, blindSeconds: 0 } });
    expect(bySiren['S2']!.notes).toContain('off-pattern');
    expect(bySiren['S2']!.notes).toContain('air raid: 10 cycles where 15 were due');
    expect(bySiren['S2']!.notes).toContain('sounded 120 s at 1200 s into the window: no signal sounds that long');
    expect(bySiren['S2']!.notes).toContain('no all-clear (180 s)');
    expect(bySiren['S3']).toMatchObject({ passed: false, values: { soundedSeconds: 0, preAlertCycles: 0, airRaidCycles: 0 } });
    expect(bySiren['S3']!.notes).toBe('silent: 试鸣窗口内未鸣响 | silent all through the test window');
    expect(bySiren['S4']).toMatchObject({ passed: false, values: { blindSeconds: 60 } });
    expect(bySiren['S4']!.notes).toMatch(/^unobserved: .*no good status reading for 60 s of the window/);

    // the evidence clause is judged on the records at once
    expect(after['S1']).toMatchObject({ verdict: 'pass' });
    expect(after['S1']!.evidence[0]).toMatchObject({ point: 'record:siren-test', value: expect.objectContaining({ date: '2026-09-18', passed: true }) });
    for (const id of ['S2', 'S3', 'S4']) expect(after[id]).toMatchObject({ verdict: 'fail' });
  });

  it('watches only inside the window: a pattern sounded an hour early is no test, and the siren is silent in its window', () => {
    const early = PATTERN.map(([ms, v]): Edge => [ms - 3600 * S + 600 * S, v]).filter(([ms]) => ms > -600 * S);
    const { records } = play({ S1: early });
    const s1 = records.find((r) => r.kind === 'siren-test' && r.subject === 'S1')!;
    expect(s1).toMatchObject({ passed: false, values: { soundedSeconds: 0 } });
    expect(s1.notes).toMatch(/^silent/);
  });
});
