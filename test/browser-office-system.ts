// The office's test system: every demo depot under sites/ (five around Zhoushan), simulated on free ports, a fresh
// PGlite record, the UI on a free port, and an auditor who sees every site. Started by test/browser-office*.test.ts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { startKetwin, type Ketwin } from '../main.ts';
import { createMemoryUserDirectory, createUser, generatePassword } from '../ui/server/index.ts';

export interface OfficeSystem extends Ketwin {
  /** the data directory: the record, and the report key `ketwin report verify` checks against */
  dataDir: string;
  users: Record<'auditor' | 'manager', { name: string; password: string }>;
  stop(): Promise<void>;
}

export async function startOfficeSystem(): Promise<OfficeSystem> {
  const root = await mkdtemp(join(tmpdir(), 'ketwin-office-'));
  const directory = createMemoryUserDirectory();
  const users = {} as OfficeSystem['users'];
  for (const [name, role, sites] of [
    ['auditor', 'auditor', '*'],
    ['manager', 'manager', ['zhoushan-demo']],
  ] as const) {
    const password = generatePassword();
    await createUser(directory, { name, role, sites: sites === '*' ? '*' : [...sites], password });
    users[name] = { name, password };
  }
  const dataDir = join(root, 'data');
  const ketwin = await startKetwin({
    users: directory,
    port: 0,
    host: '127.0.0.1',
    dataDir,
    sitesDir: resolve('sites'),
    standardsDir: resolve('standards'),
    simulate: { ports: 'ephemeral' },
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
