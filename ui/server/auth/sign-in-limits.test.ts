/**
 * Issue 18, finding 2 (and the lockout part of 8): sign-in limits that hold under a race. Every
 * attempt is counted before the password is checked, per user and per client address, with
 * exponential back-off; a browser that signed in as a user before counts apart.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Site } from '../../../model/index.ts';
import { countAttempt, createMemorySignInLimiter, openStore, storeSignInLimiter, type SignInLimiter, type Store } from '../../../db/index.ts';
import { createApp } from '../app.ts';
import { startServer, type RunningServer } from '../server.ts';
import { loadDemoSite } from '../testing/fixture.ts';
import { createMemoryLiveTwin } from '../testing/memory-live-twin.ts';
import { PASSWORD } from '../testing/secured-app.ts';
import { createUser } from './create-user.ts';
import { createMemoryUserDirectory, type UserDirectory } from './users.ts';

let site: Site;
let users: UserDirectory;
let dataDir: string;
let store: Store;
let server: RunningServer | undefined;
beforeAll(async () => {
  site = await loadDemoSite();
  users = createMemoryUserDirectory();
  await createUser(users, { name: 'manager', role: 'manager', sites: ['zhoushan-demo'], password: PASSWORD });
  dataDir = await mkdtemp(join(tmpdir(), 'ketwin-limits-'));
  store = await openStore({ dataDir });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(async () => {
  await store?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** a server whose directory counts the password checks (each check looks the user up first) */
async function start(limits: SignInLimiter, extra: { trustProxy?: boolean } = {}): Promise<{ url: string; checked: () => number }> {
  let checked = 0;
  const counting: UserDirectory = { ...users, findByName: (name) => (checked++, users.findByName(name)) };
  server = await startServer({
    app: createApp({ live: createMemoryLiveTwin([site]), staticDir: '/nonexistent', auth: { users: counting, limits }, ...extra }),
    port: 0,
  });
  return { url: server.url, checked: () => checked };
}
const login = (url: string, name: string, password: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ name, password }) });

describe('sign-in limits under a race', () => {
  for (const [name, limits] of [
    ['in memory', () => createMemorySignInLimiter()],
    ['in the database (PGlite)', () => storeSignInLimiter(store)],
  ] as const) {
    it(`40 concurrent wrong passwords for one user: at most 10 are checked (${name})`, async () => {
      const { url, checked } = await start(limits());
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => login(url, 'manager', `guess ${i}`)));
      const statuses = answers.map((r) => r.status);
      expect(checked()).toBeLessThanOrEqual(10);
      expect(statuses.filter((s) => s === 401)).toHaveLength(checked());
      expect(statuses.filter((s) => s === 429)).toHaveLength(40 - checked());
      expect(Number(answers.find((r) => r.status === 429)!.headers.get('retry-after'))).toBeGreaterThan(0);
    });
  }

  it('locks out with exponential back-off: 1 min, 2 min, 4 min … at most the maximum', () => {
    const policy = { limit: 2, windowMs: 60_000, lockMs: 60_000, maxLockMs: 300_000 };
    let count;
    const locks: number[] = [];
    let t = 0;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 2; i++) ({ next: count } = countAttempt(count, t, policy));
      const { next, decision } = countAttempt(count, t, policy);
      count = next;
      expect(decision.allowed).toBe(false);
      if (!decision.allowed) locks.push(decision.retryAfterMs);
      t += decision.allowed ? 0 : decision.retryAfterMs;
    }
    expect(locks).toEqual([60_000, 120_000, 240_000, 300_000, 300_000]);
  });

  it("a stranger's guesses do not lock the user out of a browser they signed in on before; unlock lifts the lockout", async () => {
    const limits = storeSignInLimiter(store);
    await limits.unlock('user:manager'); // (the race above locked it)
    const { url } = await start(limits, { trustProxy: true });
    const own = await login(url, 'manager', PASSWORD, { 'x-forwarded-for': '192.0.2.1' });
    expect(own.status).toBe(200);
    const device = own.headers
      .getSetCookie()
      .filter((c) => c.startsWith('ketwin-device'))
      .map((c) => c.split(';')[0])
      .join('; ');
    expect(device).toMatch(/ketwin-device=.*ketwin-device.sig=/);
    for (let i = 0; i < 6; i++) await login(url, 'manager', `stranger ${i}`, { 'x-forwarded-for': `203.0.113.${i}` });
    const user = { 'x-forwarded-for': '192.0.2.1' };
    expect((await login(url, 'manager', PASSWORD, user)).status).toBe(429); // a new browser waits out the lockout
    expect((await login(url, 'manager', PASSWORD, { ...user, cookie: device })).status).toBe(200); // the user's own does not
    for (let i = 0; i < 6; i++) await login(url, 'manager', `stranger again ${i}`, { 'x-forwarded-for': `203.0.113.${50 + i}` });
    expect((await login(url, 'manager', PASSWORD, user)).status).toBe(429);
    expect(await limits.unlock('user:manager')).toBe(true); // what `ketwin user unlock manager` does
    expect((await login(url, 'manager', PASSWORD, user)).status).toBe(200);
  });
});

describe('behind a reverse proxy (KETWIN_TRUST_PROXY)', () => {
  it('counts per the address the proxy appended, never one the client wrote, and sets Secure cookies when the proxy says https', async () => {
    const { url } = await start(createMemorySignInLimiter(), { trustProxy: true });
    // a client rotating a forged X-Forwarded-For still counts as the address the proxy appended
    let last = 0;
    for (let i = 0; i < 21; i++) last = (await login(url, `someone${i}`, 'wrong password', { 'x-forwarded-for': `198.51.100.${i}, 192.0.2.7` })).status;
    expect(last).toBe(429);
    expect((await login(url, 'manager', PASSWORD, { 'x-forwarded-for': '192.0.2.8' })).status).toBe(200); // another client
    const https = await login(url, 'manager', PASSWORD, { 'x-forwarded-for': '192.0.2.9', 'x-forwarded-proto': 'https' });
    expect(https.status).toBe(200);
    for (const cookie of https.headers.getSetCookie()) expect(cookie).toMatch(/;\s*secure/i);
    const plain = await login(url, 'manager', PASSWORD, { 'x-forwarded-for': '192.0.2.10' });
    for (const cookie of plain.headers.getSetCookie()) expect(cookie).not.toMatch(/;\s*secure/i);
  });

  it("without it, X-Forwarded-For is ignored: every forged address counts as the connection's", async () => {
    const { url } = await start(createMemorySignInLimiter());
    let last = 0;
    for (let i = 0; i < 21; i++) last = (await login(url, `someone${i}`, 'wrong password', { 'x-forwarded-for': `198.51.100.${i}` })).status;
    expect(last).toBe(429);
  });
});
