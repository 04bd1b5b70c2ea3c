import { describe, expect, it } from 'vitest';
import type { Sample } from '../model/index.ts';
import { combineWrites } from './combined-writes.ts';

const batch = (site: string, n: number): Sample[] => Array.from({ length: n }, (_, i) => ({ site, point: `P${i}`, value: i, quality: 'good', ts: 1000 + i }));

/** a store whose writes finish when the test says, each refused when it holds a sample of `refused` */
function slowStore(refused?: string) {
  const writes: { sites: string[]; rows: number; done: () => void }[] = [];
  const store = (samples: readonly Sample[]) =>
    new Promise<void>((resolve, reject) => {
      const sites = [...new Set(samples.map((s) => s.site))];
      if (refused && sites.includes(refused)) return reject(new Error(`refused: ${refused}`));
      writes.push({ sites, rows: samples.length, done: resolve });
    });
  return { store, writes };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('combined sample writes', () => {
  it('writes a batch at once while the writer is idle, and combines the batches that came meanwhile, up to maxRows', async () => {
    const { store, writes } = slowStore();
    const combined = combineWrites(store, { concurrency: 1, maxRows: 250 });
    const done: string[] = [];
    const write = (site: string, n: number) => combined.write(batch(site, n)).then(() => void done.push(site));
    const all = [write('a', 100), write('b', 100), write('c', 100), write('d', 100)];
    await tick();
    expect(writes.map((w) => w.sites)).toEqual([['a']]); // alone: nothing else waited
    writes[0]!.done();
    await tick();
    expect(writes.map((w) => w.sites)).toEqual([['a'], ['b', 'c']]); // b, c waited: one write, d past 250 rows
    expect(done).toEqual(['a']);
    writes[1]!.done();
    await tick();
    writes[2]!.done();
    await Promise.all(all);
    expect(writes.map((w) => [w.sites, w.rows])).toEqual([
      [['a'], 100],
      [['b', 'c'], 200],
      [['d'], 100],
    ]);
    expect(done).toEqual(['a', 'b', 'c', 'd']);
    expect(combined.stats()).toEqual({ writes: 3, batches: 4, rows: 400, split: 0 });
  });

  it('a combined write refused is tried batch by batch: only the refused batch fails', async () => {
    const { store, writes } = slowStore('bad');
    const combined = combineWrites(store, { concurrency: 1, maxRows: 10_000 });
    const first = combined.write(batch('a', 10));
    const rest = [combined.write(batch('b', 10)), combined.write(batch('bad', 10)), combined.write(batch('c', 10))].map((p) =>
      p.then(
        () => 'stored',
        (e: Error) => e.message,
      ),
    );
    // a; then b + bad + c together, refused; then b, bad, c alone, one after the other
    for (let i = 0; i < 20; i++, await tick()) for (const w of writes) w.done();
    await first;
    expect(await Promise.all(rest)).toEqual(['stored', 'refused: bad', 'stored']);
    expect(writes.map((w) => w.sites)).toEqual([['a'], ['b'], ['c']]);
    expect(combined.stats().split).toBe(1);
  });

  it('runs up to `concurrency` writes at once', async () => {
    const { store, writes } = slowStore();
    const combined = combineWrites(store, { concurrency: 2, maxRows: 1000 });
    const all = ['a', 'b', 'c'].map((s) => combined.write(batch(s, 5)));
    await tick();
    expect(writes.map((w) => w.sites)).toEqual([['a'], ['b']]);
    writes[0]!.done();
    await tick();
    expect(writes.map((w) => w.sites)).toEqual([['a'], ['b'], ['c']]);
    writes[1]!.done();
    writes[2]!.done();
    await Promise.all(all);
  });

  it('refuses a concurrency or size under 1', () => {
    expect(() => combineWrites(async () => undefined, { concurrency: 0, maxRows: 10 })).toThrow(/at least 1/);
  });
});
