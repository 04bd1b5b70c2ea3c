import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sample } from '../model/index.ts';
import { BUFFER_FULL_POINT, createSampleBuffer, type SampleBuffer } from './sample-buffer.ts';
import { createLogCapture, waitFor } from './test-support.ts';

const dirs: string[] = [];
const buffers: SampleBuffer[] = [];
afterEach(async () => {
  await Promise.all(buffers.splice(0).map((b) => b.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'ketwin-buffer-'));
  dirs.push(dir);
  return dir;
}

/** n distinct samples; every 7th bad with NaN, every 11th a boolean, so encoding is exercised too */
function samples(n: number, from = 0): Sample[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    if (i % 7 === 0) return { site: 's1', point: `P${i % 50}.v`, value: Number.NaN, quality: 'bad' as const, reason: 'timeout', ts: 1_700_000_000_000 + i };
    if (i % 11 === 0) return { site: 's2', point: `B${i % 5}.on`, value: i % 2 === 0, quality: 'good' as const, ts: 1_700_000_000_000 + i };
    return { site: 's1', point: `P${i % 50}.v`, value: i + 0.25, quality: 'good' as const, ts: 1_700_000_000_000 + i };
  });
}

/** a downstream that can be down, slow or up, recording what it accepted */
function createDownstream() {
  const accepted: Sample[] = [];
  const state = { mode: 'up' as 'up' | 'down' | 'slow', calls: 0 };
  return {
    accepted,
    state,
    write: async (batch: Sample[]) => {
      state.calls++;
      if (state.mode === 'down') throw new Error('database unreachable');
      if (state.mode === 'slow') await new Promise((r) => setTimeout(r, 2));
      accepted.push(...batch);
    },
  };
}

describe('sample buffer', () => {
  it('spills to disk while downstream is down and drains in order when it returns: every sample, once', async () => {
    const dir = tempDir();
    const down = createDownstream();
    down.state.mode = 'down';
    const buffer = createSampleBuffer({ dir, downstream: down.write, maxInMemory: 1000, batchSize: 100, segmentSize: 2000, retry: { initialDelayMs: 10, maxDelayMs: 20 } });
    buffers.push(buffer);
    const sent = samples(50_000);
    for (const s of sent.slice(0, 25_000)) buffer.sink(s);
    await new Promise((r) => setTimeout(r, 50));
    for (const s of sent.slice(25_000)) buffer.sink(s);
    await new Promise((r) => setTimeout(r, 50));
    expect(buffer.stats()).toMatchObject({ inMemory: 1000, onDisk: 49_000, depth: 50_000, delivered: 0, dropped: 0, full: false });
    expect(readdirSync(dir).filter((f) => f.endsWith('.ndjson')).length).toBe(25); // 49 000 / 2000, rounded up
    expect(down.accepted).toHaveLength(0);

    down.state.mode = 'slow'; // back, but slow: pushes keep arriving while it drains
    const more = samples(5000, 50_000);
    for (const s of more) {
      buffer.sink(s);
      if (s.ts % 500 === 0) await new Promise((r) => setImmediate(r));
    }
    down.state.mode = 'up';
    await buffer.drained();
    const all = [...sent, ...more];
    expect(down.accepted.length).toBe(all.length);
    expect(down.accepted).toEqual(all); // same samples, same order (NaN, booleans and reasons intact)
    expect(buffer.stats()).toMatchObject({ depth: 0, delivered: all.length, dropped: 0 });
    expect(buffer.stats().spilled).toBeGreaterThanOrEqual(49_000);
    expect(readdirSync(dir).filter((f) => f.endsWith('.ndjson'))).toEqual([]);
  });

  it('waits for a slow downstream (backpressure) without losing or reordering', async () => {
    const down = createDownstream();
    down.state.mode = 'slow';
    const buffer = createSampleBuffer({ dir: tempDir(), downstream: down.write, maxInMemory: 500, batchSize: 50 });
    buffers.push(buffer);
    const sent = samples(20_000);
    for (let i = 0; i < sent.length; i += 1000) {
      for (const s of sent.slice(i, i + 1000)) buffer.sink(s);
      await new Promise((r) => setTimeout(r, 1));
    }
    await buffer.drained();
    expect(down.accepted).toEqual(sent);
  });

  it('reports a full buffer as a sample and in the log, drops only what did not fit, and says when it takes samples again', async () => {
    const log = createLogCapture();
    const down = createDownstream();
    down.state.mode = 'down';
    const buffer = createSampleBuffer({ dir: tempDir(), downstream: down.write, maxInMemory: 100, maxOnDisk: 900, batchSize: 10, segmentSize: 300, logger: log.logger, retry: { initialDelayMs: 5, maxDelayMs: 10 } });
    buffers.push(buffer);
    const sent = samples(1500);
    for (const s of sent) buffer.sink(s);
    expect(buffer.stats()).toMatchObject({ inMemory: 102, onDisk: 900, dropped: 500, full: true }) // 100 samples and the two reports;
    expect(log.lines.filter((l) => /full, dropping new samples/.test(l.msg))).toHaveLength(2); // once per site whose samples were dropped
    down.state.mode = 'up';
    await buffer.drained();
    const reports = down.accepted.filter((s) => s.point === BUFFER_FULL_POINT);
    expect(reports.map((r) => [r.site, r.value])).toEqual([['s1', true], ['s2', true], ['s1', false], ['s2', false]]);
    const data = down.accepted.filter((s) => s.point !== BUFFER_FULL_POINT);
    expect(data).toEqual(sent.slice(0, 1000)); // the first 1000 (100 in memory + 900 on disk), in order
    expect(buffer.stats()).toMatchObject({ dropped: 500, full: false });
  });

  it('keeps what it could not deliver across a restart and delivers it first', async () => {
    const dir = tempDir();
    const down = createDownstream();
    down.state.mode = 'down';
    const first = createSampleBuffer({ dir, downstream: down.write, maxInMemory: 200, batchSize: 20, retry: { initialDelayMs: 5, maxDelayMs: 10 } });
    const sent = samples(3000);
    for (const s of sent.slice(0, 2000)) first.sink(s);
    await first.close();
    expect(down.accepted).toHaveLength(0);

    const up = createDownstream();
    const second = createSampleBuffer({ dir, downstream: up.write, maxInMemory: 200, batchSize: 20 });
    buffers.push(second);
    for (const s of sent.slice(2000)) second.sink(s);
    await waitFor(() => up.accepted.length === 3000, 'everything delivered');
    await second.drained();
    expect(up.accepted).toEqual(sent);
  });
});
