// Runs every bench/*.bench.ts in its own process, one after another, and prints each one's JSON line.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((name) => f.startsWith(name)))
  .sort();

let failed = 0;
for (const file of files) {
  process.stderr.write(`bench: ${file}\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    timeout: 1_500_000, // scale-out steps its offered rate down (up to three windows of a minute, each after a drain), then kills a worker and drains
  });
  const line = run.stdout.trim().split('\n').filter(Boolean).at(-1);
  if (run.status !== 0 || !line) {
    failed++;
    console.log(JSON.stringify({ bench: file.replace('.bench.ts', ''), error: `exit ${run.status ?? run.signal}` }));
  } else {
    console.log(line);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
