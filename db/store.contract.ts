/**
 * The storage contract, run by db/store.test.ts against every backend. Each test works on
 * its own site ids, so one database per backend serves the whole suite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert, ClauseResult, Sample, SiteScore } from '../model/index.ts';
import type { Store } from './store.ts';
import type { StoreTarget } from './store-targets.ts';
import { createStoreWriter } from './writer.ts';
import journal from './migrations/meta/_journal.json' with { type: 'json' };

const T0 = Date.UTC(2025, 2, 3, 8, 0, 0);
const ALL = [0, Date.UTC(9999, 0, 1)] as const;
const MIGRATIONS = journal.entries.length;

function sample(site: string, i: number, point = 'T101.level'): Sample {
  return { site, point, ts: T0 + i * 1000, value: i, quality: 'good' };
}

function result(site: string, clause: string, subject: string, verdict: ClauseResult['verdict'], since: number): ClauseResult {
  return {
    site, clause, subject, verdict, since,
    evidence: [{ point: `${subject}.level`, value: 17.2, quality: 'good', ts: since }],
    thresholds: { hh: 17, unit: 'm' },
    standard: 'demo@1.0.0',
  };
}

function score(site: string, ts: number, value: number): SiteScore {
  return {
    site, ts, score: value, grade: value >= 90 ? 'A' : 'C', risk: value >= 90 ? 'red' : 'orange',
    // the live risk is stored with its reason beside the compliance colour: red by an open incident over an A grade
    riskReason: value >= 90 ? { zh: '事件未解除：T101 储罐火灾（1级）', en: 'open incident: Tank fire at T101 (severity 1)' } : { zh: `合规得分 ${value}`, en: `compliance score ${value}` },
    complianceRisk: value >= 90 ? 'blue' : 'orange',
    counts: { pass: 9, fail: 1, unknown: 2, 'not-applicable': 0 }, coverage: 0.8, standard: 'demo@1.0.0',
  };
}

function alert(site: string, id: string, state: Alert['state'], changedAt: number): Alert {
  return {
    id, site, kind: 'tank-overfill', severity: 2, state, raisedAt: T0, changedAt,
    subjects: ['T101'], message: { zh: '储罐液位高高', en: 'Tank level high-high' },
    actions: [{ zh: '停止进料', en: 'Stop filling' }], clause: 'TANK-LEVEL-HH', standard: 'demo@1.0.0',
  };
}

/** A store whose chosen writes fail, as during an outage. */
function flaky(store: Store, failFirst: number): Store & { calls: Sample[][]; failing: boolean } {
  let left = failFirst;
  const wrapper = Object.create(store) as Store & { calls: Sample[][]; failing: boolean };
  wrapper.calls = [];
  wrapper.failing = false;
  wrapper.writeSamples = async (rows) => {
    if (wrapper.failing || left > 0) {
      left--;
      throw new Error('connection refused (simulated outage)');
    }
    await store.writeSamples(rows);
    wrapper.calls.push([...rows]);
  };
  return wrapper;
}

export function storeContract(makeTarget: () => Promise<StoreTarget>): void {
  let target: StoreTarget;
  let store: Store;

  beforeAll(async () => {
    target = await makeTarget();
    store = await target.open();
  });
  afterAll(async () => {
    await store?.close();
    await target?.dispose();
  });

  describe('migrations', () => {
    it('apply on an empty database and are idempotent on reopen', async () => {
      await store.writeSamples([sample('mig', 1)]);
      await store.close();
      expect(await target.migrationsApplied()).toBe(MIGRATIONS);
      store = await target.open();
      await store.close();
      store = await target.open();
      expect(await store.series('mig', 'T101.level', ...ALL)).toHaveLength(1);
      await store.close();
      expect(await target.migrationsApplied()).toBe(MIGRATIONS);
      store = await target.open();
    });
  });

  describe('telemetry', () => {
    it('round-trips number, boolean and string values with quality and reason', async () => {
      const rows: Sample[] = [
        { site: 'tel', point: 'T101.level', ts: T0, value: 12.345678, quality: 'good' },
        { site: 'tel', point: 'T101.level', ts: T0 + 1, value: -0.5, quality: 'uncertain', reason: 'Uncertain_LastUsableValue' },
        { site: 'tel', point: 'T101.level', ts: T0 + 2, value: true, quality: 'good' },
        { site: 'tel', point: 'T101.level', ts: T0 + 3, value: false, quality: 'bad', reason: 'stale' },
        { site: 'tel', point: 'T101.level', ts: T0 + 4, value: '液位计故障', quality: 'bad', reason: 'Modbus exception 4' },
        { site: 'tel', point: 'T102.level', ts: T0 + 1, value: 3, quality: 'good' },
        { site: 'tel2', point: 'T101.level', ts: T0 + 1, value: 4, quality: 'good' },
      ];
      await store.writeSamples(rows);
      expect(await store.series('tel', 'T101.level', T0, T0 + 4)).toEqual([
        { ts: T0, value: 12.345678, quality: 'good' },
        { ts: T0 + 1, value: -0.5, quality: 'uncertain', reason: 'Uncertain_LastUsableValue' },
        { ts: T0 + 2, value: true, quality: 'good' },
        { ts: T0 + 3, value: false, quality: 'bad', reason: 'stale' },
        { ts: T0 + 4, value: '液位计故障', quality: 'bad', reason: 'Modbus exception 4' },
      ]);
      expect((await store.series('tel', 'T101.level', T0 + 1, T0 + 2)).map((p) => p.ts)).toEqual([T0 + 1, T0 + 2]);
    });

    it('keeps every millisecond of the source timestamp', async () => {
      const stamps = Array.from({ length: 1000 }, (_, i) => T0 + i * 7919 + (i % 1000));
      await store.writeSamples(stamps.map((ts, i) => ({ site: 'ms', point: 'P.x', ts, value: i, quality: 'good' as const })));
      expect((await store.series('ms', 'P.x', ...ALL)).map((p) => p.ts)).toEqual(stamps);
    });

    it('ignores a rewrite of the same (site, point, ts)', async () => {
      await store.writeSamples([sample('idem', 1), sample('idem', 2)]);
      await store.writeSamples([{ ...sample('idem', 1), value: 99 }, sample('idem', 2), sample('idem', 3)]);
      const got = await store.series('idem', 'T101.level', ...ALL);
      expect(got.map((p) => p.value)).toEqual([1, 2, 3]);
    });

    it('writes batches past the 65535-parameter limit in one call', async () => {
      const rows = Array.from({ length: 20_000 }, (_, i) => sample('big', i));
      await store.writeSamples(rows);
      expect(await store.series('big', 'T101.level', ...ALL)).toHaveLength(20_000);
    });
  });

  describe('results, scores and alerts', () => {
    it('returns the latest verdict per (clause, subject) with its evidence', async () => {
      await store.writeResults([
        result('res', 'TANK-LEVEL-HH', 'T101', 'pass', T0),
        result('res', 'TANK-LEVEL-HH', 'T102', 'pass', T0 + 500),
        result('res', 'DIKE-CAPACITY', 'D1', 'unknown', T0),
        result('other', 'TANK-LEVEL-HH', 'T101', 'fail', T0 + 9000),
      ]);
      await store.writeResults([result('res', 'TANK-LEVEL-HH', 'T101', 'fail', T0 + 2000)]);
      const latest = await store.latestResults('res');
      const key = (r: ClauseResult) => `${r.clause}/${r.subject}`;
      expect(latest.sort((a, b) => key(a).localeCompare(key(b)))).toEqual([
        result('res', 'DIKE-CAPACITY', 'D1', 'unknown', T0),
        result('res', 'TANK-LEVEL-HH', 'T101', 'fail', T0 + 2000),
        result('res', 'TANK-LEVEL-HH', 'T102', 'pass', T0 + 500),
      ]);
      expect(await store.latestResults('nowhere')).toEqual([]);
    });

    it('returns the latest score; a score at the same instant replaces it', async () => {
      expect(await store.latestScore('sco')).toBeUndefined();
      await store.writeScores([score('sco', T0, 95), score('sco', T0 + 1000, 70), score('other', T0 + 5000, 10)]);
      expect(await store.latestScore('sco')).toEqual(score('sco', T0 + 1000, 70));
      await store.writeScores([score('sco', T0 + 1000, 92), score('sco', T0 + 1000, 93)]);
      expect(await store.latestScore('sco')).toEqual(score('sco', T0 + 1000, 93));
      // the live risk's history, oldest first, bounds included, other sites' left out
      expect(await store.scoreHistory('sco', T0, T0 + 1000)).toEqual([score('sco', T0, 95), score('sco', T0 + 1000, 93)]);
      expect(await store.scoreHistory('sco', T0 + 1, T0 + 5000)).toEqual([score('sco', T0 + 1000, 93)]);
    });

    it('upserts alerts and appends every transition', async () => {
      await store.writeAlerts([alert('alr', 'a1', 'active', T0), alert('alr', 'a2', 'active', T0 + 10)]);
      await store.writeAlerts([alert('alr', 'a1', 'acknowledged', T0 + 100)]);
      let open = await store.openAlerts('alr');
      expect(open.map((a) => [a.id, a.state])).toEqual([['a1', 'acknowledged'], ['a2', 'active']]);
      expect(open[0]).toEqual(alert('alr', 'a1', 'acknowledged', T0 + 100));
      await store.writeAlerts([alert('alr', 'a1', 'cleared', T0 + 200)]);
      open = await store.openAlerts('alr');
      expect(open.map((a) => a.id)).toEqual(['a2']);
      const history = await store.alertHistory('a1');
      expect(history.map((h) => [h.state, h.at])).toEqual([['active', T0], ['acknowledged', T0 + 100], ['cleared', T0 + 200]]);
      expect(history[2]?.alert).toEqual(alert('alr', 'a1', 'cleared', T0 + 200));
    });

    it('returns open alerts whole, with their lifecycle and incident, so a restart restores them', async () => {
      const acknowledged: Alert = {
        ...alert('lfc', 'l1', 'active', T0 + 50),
        lifecycle: { condition: 'active', acknowledged: true, escalations: 1, shelved: { by: 'li', until: T0 + 9000, reason: 'maintenance' } },
        transition: { at: T0 + 50, by: 'li', action: 'acknowledge', comment: 'crew on the way' },
      };
      await store.writeAlerts([alert('lfc', 'l1', 'active', T0), acknowledged]);
      expect(await store.openAlerts('lfc')).toEqual([acknowledged]);
    });

    it('records a retried batch of verdict changes and alert transitions once', async () => {
      const changes = [result('rty', 'TANK-LEVEL-HH', 'T101', 'pass', T0), result('rty', 'TANK-LEVEL-HH', 'T101', 'fail', T0 + 1000)];
      await store.writeResults(changes);
      await store.writeResults(changes);
      expect(await store.clauseHistory('rty', 'TANK-LEVEL-HH', 'T101')).toEqual(changes);
      await store.writeAlerts([alert('rty', 'r1', 'active', T0)]);
      await store.writeAlerts([alert('rty', 'r1', 'active', T0)]);
      expect((await store.alertHistory('r1')).map((h) => h.state)).toEqual(['active']);
    });

    it('keeps everything across close and reopen', async () => {
      await store.writeSamples([sample('keep', 1)]);
      await store.writeResults([result('keep', 'C', 'S', 'pass', T0)]);
      await store.writeScores([score('keep', T0, 88)]);
      await store.writeAlerts([alert('keep', 'k1', 'active', T0)]);
      await store.close();
      store = await target.open();
      expect(await store.series('keep', 'T101.level', ...ALL)).toHaveLength(1);
      expect(await store.latestResults('keep')).toHaveLength(1);
      expect((await store.latestScore('keep'))?.score).toBe(88);
      expect((await store.openAlerts('keep')).map((a) => a.id)).toEqual(['k1']);
    });
  });

  describe('writer', () => {
    it('writes in batches of at most maxBatch and flushes the rest on close', async () => {
      const spy = flaky(store, 0);
      const writer = createStoreWriter(spy, { maxBatch: 1000, flushMs: 60_000 });
      for (let i = 0; i < 2500; i++) writer.sample(sample('batch', i));
      writer.result(result('batch', 'C', 'S', 'fail', T0));
      writer.score(score('batch', T0, 50));
      writer.alert(alert('batch', 'b1', 'active', T0));
      await expect.poll(() => writer.stats().written, { timeout: 10_000 }).toBeGreaterThanOrEqual(2000);
      await writer.close();
      expect(spy.calls.map((c) => c.length)).toEqual([1000, 1000, 500]);
      expect(writer.stats()).toEqual({ buffered: 0, written: 2503, dropped: 0, failures: 0, spilledRows: 0, spilledBytes: 0, newestWrittenSampleTs: T0 + 2499 * 1000, deadLetters: { samples: 0, results: 0, scores: 0, alerts: 0, audit: 0 }, auditPending: 0 });
      expect(await store.series('batch', 'T101.level', ...ALL)).toHaveLength(2500);
      expect(await store.latestResults('batch')).toHaveLength(1);
      expect(await store.latestScore('batch')).toBeDefined();
      expect(await store.openAlerts('batch')).toHaveLength(1);
    });

    it('flushes on the timer', async () => {
      const writer = createStoreWriter(store, { flushMs: 20 });
      writer.sample(sample('timer', 1));
      await expect.poll(() => store.series('timer', 'T101.level', ...ALL), { timeout: 10_000 }).toHaveLength(1);
      await writer.close();
    });

    it('keeps rows in order through failed writes and retries', async () => {
      const spy = flaky(store, 3);
      const writer = createStoreWriter(spy, { maxBatch: 100, flushMs: 5, retryMinMs: 5, retryMaxMs: 20 });
      for (let i = 0; i < 350; i++) writer.sample(sample('retry', i));
      await writer.close();
      const stats = writer.stats();
      expect(stats).toEqual({ buffered: 0, written: 350, dropped: 0, failures: 3, spilledRows: 0, spilledBytes: 0, newestWrittenSampleTs: T0 + 349 * 1000, deadLetters: { samples: 0, results: 0, scores: 0, alerts: 0, audit: 0 }, auditPending: 0 });
      const order = spy.calls.flat().map((s) => s.ts);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(order).toHaveLength(350);
      expect(await store.series('retry', 'T101.level', ...ALL)).toHaveLength(350);
    });

    it('bounds the buffer, dropping the oldest rows and counting them', async () => {
      const spy = flaky(store, 0);
      spy.failing = true;
      const writer = createStoreWriter(spy, { maxBuffered: 100, flushMs: 5, retryMinMs: 5, retryMaxMs: 10, drainTimeoutMs: 100 });
      for (let i = 0; i < 150; i++) writer.sample(sample('bound', i));
      await expect(writer.flush()).rejects.toMatchObject({ code: 'DRAIN_TIMEOUT' });
      expect(writer.stats()).toMatchObject({ buffered: 100, dropped: 50, written: 0 });
      expect(writer.stats().failures).toBeGreaterThan(0);
      spy.failing = false;
      await writer.close();
      const stored = await store.series('bound', 'T101.level', ...ALL);
      expect(stored.map((p) => p.value)).toEqual(Array.from({ length: 100 }, (_, i) => i + 50));
    });

    it('spills past maxBuffered to disk, bounded, and writes it back first and in order', async () => {
      const spillDir = await mkdtemp(join(tmpdir(), 'ketwin-spill-'));
      try {
        const spy = flaky(store, 0);
        spy.failing = true;
        const opts = { spillDir, maxBuffered: 100, maxBatch: 50, flushMs: 5, retryMinMs: 5, retryMaxMs: 10, drainTimeoutMs: 100 };
        const first = createStoreWriter(spy, opts);
        for (let i = 0; i < 1000; i++) first.sample({ ...sample('spill', i), value: i === 7 ? Number.NaN : i });
        expect(first.stats()).toMatchObject({ buffered: 100, spilledRows: 900, dropped: 0 });
        expect(first.stats().spilledBytes).toBeGreaterThan(0);
        // The process "stops" during the outage: what reached the disk is written by the next one.
        await expect(first.close()).rejects.toMatchObject({ code: 'DRAIN_TIMEOUT' });
        spy.failing = false;
        const second = createStoreWriter(spy, opts);
        await second.close();
        expect(second.stats()).toMatchObject({ buffered: 0, spilledRows: 0, spilledBytes: 0, written: 900 });
        expect(second.stats().newestWrittenSampleTs).toBeGreaterThan(T0); // the spilled rows written back count too
        const order = spy.calls.flat().map((s) => s.ts);
        expect(order).toEqual([...order].sort((a, b) => a - b));
        const stored = await store.series('spill', 'T101.level', ...ALL);
        expect(stored).toHaveLength(900);
        expect(stored[7]?.value).toBe('NaN');
        // the bound: with room for two files, the oldest go and are counted
        spy.failing = true;
        const bounded = createStoreWriter(spy, { ...opts, maxSpillBytes: 2 * 50 * 200 });
        for (let i = 0; i < 1000; i++) bounded.sample(sample('spill-bound', i));
        expect(bounded.stats().dropped).toBeGreaterThan(0);
        expect(bounded.stats().spilledBytes).toBeLessThanOrEqual(2 * 50 * 200);
        spy.failing = false;
        await bounded.close();
        const kept = await store.series('spill-bound', 'T101.level', ...ALL);
        expect(kept.length + bounded.stats().dropped).toBe(1000);
        expect(kept.at(-1)?.value).toBe(999);
      } finally {
        await rm(spillDir, { recursive: true, force: true });
      }
    });

    it('loses nothing through an outage under load, spilling to disk, each sample stored once', async (ctx) => {
      if (!target.outage) {
        ctx.annotate?.(`${target.name} is embedded: no connection to cut; covered by the spill test`);
        return;
      }
      const spillDir = await mkdtemp(join(tmpdir(), 'ketwin-spill-'));
      const writer = createStoreWriter(store, { spillDir, maxBuffered: 2000, maxBatch: 1000, flushMs: 10, retryMinMs: 20, retryMaxMs: 200, drainTimeoutMs: 30_000 });
      const total = 30_000;
      let i = 0;
      const load = async (until: number): Promise<void> => {
        for (; i < until; i += 500) {
          writer.samples(Array.from({ length: 500 }, (_, k) => sample('noloss', i + k, `P${(i + k) % 20}.x`)));
          await new Promise((r) => setTimeout(r, 2));
        }
      };
      try {
        await load(5000);
        await target.outage.begin();
        await load(20_000);
        await expect.poll(() => writer.stats().failures, { timeout: 10_000 }).toBeGreaterThan(0);
        expect(writer.stats().spilledRows).toBeGreaterThan(0);
        await target.outage.end();
        await load(total);
        await writer.close();
        expect(writer.stats()).toMatchObject({ buffered: 0, dropped: 0, spilledRows: 0 });
        let stored = 0;
        for (let p = 0; p < 20; p++) {
          const rows = await store.series('noloss', `P${p}.x`, ...ALL);
          expect(new Set(rows.map((r) => r.ts)).size).toBe(rows.length);
          stored += rows.length;
        }
        expect(stored).toBe(total);
      } finally {
        await target.outage.end();
        await rm(spillDir, { recursive: true, force: true });
      }
    });

    it('recovers after the database cuts and refuses connections', async (ctx) => {
      if (!target.outage) {
        ctx.annotate?.(`${target.name} is embedded: no connection to cut; covered by the failing-store tests`);
        return;
      }
      const writer = createStoreWriter(store, { maxBatch: 200, flushMs: 10, retryMinMs: 20, retryMaxMs: 200, drainTimeoutMs: 20_000 });
      for (let i = 0; i < 500; i++) writer.sample(sample('outage', i));
      await writer.flush();
      await target.outage.begin();
      for (let i = 500; i < 1500; i++) writer.sample(sample('outage', i));
      await expect.poll(() => writer.stats().failures, { timeout: 10_000 }).toBeGreaterThan(0);
      expect(writer.stats().buffered).toBeGreaterThan(0);
      await target.outage.end();
      for (let i = 1500; i < 2000; i++) writer.sample(sample('outage', i));
      await writer.close();
      expect(writer.stats()).toMatchObject({ buffered: 0, written: 2000, dropped: 0 });
      const stored = await store.series('outage', 'T101.level', ...ALL);
      expect(stored.map((p) => p.value)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    });
  });
}
