import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Site } from '../../model/index.ts';
import { signIn } from './index.ts';
import { loadDemoSite } from './testing/fixture.ts';
import { PASSWORD, startSecuredServer, type SecuredServer } from './testing/secured-app.ts';

let site: Site;
let server: SecuredServer | undefined;
beforeAll(async () => {
  site = await loadDemoSite();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const login = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('signing in', () => {
  it('sets an HTTP-only, SameSite=Strict, signed session cookie and answers with the user and a CSRF token', async () => {
    server = await startSecuredServer([site]);
    const res = await login(server.url, { name: 'manager', password: PASSWORD });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ user: { name: 'manager', role: 'manager', sites: ['zhoushan-demo'] }, authentication: 'on', demo: false });
    expect(body.csrf).toMatch(/^[\w-]{40,}$/);
    expect(JSON.stringify(body)).not.toMatch(/salt|hash|password/);
    const cookies = res.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('ketwin-session='));
    expect(session).toMatch(/httponly/i);
    expect(session).toMatch(/samesite=strict/i);
    expect(cookies.some((c) => c.startsWith('ketwin-session.sig='))).toBe(true);
  });

  it('refuses a wrong password and an unknown user with the same 401 message', async () => {
    server = await startSecuredServer([site]);
    const wrong = await login(server.url, { name: 'manager', password: 'not the password' });
    const unknown = await login(server.url, { name: 'nobody', password: 'whatever it is' });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(await wrong.json()).toEqual({ error: 'wrong user name or password' });
    expect(await unknown.json()).toEqual({ error: 'wrong user name or password' });
  });

  it('ignores a forged session cookie', async () => {
    server = await startSecuredServer([site]);
    const real = await signIn(server.url, 'manager', PASSWORD);
    const id = /ketwin-session=([^;]+)/.exec(real.cookie)?.[1];
    const forged = await fetch(`${server.url}/api/sites`, { headers: { cookie: `ketwin-session=${id}` } }); // no signature
    expect(forged.status).toBe(401);
    const made = await fetch(`${server.url}/api/sites`, { headers: { cookie: 'ketwin-session=abc; ketwin-session.sig=abc' } });
    expect(made.status).toBe(401);
  });

  it('names the missing or malformed field, and wants JSON', async () => {
    server = await startSecuredServer([site]);
    const missing = await login(server.url, { name: 'manager' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: 'body.password: expected a password' });
    const extra = await login(server.url, { name: 'manager', password: 'x', admin: true });
    expect((await extra.json()).error).toMatch(/^body: .*"admin"/);
    const form = await fetch(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=manager' });
    expect(form.status).toBe(415);
    const broken = await fetch(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' });
    expect(await broken.json()).toEqual({ error: 'body: not valid JSON' });
    const huge = await login(server.url, { name: 'manager', password: 'x'.repeat(100_000) });
    expect(huge.status).toBe(413);
  });

  it('limits failed sign-ins per user name, with Retry-After, and lets other users in', async () => {
    server = await startSecuredServer([site]);
    for (let i = 0; i < 5; i++) expect((await login(server.url, { name: 'auditor', password: `guess number ${i}` })).status).toBe(401);
    const limited = await login(server.url, { name: 'auditor', password: PASSWORD });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited.json()).error).toMatch(/too many failed sign-ins/);
    expect((await login(server.url, { name: 'manager', password: PASSWORD })).status).toBe(200);
  });

  it('limits failed sign-ins per client address across user names', async () => {
    server = await startSecuredServer([site], {});
    let status = 0;
    for (let i = 0; i < 25 && status !== 429; i++) status = (await login(server.url, { name: `user${i}`, password: 'wrong password' })).status;
    expect(status).toBe(429);
    expect((await login(server.url, { name: 'manager', password: PASSWORD })).status).toBe(429);
  });
});

describe('CSRF and signing out', () => {
  it('refuses a state-changing request from another origin, even to sign in', async () => {
    server = await startSecuredServer([site]);
    const res = await login(server.url, { name: 'manager', password: PASSWORD }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'cross-site request refused (origin https://evil.example)' });
  });

  it('signs out only with the session CSRF token, and the session is gone after', async () => {
    server = await startSecuredServer([site]);
    const s = await signIn(server.url, 'manager', PASSWORD);
    const without = await fetch(`${server.url}/api/session`, { method: 'DELETE', headers: { cookie: s.cookie } });
    expect(without.status).toBe(403);
    expect(await without.json()).toEqual({ error: 'missing or wrong x-csrf-token header' });
    expect((await s.fetch('/api/sites')).status).toBe(200);
    const out = await s.fetch('/api/session', { method: 'DELETE' });
    expect(out.status).toBe(204);
    expect((await s.fetch('/api/sites')).status).toBe(401);
    expect(await (await s.fetch('/api/session')).json()).toMatchObject({ user: null, csrf: null });
  });
});

describe('security headers', () => {
  it('sends CSP, nosniff, frame-ancestors none and no referrer on pages and API answers', async () => {
    server = await startSecuredServer([site]);
    for (const path of ['/api/sites', '/', '/api/openapi.json']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
      expect(res.headers.get('content-security-policy')).not.toMatch(/script-src[^;]*unsafe/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      await res.body?.cancel();
    }
  });
});
