import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonCodec } from './codec.ts';
import { openDurableQueue, type DurableQueue, type DurableQueueOptions, type QueueConsumer } from './durable-queue.ts';

interface Row {
  n: number;
}
const codec = jsonCodec<Row>();
const rows = (from: number, to: number): Row[] => Array.from({ length: to - from }, (_, i) => ({ n: from + i }));
const ns = (list: readonly Row[]): number[] => list.map((r) => r.n);

const dirs: string[] = [];
const queues: DurableQueue<Row>[] = [];
afterEach(() => {
  for (const q of queues.splice(0)) q.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ketwin-queue-'));
  dirs.push(d);
  return d;
}
function open(options: Partial<DurableQueueOptions<Row>> = {}): DurableQueue<Row> {
  const q = openDurableQueue<Row>({ codec, consumers: ['c'], ...options });
  queues.push(q);
  return q;
}
/** reads everything the consumer has not read, acking as it goes */
function drain(c: QueueConsumer<Row>, batch = 7): number[] {
  const out: number[] = [];
  for (let b = c.read(batch); b.end > b.start; b = c.read(batch)) {
    out.push(...ns(b.rows));
    c.ack(b);
  }
  return out;
}
const files = (dir: string): string[] => readdirSync(dir).sort();

describe('durable queue', () => {
  it('in memory: rows in order, each consumer at its own pace, a row gone once both acked; the row bound drops the oldest, counted', () => {
    const dropped: number[] = [];
    const q = open({ consumers: ['fast', 'slow'], maxRows: 100, onDrop: (n) => dropped.push(n) });
    const fast = q.consumer('fast');
    const slow = q.consumer('slow');
    q.appendMany(rows(0, 50));
    expect(drain(fast)).toEqual(rows(0, 50).map((r) => r.n));
    expect(q.stats().rows).toBe(50); // the slow one has not acked
    const first = slow.read(20);
    slow.ack(first, 5); // a partial ack: 5 done, 15 read but not done
    slow.rewind();
    expect(ns(slow.read(3).rows)).toEqual([5, 6, 7]);
    slow.rewind();
    expect(q.stats().rows).toBe(45);
    for (const r of rows(50, 160)) q.append(r);
    expect(q.stats()).toMatchObject({ rows: 100, dropped: 55 });
    expect(dropped.reduce((a, b) => a + b, 0)).toBe(55);
    expect(drain(slow, 1000)).toEqual(rows(60, 160).map((r) => r.n)); // the newest 100
    expect(drain(fast)).toEqual(rows(60, 160).map((r) => r.n));
    expect(q.stats().rows).toBe(0);
  });

  it('group commit: rows not yet acked reach the segment at each commit, none per append; a restart after a kill delivers them (at least once)', async () => {
    const dir = tempDir();
    const q = open({ dir, commitMs: 20 });
    const c = q.consumer('c');
    q.appendMany(rows(0, 10));
    expect(files(dir)).toEqual([]); // nothing written on append
    c.ack(c.read(4));
    await new Promise((r) => setTimeout(r, 80)); // a timed commit ran
    expect(files(dir)).toEqual(['001000000000.ndjson', 'cursors.json']);
    expect(
      readFileSync(join(dir, '001000000000.ndjson'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).n),
    ).toEqual([4, 5, 6, 7, 8, 9]);
    c.ack(c.read(2)); // acked after the last commit: a kill loses the ack, not the rows

    const again = openDurableQueue<Row>({ dir, codec, consumers: ['c'] }); // q is never closed: as after kill -9
    queues.push(again);
    expect(drain(again.consumer('c'))).toEqual([4, 5, 6, 7, 8, 9]);
  });

  it('close saves each consumer’s position: the next open goes on exactly there, and a folder with nothing left is empty', () => {
    const dir = tempDir();
    const q = openDurableQueue<Row>({ dir, codec, consumers: ['a', 'b'] });
    q.appendMany(rows(0, 30));
    q.consumer('a').ack(q.consumer('a').read(20));
    q.consumer('b').ack(q.consumer('b').read(10));
    q.close();
    const again = open({ dir, consumers: ['a', 'b'] });
    expect(drain(again.consumer('a'))).toEqual(rows(20, 30).map((r) => r.n));
    expect(drain(again.consumer('b'))).toEqual(rows(10, 30).map((r) => r.n));
    again.commit();
    expect(files(dir)).toEqual([]);
  });

  it('past its memory bound the oldest rows go to disk, in segments, and are read back in order; segments go once read and acked', () => {
    const dir = tempDir();
    const q = open({ dir, maxInMemory: 100, segmentRows: 250 });
    const c = q.consumer('c');
    for (const r of rows(0, 1000)) q.append(r);
    q.commit();
    expect(q.stats()).toMatchObject({ rows: 1000, inMemory: 100, onDisk: 900, spilled: 900, segments: 4 });
    expect(files(dir).filter((f) => f.endsWith('.ndjson'))).toHaveLength(4);
    expect(q.consumer('c').backlog()).toEqual({ rows: 1000, inMemory: 100, onDisk: 900 });
    const got: number[] = [];
    for (let b = c.read(300); b.end > b.start; b = c.read(300)) {
      got.push(...ns(b.rows));
      c.ack(b);
      expect(q.stats().segments).toBeLessThanOrEqual(4 - Math.floor(got.length / 250));
    }
    expect(got).toEqual(rows(0, 1000).map((r) => r.n));
    expect(q.stats()).toMatchObject({ rows: 0, bytes: 0, segments: 0 });
  });

  it('a damaged line is skipped and reported with its file and line; the lines behind it come as usual', () => {
    const dir = tempDir();
    const q = openDurableQueue<Row>({ dir, codec, consumers: ['c'] });
    q.appendMany(rows(0, 6));
    q.close();
    const file = join(dir, '001000000000.ndjson');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[2] = '{"n": 2, cut sho';
    writeFileSync(file, lines.join('\n'));
    appendFileSync(file, '{"n": 9'); // a last line cut short by a kill (no newline)
    const damage: { file: string; line: number }[] = [];
    const again = open({ dir, onCorrupt: (d) => damage.push(d) });
    const c = again.consumer('c');
    const batch = c.read(100);
    expect(ns(batch.rows)).toEqual([0, 1, 3, 4, 5]);
    expect(damage.map((d) => [d.file, d.line])).toEqual([
      [file, 3],
      [file, 7],
    ]);
    expect(again.stats().corrupt).toBe(2);
    c.ack(batch, 3); // rows 0, 1, 3: the damaged line between them counts as done
    c.rewind();
    expect(ns(c.read(100).rows)).toEqual([4, 5]);
  });

  it('the byte bound drops whole oldest segments, counted; the newest stays', () => {
    const dir = tempDir();
    const q = open({ dir, maxInMemory: 0, segmentRows: 100, maxBytes: 3000 });
    for (const r of rows(0, 1000)) q.append(r);
    q.commit();
    const s = q.stats();
    expect(s.bytes).toBeLessThanOrEqual(3000);
    expect(s.dropped + s.rows).toBe(1000);
    expect(s.dropped % 100).toBe(0);
    expect(drain(q.consumer('c'))).toEqual(rows(s.dropped, 1000).map((r) => r.n));
  });

  it('compact replaces the rows so far with a snapshot segment, synced before the old segments go; a reopen replays it', () => {
    const dir = tempDir();
    const q = openDurableQueue<Row>({ dir, codec, maxInMemory: 0, fsync: true });
    q.appendMany(rows(0, 50));
    q.commit();
    q.compact([{ n: -1 }]);
    q.append({ n: 50 });
    q.commit();
    expect(files(dir)).toEqual(['001000000001.ndjson', '001000000002.ndjson']);
    q.close();
    const again = openDurableQueue<Row>({ dir, codec });
    queues.push(again);
    expect(ns([...again.rows()])).toEqual([-1, 50]);
  });

  it('without a folder the memory bound drops; spill() moves the oldest rows to disk on demand', () => {
    const memory = open({ maxInMemory: 10 });
    memory.appendMany(rows(0, 15));
    expect(memory.stats()).toMatchObject({ rows: 10, dropped: 5 });
    const dir = tempDir();
    const spilling = open({ dir, logging: 'spill' });
    spilling.appendMany(rows(0, 15));
    expect(spilling.spill(10)).toBe(0);
    expect(spilling.stats()).toMatchObject({ rows: 15, inMemory: 5, onDisk: 10 });
    spilling.close(); // 'spill': what is in memory at close is not kept
    const again = open({ dir, logging: 'spill' });
    expect(drain(again.consumer('c'))).toEqual(rows(0, 10).map((r) => r.n));
  });

  it('a consumer hears of new rows at the first and at each multiple of its batch', () => {
    const q = open();
    const heard: number[] = [];
    q.consumer('c').watch((unread) => heard.push(unread), 4);
    for (const r of rows(0, 9)) q.append(r);
    q.appendMany(rows(9, 14));
    expect(heard).toEqual([1, 4, 8, 14]);
  });
});
