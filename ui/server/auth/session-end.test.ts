/** Issue 18, finding 5: a session ends when its user is removed, disabled, or their role, sites or password change. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Site } from '../../../model/index.ts';
import { createApp } from '../app.ts';
import { startServer, type RunningServer } from '../server.ts';
import { signIn } from '../sign-in.ts';
import { loadDemoSite } from '../testing/fixture.ts';
import { createMemoryLiveTwin } from '../testing/memory-live-twin.ts';
import { openSse } from '../testing/sse-client.ts';
import { PASSWORD } from '../testing/secured-app.ts';
import { createUser } from './create-user.ts';
import { createFileUserDirectory } from './file-user-directory.ts';
import { hashPassword } from './password.ts';

let site: Site;
let dir: string;
let server: RunningServer | undefined;
beforeAll(async () => {
  site = await loadDemoSite();
  dir = await mkdtemp(join(tmpdir(), 'ketwin-session-end-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** the server reads users.json; `cli` is a second directory on the same file, as `ketwin user …` in another process */
async function start(file: string) {
  const users = createFileUserDirectory(file);
  for (const name of ['li.wei', 'zhang', 'wang', 'chen']) await createUser(users, { name, role: 'manager', sites: ['zhoushan-demo'], password: PASSWORD });
  server = await startServer({ app: createApp({ live: createMemoryLiveTwin([site]), staticDir: '/nonexistent', auth: { users }, heartbeatMs: 50 }), port: 0 });
  return { url: server.url, cli: createFileUserDirectory(file) };
}

describe('sessions end with their user', () => {
  it('removed, disabled, role or sites changed, password changed: the open session answers 401 at once; others go on', async () => {
    const { url, cli } = await start(join(dir, 'users.json'));
    const sessions = Object.fromEntries(await Promise.all(['li.wei', 'zhang', 'wang', 'chen'].map(async (n) => [n, await signIn(url, n, PASSWORD)] as const)));
    const other = await signIn(url, 'chen', PASSWORD);
    for (const s of Object.values(sessions)) expect((await s.fetch('/api/sites')).status).toBe(200);

    await cli.remove('li.wei');
    await cli.update('zhang', { disabled: true });
    await cli.update('wang', { role: 'auditor', sites: '*' });
    await cli.update('chen', { password: await hashPassword('a brand new password') });

    for (const name of ['li.wei', 'zhang', 'wang', 'chen']) {
      const res = await sessions[name]!.fetch('/api/sites');
      expect(res.status, name).toBe(401);
      expect(await (await sessions[name]!.fetch('/api/session')).json()).toMatchObject({ user: null });
    }
    expect((await other.fetch('/api/sites')).status).toBe(401); // every session of the user
    // the disabled user cannot sign in again (same answer as a wrong password); the changed one can, with the new role
    await expect(signIn(url, 'zhang', PASSWORD)).rejects.toThrow(/401 .*wrong user name or password/);
    expect((await signIn(url, 'wang', PASSWORD)).user).toMatchObject({ role: 'auditor', sites: '*' });
    expect((await signIn(url, 'chen', 'a brand new password')).user.name).toBe('chen');
  });

  it('an open event stream of a removed user ends at its next heartbeat', async () => {
    const { url, cli } = await start(join(dir, 'users-3.json'));
    const s = await signIn(url, 'li.wei', PASSWORD);
    const stream = await openSse(`${url}/api/events?site=zhoushan-demo`, { cookie: s.cookie });
    expect(stream.status).toBe(200);
    await cli.remove('li.wei');
    let ended: unknown;
    for (let i = 0; i < 50 && ended === undefined; i++) await stream.next(2_000).catch((e: unknown) => (ended = e));
    expect((ended as Error).message).toBe('stream ended'); // not a timeout: the server closed it
    stream.close();
  });

  it('a session whose user is unchanged goes on across changes to other users', async () => {
    const { url, cli } = await start(join(dir, 'users-2.json'));
    const s = await signIn(url, 'li.wei', PASSWORD);
    await cli.update('zhang', { role: 'auditor', sites: '*' });
    await cli.remove('wang');
    expect((await s.fetch('/api/sites')).status).toBe(200);
  });
});
