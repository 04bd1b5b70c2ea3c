import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoUsers, createUser, generatePassword } from './create-user.ts';
import { createFileUserDirectory } from './file-user-directory.ts';
import { verifyPassword } from './password.ts';
import { createSessionStore } from './sessions.ts';
import { UserDirectoryError, createMemoryUserDirectory } from './users.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ketwin-users-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the file user directory', () => {
  it('stores name, role, sites and the scrypt hash (never the password), owner-only, and reads them back', async () => {
    const path = join(dir, 'a', 'users.json');
    const users = createFileUserDirectory(path);
    await createUser(users, { name: 'first-admin', role: 'admin', sites: '*', password: 'a long enough secret' });
    await createUser(users, { name: 'li.wei', role: 'manager', sites: ['zhoushan-demo'], password: 'another long secret' });
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain('a long enough secret');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'a'))).toEqual(['users.json']); // no temporary file left behind

    const again = createFileUserDirectory(path);
    const record = await again.findByName('li.wei');
    expect(record).toMatchObject({ role: 'manager', sites: ['zhoushan-demo'], password: { algorithm: 'scrypt' } });
    expect(await verifyPassword('another long secret', record!.password)).toBe(true);
    expect(await verifyPassword('another long secreT', record!.password)).toBe(false);
    expect((await again.list()).map((u) => u.name)).toEqual(['first-admin', 'li.wei']);
    expect(await again.remove('li.wei')).toBe(true);
    expect(await again.findByName('li.wei')).toBeUndefined();
  });

  it('keeps concurrent additions', async () => {
    const users = createFileUserDirectory(join(dir, 'b.json'));
    await Promise.all(['u1', 'u2', 'u3', 'u4'].map((name) => createUser(users, { name, role: 'auditor', sites: '*', password: 'twelve chars!' })));
    expect((await users.list()).map((u) => u.name).sort()).toEqual(['u1', 'u2', 'u3', 'u4']);
  });

  it('rejects a broken file with its path and the field', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, JSON.stringify({ version: 1, users: [{ name: 'x', role: 'king', sites: '*', password: {}, createdAt: 1 }] }));
    await expect(createFileUserDirectory(path).list()).rejects.toThrow(new RegExp(`${path}: users.0.role`));
  });
});

describe('createUser', () => {
  it('refuses short passwords, bad names, unknown roles, empty site lists and duplicates', async () => {
    const users = createMemoryUserDirectory();
    const ok = { name: 'ops', role: 'manager' as const, sites: ['s1'], password: 'long enough password' };
    await expect(createUser(users, { ...ok, password: 'short' })).rejects.toThrow('user password: must be at least 12 characters');
    await expect(createUser(users, { ...ok, name: 'a b' })).rejects.toThrow(/user name: may only hold/);
    await expect(createUser(users, { ...ok, role: 'king' as 'admin' })).rejects.toThrow(/user role/);
    await expect(createUser(users, { ...ok, sites: [] })).rejects.toThrow(/user sites: must name at least one site/);
    await createUser(users, ok);
    const duplicate = await createUser(users, ok).catch((e: unknown) => e);
    expect(duplicate).toBeInstanceOf(UserDirectoryError);
    expect((duplicate as UserDirectoryError).code).toBe('exists');
  });

  it('demo users get fresh generated passwords at every start', async () => {
    const users = createMemoryUserDirectory();
    const made = await createDemoUsers(users, ['zhoushan-demo']);
    expect(made.map((u) => [u.name, u.role])).toEqual([
      ['manager', 'manager'],
      ['auditor', 'auditor'],
      ['rescue', 'rescue'],
    ]);
    expect(new Set(made.map((u) => u.password)).size).toBe(3);
    expect(made[0]!.password).toMatch(/^[a-zA-Z2-9]{20}$/);
    expect(await verifyPassword(made[0]!.password, (await users.findByName('manager'))!.password)).toBe(true);
    const again = await createDemoUsers(users, ['zhoushan-demo']);
    expect(again.map((u) => u.name)).toEqual(['manager', 'auditor', 'rescue']);
    expect(await verifyPassword(made[0]!.password, (await users.findByName('manager'))!.password)).toBe(false);
    expect(await verifyPassword(again[0]!.password, (await users.findByName('manager'))!.password)).toBe(true);
    expect(generatePassword(8)).toHaveLength(8);
  });
});

describe('sessions and rate limits', () => {
  it('a session ends after its idle time and after its lifetime', () => {
    let t = 0;
    const store = createSessionStore({ idleMs: 100, ttlMs: 250, now: () => t });
    const s = store.create({ name: 'x', role: 'auditor', sites: '*' });
    t = 90;
    expect(store.touch(s.id)).toBeDefined();
    t = 180;
    expect(store.touch(s.id)).toBeDefined();
    t = 260;
    expect(store.touch(s.id)).toBeUndefined();
    const idle = store.create({ name: 'y', role: 'auditor', sites: '*' });
    t = 361;
    expect(store.touch(idle.id)).toBeUndefined();
    expect(store.size).toBe(0);
  });
});
