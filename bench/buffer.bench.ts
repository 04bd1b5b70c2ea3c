/**
 * The durable path of telemetry, on this machine's disk and the local PostgreSQL:
 * - push: ns per sample handed to the collector buffer (the sources' cost), and samples/s through it
 *   to a downstream that keeps up;
 * - spill: samples/s the buffer takes while downstream is down (past its memory bound, to disk), and
 *   samples/s it then drains from disk;
 * - stored: samples/s from the buffer into PostgreSQL through the database writer, wired as main.ts
 *   wires them (a downstream that takes every sample; the writer acking after its commit);
 * - steady: CPU µs per sample of this process at a steady 50,000 samples/s into PostgreSQL.
 * Prints one JSON line on stdout; progress on stderr.
 *   npx tsx bench/buffer.bench.ts [--samples 1000000] [--stored 300000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSampleBuffer } from '../collector/index.ts';
import { createStoreWriter } from '../db/index.ts';
import { createPostgresTarget } from '../db/store-targets.ts';
import type { Sample } from '../model/index.ts';

const { values: args } = parseArgs({ options: { samples: { type: 'string', default: '1000000' }, stored: { type: 'string', default: '300000' } } });
const N = Number(args.samples);
const STORED = Number(args.stored);
const log = (m: string): void => void process.stderr.write(`buffer: ${m}\n`);
const T0 = Date.UTC(2025, 0, 1);

/** demo-like readings: 2000 points, mostly analogue, some digital, one text point */
function makeSamples(n: number, site = 'bench'): Sample[] {
  return Array.from({ length: n }, (_, i) => {
    const p = i % 2000;
    const value = p % 20 === 0 ? (i & 1) === 0 : p === 1999 ? 'AUTO' : 10 + Math.sin(i / 1000) * 5 + p / 100;
    return { site, point: `A${p}.value`, ts: T0 + Math.floor(i / 2000) * 1000, value, quality: p === 7 ? 'uncertain' : 'good' };
  });
}

const dir = await mkdtemp(join(tmpdir(), 'ketwin-buffer-bench-'));
const samples = makeSamples(N);
const out: Record<string, unknown> = { bench: 'buffer', samples: N };
try {
  {
    // push into a buffer whose downstream keeps up
    let taken = 0;
    const buffer = createSampleBuffer({ dir: join(dir, 'push'), downstream: (batch) => void (taken += batch.length) });
    const started = performance.now();
    let pushMs = 0;
    for (let i = 0; i < N; i += 10_000) {
      const t = performance.now();
      for (let k = i; k < Math.min(N, i + 10_000); k++) buffer.sink(samples[k]!);
      pushMs += performance.now() - t;
      await new Promise((r) => setImmediate(r)); // the sources' callbacks come from the event loop too
    }
    await buffer.drained();
    const seconds = (performance.now() - started) / 1000;
    await buffer.close();
    if (taken !== N) throw new Error(`push: ${taken} of ${N} delivered`);
    out.pushNsPerSample = Math.round((pushMs * 1e6) / N);
    out.throughSamplesPerSecond = Math.round(N / seconds);
    log(`push ${out.pushNsPerSample} ns/sample, ${out.throughSamplesPerSecond} samples/s through`);
  }
  {
    // downstream down: everything past the memory bound goes to disk; then it comes back
    let up = false;
    let taken = 0;
    const buffer = createSampleBuffer({
      dir: join(dir, 'spill'),
      maxInMemory: 100_000,
      retry: { initialDelayMs: 50, maxDelayMs: 50 },
      downstream: (batch) => {
        if (!up) throw new Error('down');
        taken += batch.length;
      },
    });
    let started = performance.now();
    for (let i = 0; i < N; i += 10_000) {
      for (let k = i; k < Math.min(N, i + 10_000); k++) buffer.sink(samples[k]!);
      await new Promise((r) => setImmediate(r));
    }
    out.spillSamplesPerSecond = Math.round(N / ((performance.now() - started) / 1000));
    started = performance.now();
    up = true;
    await buffer.drained();
    out.drainSamplesPerSecond = Math.round(N / ((performance.now() - started) / 1000));
    await buffer.close();
    if (taken !== N) throw new Error(`spill: ${taken} of ${N} delivered`);
    log(`spill ${out.spillSamplesPerSecond} samples/s in, drain ${out.drainSamplesPerSecond} samples/s`);
  }
  {
    // buffer → writer → PostgreSQL, as main.ts wires them
    const target = await createPostgresTarget(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
    const store = await target.open();
    try {
      const writer = createStoreWriter(store, { spillDir: join(dir, 'writer-spill') });
      const buffer = createSampleBuffer({ dir: join(dir, 'stored'), downstream: () => {}, consumers: ['db'], maxInMemory: 500_000 });
      writer.takeSamples(buffer.consumer('db'));
      const rows = makeSamples(STORED, 'stored');
      const started = performance.now();
      for (let i = 0; i < STORED; i += 10_000) {
        for (let k = i; k < Math.min(STORED, i + 10_000); k++) buffer.sink(rows[k]!);
        await new Promise((r) => setImmediate(r));
      }
      await buffer.drained();
      await writer.flush(); // every sample committed and acked
      const seconds = (performance.now() - started) / 1000;
      await buffer.close();
      await writer.close();
      const kept = await store.series('stored', 'A1.value', 0, Date.UTC(9999, 0, 1));
      if (kept.length !== Math.ceil(STORED / 2000)) throw new Error(`stored: ${kept.length} rows of A1.value, expected ${Math.ceil(STORED / 2000)}`);
      out.storedSamples = STORED;
      out.storedSamplesPerSecond = Math.round(STORED / seconds);
      log(`stored ${out.storedSamplesPerSecond} samples/s into PostgreSQL`);
    } finally {
      await store.close();
      await target.dispose();
    }
  }
  {
    // a steady 50,000 samples/s for 6 s (a tick of 500 every 10 ms) into PostgreSQL: this process's CPU per sample
    const target = await createPostgresTarget(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
    const store = await target.open();
    try {
      const writer = createStoreWriter(store, { spillDir: join(dir, 'steady-spill') });
      const buffer = createSampleBuffer({ dir: join(dir, 'steady'), downstream: () => {}, consumers: ['db'], maxInMemory: 500_000 });
      writer.takeSamples(buffer.consumer('db'));
      const rows = makeSamples(300_000, 'steady');
      const cpu = process.cpuUsage();
      const started = performance.now();
      for (let tick = 0; tick < 600; tick++) {
        for (let k = tick * 500; k < (tick + 1) * 500; k++) buffer.sink(rows[k]!);
        const next = started + (tick + 1) * 10;
        await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
      }
      await buffer.drained();
      await writer.flush();
      const used = process.cpuUsage(cpu);
      out.steadyCpuUsPerSample = Number(((used.user + used.system) / 300_000).toFixed(2));
      log(`steady 50k/s: ${out.steadyCpuUsPerSample} µs of CPU per sample`);
      await buffer.close();
      await writer.close();
    } finally {
      await store.close();
      await target.dispose();
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
console.log(JSON.stringify(out));
