import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sample } from '../model/index.ts';
import { sampleCodec } from '../queue/index.ts';
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
    await new Promise((r) => setTimeout(r, 250)); // a group commit ran
    expect(buffer.stats()).toMatchObject({ inMemory: 1000, onDisk: 49_000, depth: 50_000, delivered: 0, dropped: 0, full: false, segments: 25 });
    expect(readdirSync(dir).filter((f) => f.endsWith('.ndjson')).length).toBe(25); // 50 000 / 2000: the spilled ones and, committed, the ones in memory
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

  it('reports a full buffer as a sample and in the log, drops the oldest samples, and says when it has room again', async () => {
    const log = createLogCapture();
    const down = createDownstream();
    down.state.mode = 'down';
    const buffer = createSampleBuffer({
      dir: tempDir(),
      downstream: down.write,
      maxInMemory: 100,
      maxOnDisk: 900,
      batchSize: 10,
      segmentSize: 300,
      logger: log.logger,
      retry: { initialDelayMs: 5, maxDelayMs: 10 },
    });
    buffers.push(buffer);
    const sent = samples(1500);
    for (const s of sent) buffer.sink(s);
    // 1000 kept (100 in memory, 900 on disk): the two reports took the room of two more old samples
    expect(buffer.stats()).toMatchObject({ inMemory: 100, onDisk: 900, dropped: 502, full: true });
    expect(log.lines.filter((l) => /full, dropping the oldest samples/.test(l.msg))).toHaveLength(2); // once per site pushing while full
    down.state.mode = 'up';
    await buffer.drained();
    const reports = down.accepted.filter((s) => s.point === BUFFER_FULL_POINT);
    expect(reports.map((r) => [r.site, r.value])).toEqual([
      ['s1', true],
      ['s2', true],
      ['s1', false],
      ['s2', false],
    ]);
    const data = down.accepted.filter((s) => s.point !== BUFFER_FULL_POINT);
    expect(data).toEqual(sent.slice(502)); // the newest 998, in order
    expect(buffer.stats()).toMatchObject({ dropped: 502, full: false });
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

  it('a consumer besides the downstream (the database writer) holds each sample until it acked it, and goes on where it was after a restart', async () => {
    const dir = tempDir();
    const down = createDownstream();
    const first = createSampleBuffer({ dir, downstream: down.write, consumers: ['store'], maxInMemory: 100, batchSize: 10 });
    const sent = samples(500);
    for (const s of sent) first.sink(s);
    await first.drained();
    expect(down.accepted).toEqual(sent);
    expect(first.stats()).toMatchObject({ depth: 500, delivered: 500 }); // delivered, not yet stored
    const store = first.consumer('store');
    const one = store.read(100);
    const two = store.read(100);
    expect([...one.rows, ...two.rows]).toEqual(sent.slice(0, 200)); // the oldest came back from disk
    store.ack(one);
    store.ack(two, 20);
    expect(first.stats().depth).toBe(380);
    await first.close();

    const again = createDownstream();
    const second = createSampleBuffer({ dir, downstream: again.write, consumers: ['store'], maxInMemory: 100, batchSize: 10 });
    buffers.push(second);
    const rest: Sample[] = [];
    const store2 = second.consumer('store');
    for (let b = store2.read(1000); b.end > b.start; b = store2.read(1000)) {
      rest.push(...b.rows);
      store2.ack(b);
    }
    expect(rest).toEqual(sent.slice(120));
    await new Promise((r) => setTimeout(r, 20));
    expect(again.accepted).toEqual([]); // the downstream had taken them all
    expect(second.stats().depth).toBe(0);
  });

  it('upgrades a folder an older version left (segments and the head log head.wal): the head first, then the segments, in order', async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    const sent = samples(30);
    const lines = (list: Sample[]) => `${list.map((s) => sampleCodec.encode(s)).join('\n')}\n`;
    // the older version's line format, spelled out: [site, point, value, quality, ts, reason?], NaN as {"$n":"NaN"}
    expect(sampleCodec.encode(sent[0]!)).toBe('["s1","P0.v",{"$n":"NaN"},"bad",1700000000000,"timeout"]');
    writeFileSync(join(dir, 'head.wal'), lines(sent.slice(0, 10)));
    writeFileSync(join(dir, '001000000000.ndjson'), lines(sent.slice(10, 20)));
    writeFileSync(join(dir, '001000000001.ndjson'), lines(sent.slice(20, 30)));
    const down = createDownstream();
    const buffer = createSampleBuffer({ dir, downstream: down.write, batchSize: 7 });
    buffers.push(buffer);
    await waitFor(() => down.accepted.length === 30, 'the older version’s samples');
    expect(down.accepted).toEqual(sent);
    await buffer.drained();
    expect(readdirSync(dir)).toEqual([]);
  });
});
