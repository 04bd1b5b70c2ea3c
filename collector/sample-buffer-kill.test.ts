/**
 * Issue 18, finding 8: the buffer commits to disk at least every 200 ms (group commit), so kill -9
 * loses at most that much of what downstream has not taken. A child process pushes a sample per
 * millisecond into a buffer whose downstream holds everything (a database that stopped answering),
 * spilling past a small memory bound; it is killed; a new buffer on the same folder must deliver
 * every sample pushed up to 200 ms before the kill.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sample } from '../model/index.ts';
import { createSampleBuffer } from './sample-buffer.ts';

const BUFFER = fileURLToPath(new URL('./sample-buffer.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** runs the child until it has pushed for `runMs`, kills it with SIGKILL; resolves to the kill time */
async function pushThenKill(dir: string, runMs: number, maxInMemory: number): Promise<{ killedAt: number; pushedBefore: (t: number) => number }> {
  const script = join(dir, 'child.ts');
  writeFileSync(
    script,
    `
    import { createSampleBuffer } from ${JSON.stringify(BUFFER)};
    const buffer = createSampleBuffer({ dir: ${JSON.stringify(join(dir, 'buffer'))}, downstream: () => new Promise(() => {}), maxInMemory: ${maxInMemory}, batchSize: 100, segmentSize: 5000 });
    let i = 0;
    setInterval(() => { const ts = Date.now(); buffer.sink({ site: 's', point: 'P.v', value: i++, quality: 'good', ts }); }, 1);
    process.stdout.write('ready\\n');
  `,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => String(d).includes('ready') && resolve());
    child.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
  });
  await new Promise((r) => setTimeout(r, runMs));
  const killedAt = Date.now();
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  return { killedAt, pushedBefore: (t) => t };
}

async function recover(dir: string): Promise<Sample[]> {
  const got: Sample[] = [];
  const buffer = createSampleBuffer({ dir: join(dir, 'buffer'), downstream: (batch) => void got.push(...batch), batchSize: 1000 });
  await new Promise((r) => setTimeout(r, 20));
  await buffer.drained();
  await buffer.close();
  return got;
}

describe('the sample buffer and kill -9', () => {
  for (const [name, maxInMemory] of [
    ['held in memory', 100_000],
    ['spilled to disk', 300],
  ] as const) {
    it(`loses at most the last 200 ms of samples downstream had not taken (${name})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ketwin-kill-'));
      dirs.push(dir);
      const { killedAt } = await pushThenKill(dir, 1_500, maxInMemory);
      const got = await recover(dir);
      const values = got.map((s) => s.value as number);
      expect(values.length).toBeGreaterThan(500);
      // in order, no gaps: 0, 1, 2, … up to the last committed one
      expect(values).toEqual(values.map((_, i) => i));
      const newest = Math.max(...got.map((s) => s.ts));
      // every sample pushed before killedAt − 200 ms is back (timer and scheduling slack: 50 ms)
      expect(killedAt - newest).toBeLessThanOrEqual(250);
    }, 20_000);
  }
});
