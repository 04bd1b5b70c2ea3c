/** The writer (db/writer.ts) over a real store: batches, retries, bounds, spills and outages, on every backend. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Sample } from '../model/index.ts';
import type { AlertStore } from './alert-store.ts';
import type { AuditStore } from './audit-store.ts';
import type { DeadLetterStore } from './dead-letter-store.ts';
import { alert, ALL, result, sample, score, T0 } from './store-contract-rows.ts';
import type { StoreTarget } from './store-targets.ts';
import type { TelemetryStore } from './telemetry-store.ts';
import type { VerdictStore } from './verdict-store.ts';
import { createStoreWriter } from './writer.ts';

/** The ports the writer writes to; the tests read back through the same ones. */
type Written = TelemetryStore & VerdictStore & AlertStore & AuditStore & DeadLetterStore;

/** A store whose chosen writes fail, as during an outage. */
function flaky(store: Written, failFirst: number): Written & { calls: Sample[][]; failing: boolean } {
  let left = failFirst;
  const wrapper = Object.create(store) as Written & { calls: Sample[][]; failing: boolean };
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

export function storeWriterContract(store: () => Written, target: () => StoreTarget): void {
  it('writes in batches of at most maxBatch and flushes the rest on close', async () => {
    const spy = flaky(store(), 0);
    const writer = createStoreWriter(spy, { maxBatch: 1000, flushMs: 60_000 });
    for (let i = 0; i < 2500; i++) writer.sample(sample('batch', i));
    writer.result(result('batch', 'C', 'S', 'fail', T0));
    writer.score(score('batch', T0, 50));
    writer.alert(alert('batch', 'b1', 'active', T0));
    await expect.poll(() => writer.stats().written, { timeout: 10_000 }).toBeGreaterThanOrEqual(2000);
    await writer.close();
    expect(spy.calls.map((c) => c.length)).toEqual([1000, 1000, 500]);
    expect(writer.stats()).toEqual({
      buffered: 0,
      written: 2503,
      dropped: 0,
      failures: 0,
      spilledRows: 0,
      spilledBytes: 0,
      newestWrittenSampleTs: T0 + 2499 * 1000,
      deadLetters: { samples: 0, results: 0, scores: 0, alerts: 0, audit: 0 },
      auditPending: 0,
    });
    expect(await store().series('batch', 'T101.level', ...ALL)).toHaveLength(2500);
    expect(await store().latestResults('batch')).toHaveLength(1);
    expect(await store().latestScore('batch')).toBeDefined();
    expect(await store().openAlerts('batch')).toHaveLength(1);
  });

  it('flushes on the timer', async () => {
    const writer = createStoreWriter(store(), { flushMs: 20 });
    writer.sample(sample('timer', 1));
    await expect.poll(() => store().series('timer', 'T101.level', ...ALL), { timeout: 10_000 }).toHaveLength(1);
    await writer.close();
  });

  it('keeps rows in order through failed writes and retries', async () => {
    const spy = flaky(store(), 3);
    const writer = createStoreWriter(spy, { maxBatch: 100, flushMs: 5, retryMinMs: 5, retryMaxMs: 20 });
    for (let i = 0; i < 350; i++) writer.sample(sample('retry', i));
    await writer.close();
    const stats = writer.stats();
    expect(stats).toEqual({
      buffered: 0,
      written: 350,
      dropped: 0,
      failures: 3,
      spilledRows: 0,
      spilledBytes: 0,
      newestWrittenSampleTs: T0 + 349 * 1000,
      deadLetters: { samples: 0, results: 0, scores: 0, alerts: 0, audit: 0 },
      auditPending: 0,
    });
    const order = spy.calls.flat().map((s) => s.ts);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order).toHaveLength(350);
    expect(await store().series('retry', 'T101.level', ...ALL)).toHaveLength(350);
  });

  it('bounds the buffer, dropping the oldest rows and counting them', async () => {
    const spy = flaky(store(), 0);
    spy.failing = true;
    const writer = createStoreWriter(spy, { maxBuffered: 100, flushMs: 5, retryMinMs: 5, retryMaxMs: 10, drainTimeoutMs: 100 });
    for (let i = 0; i < 150; i++) writer.sample(sample('bound', i));
    await expect(writer.flush()).rejects.toMatchObject({ code: 'DRAIN_TIMEOUT' });
    expect(writer.stats()).toMatchObject({ buffered: 100, dropped: 50, written: 0 });
    expect(writer.stats().failures).toBeGreaterThan(0);
    spy.failing = false;
    await writer.close();
    const stored = await store().series('bound', 'T101.level', ...ALL);
    expect(stored.map((p) => p.value)).toEqual(Array.from({ length: 100 }, (_, i) => i + 50));
  });

  it('spills past maxBuffered to disk, bounded, and writes it back first and in order', async () => {
    const spillDir = await mkdtemp(join(tmpdir(), 'ketwin-spill-'));
    try {
      const spy = flaky(store(), 0);
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
      const stored = await store().series('spill', 'T101.level', ...ALL);
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
      const kept = await store().series('spill-bound', 'T101.level', ...ALL);
      expect(kept.length + bounded.stats().dropped).toBe(1000);
      expect(kept.at(-1)?.value).toBe(999);
    } finally {
      await rm(spillDir, { recursive: true, force: true });
    }
  });

  it('loses nothing through an outage under load, spilling to disk, each sample stored once', async (ctx) => {
    const { outage, name } = target();
    if (!outage) {
      ctx.annotate?.(`${name} is embedded: no connection to cut; covered by the spill test`);
      return;
    }
    const spillDir = await mkdtemp(join(tmpdir(), 'ketwin-spill-'));
    const writer = createStoreWriter(store(), { spillDir, maxBuffered: 2000, maxBatch: 1000, flushMs: 10, retryMinMs: 20, retryMaxMs: 200, drainTimeoutMs: 30_000 });
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
      await outage.begin();
      await load(20_000);
      await expect.poll(() => writer.stats().failures, { timeout: 10_000 }).toBeGreaterThan(0);
      expect(writer.stats().spilledRows).toBeGreaterThan(0);
      await outage.end();
      await load(total);
      await writer.close();
      expect(writer.stats()).toMatchObject({ buffered: 0, dropped: 0, spilledRows: 0 });
      let stored = 0;
      for (let p = 0; p < 20; p++) {
        const rows = await store().series('noloss', `P${p}.x`, ...ALL);
        expect(new Set(rows.map((r) => r.ts)).size).toBe(rows.length);
        stored += rows.length;
      }
      expect(stored).toBe(total);
    } finally {
      await outage.end();
      await rm(spillDir, { recursive: true, force: true });
    }
  });

  it('recovers after the database cuts and refuses connections', async (ctx) => {
    const { outage, name } = target();
    if (!outage) {
      ctx.annotate?.(`${name} is embedded: no connection to cut; covered by the failing-store tests`);
      return;
    }
    const writer = createStoreWriter(store(), { maxBatch: 200, flushMs: 10, retryMinMs: 20, retryMaxMs: 200, drainTimeoutMs: 20_000 });
    for (let i = 0; i < 500; i++) writer.sample(sample('outage', i));
    await writer.flush();
    await outage.begin();
    for (let i = 500; i < 1500; i++) writer.sample(sample('outage', i));
    await expect.poll(() => writer.stats().failures, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(writer.stats().buffered).toBeGreaterThan(0);
    await outage.end();
    for (let i = 1500; i < 2000; i++) writer.sample(sample('outage', i));
    await writer.close();
    expect(writer.stats()).toMatchObject({ buffered: 0, written: 2000, dropped: 0 });
    const stored = await store().series('outage', 'T101.level', ...ALL);
    expect(stored.map((p) => p.value)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });
}
