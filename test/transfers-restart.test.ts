/**
 * A declared transfer outlives a restart (issue 26: "or a transfer declared"): the whole system as
 * `npm start` runs it (PGlite, the simulated depot, the engine, the UI); the manager declares a receipt
 * into T201, ketwin stops and starts again on the same data, and the declaration stands — taken back
 * from the audit log — until its end; one ended before the stop does not come back.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKetwin, type Ketwin } from '../main.ts';
import type { TransferDeclaration } from '../model/index.ts';
import { createMemoryUserDirectory, createUser, generatePassword, type UserDirectory } from '../ui/server/index.ts';
import { signIn } from '../ui/server/sign-in.ts';

let root: string;
let users: UserDirectory;
const password = generatePassword();
const start = (): Promise<Ketwin> =>
  startKetwin({
    users,
    port: 0,
    host: '127.0.0.1',
    dataDir: join(root, 'data'),
    sitesDir: join(root, 'sites'),
    standardsDir: resolve('standards'),
    simulate: { ports: 'ephemeral' },
    logger: pino({ level: 'silent' }),
  });

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ketwin-transfers-'));
  await mkdir(join(root, 'sites'));
  await writeFile(join(root, 'sites', 'zhoushan-demo.yaml'), await readFile(resolve('sites/zhoushan-demo.yaml'), 'utf8'));
  users = createMemoryUserDirectory();
  await createUser(users, { name: 'manager', role: 'manager', sites: ['zhoushan-demo'], password });
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('declared transfers across a restart', () => {
  it('a standing declaration is taken back from the audit log; an ended one is not', async () => {
    const until = new Date(Date.now() + 2 * 3_600_000).toISOString();
    let ketwin = await start();
    try {
      const manager = await signIn(ketwin.url, 'manager', password);
      const post = (tank: string) =>
        manager.fetch('/api/sites/zhoushan-demo/transfers', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ tank, direction: 'in', rateM3h: 550, until }),
        });
      expect((await post('T201')).status).toBe(201);
      expect((await post('T102')).status).toBe(201);
      expect((await manager.fetch('/api/sites/zhoushan-demo/transfers/T102', { method: 'DELETE' })).status).toBe(200);
    } finally {
      await ketwin.close();
    }
    ketwin = await start();
    try {
      const manager = await signIn(ketwin.url, 'manager', password);
      const standing = (await (await manager.fetch('/api/sites/zhoushan-demo/transfers')).json()) as TransferDeclaration[];
      expect(standing).toEqual([{ tank: 'T201', direction: 'in', rateM3h: 550, until: Date.parse(until), by: 'manager', at: expect.any(Number) }]);
    } finally {
      await ketwin.close();
    }
  });
});
