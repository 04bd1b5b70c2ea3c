// Starts the whole system for cross-part tests: simulated depot on free ports, a fresh database, UI on a free port.
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { startKetwin, type Ketwin } from '../main.ts';
import { createMemoryUserDirectory, createUser, generatePassword } from '../ui/server/index.ts';

export interface TestSystem extends Ketwin {
  dataDir: string;
  /** one user per role, bound to the demo site (the auditor and admin to all) */
  users: Record<string, { name: string; password: string }>;
  stop(): Promise<void>;
}

/** Staleness is shortened so that "a point goes stale" happens within a test. */
export async function startTestSystem(
  options: {
    staleAfterMs?: number;
    /** the demo OPC-UA source's publishing interval (default the site file's, 500 ms) */
    publishingIntervalMs?: number;
    databaseUrl?: string;
    /** a sim/scenarios name (tank-overfill, rim-seal-fire, …) played in the demo depot from the start */
    scenario?: string;
    /** webhook subscribers file (notify/): who is told of the alerts */
    subscribersFile?: string;
  } = {},
): Promise<TestSystem> {
  const root = await mkdtemp(join(tmpdir(), 'ketwin-test-'));
  const sitesDir = join(root, 'sites');
  await mkdir(sitesDir);
  const demo = await readFile(resolve('sites/zhoushan-demo.yaml'), 'utf8');
  let site = demo.replaceAll('staleAfterMs: 10000', `staleAfterMs: ${options.staleAfterMs ?? 3000}`);
  if (options.publishingIntervalMs !== undefined) site = site.replace('publishingIntervalMs: 500', `publishingIntervalMs: ${options.publishingIntervalMs}`);
  await writeFile(join(sitesDir, 'zhoushan-demo.yaml'), site);
  const dataDir = join(root, 'data');
  const directory = createMemoryUserDirectory();
  const users: TestSystem['users'] = {};
  for (const [name, role, sites] of [
    ['manager', 'manager', ['zhoushan-demo']],
    ['auditor', 'auditor', '*'],
    ['rescue', 'rescue', ['zhoushan-demo']],
    ['admin', 'admin', '*'],
    ['elsewhere', 'manager', ['another-depot']],
  ] as const) {
    const password = generatePassword();
    await createUser(directory, { name, role, sites: sites === '*' ? '*' : [...sites], password });
    users[name] = { name, password };
  }
  const ketwin = await startKetwin({
    users: directory,
    port: 0,
    host: '127.0.0.1',
    dataDir,
    sitesDir,
    standardsDir: resolve('standards'),
    databaseUrl: options.databaseUrl,
    simulate: { ports: 'ephemeral', ...(options.scenario ? { scenario: options.scenario } : {}) },
    subscribersFile: options.subscribersFile,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  });
  return {
    ...ketwin,
    dataDir,
    users,
    async stop() {
      await ketwin.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Polls until `probe` returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
