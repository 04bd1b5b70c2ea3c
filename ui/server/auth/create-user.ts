import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { hashPassword } from './password.ts';
import { type Role, ROLES, type SessionUser, type SiteBinding, type UserDirectory, UserDirectoryError, sessionUser, siteBindingSchema, userNameSchema } from './users.ts';
import { systemClock } from '../../../model/index.ts';

export const MIN_PASSWORD_LENGTH = 12;

const newUserSchema = z.strictObject({
  name: userNameSchema,
  role: z.enum(ROLES),
  sites: siteBindingSchema,
  password: z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(1024),
});

export interface NewUser {
  name: string;
  role: Role;
  sites: SiteBinding;
  password: string;
}

/**
 * Adds a user with a scrypt-hashed password: the way the first admin is made (from the CLI),
 * and how tests and the demo make theirs. There is no default password anywhere.
 */
export async function createUser(directory: UserDirectory, user: NewUser): Promise<SessionUser> {
  const parsed = newUserSchema.safeParse(user);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserDirectoryError('invalid', `user ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const { password, ...rest } = parsed.data;
  await directory.add({ ...rest, password: await hashPassword(password), createdAt: systemClock.now() });
  return sessionUser(rest);
}

/** A random password a person can type: 20 characters from an alphabet without look-alikes. */
export function generatePassword(length = 20): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(length * 2);
  let out = '';
  for (const b of bytes) {
    if (b >= alphabet.length * 4) continue; // no modulo bias
    out += alphabet[b % alphabet.length];
    if (out.length === length) break;
  }
  return out.length === length ? out : out + generatePassword(length - out.length);
}

export interface DemoUser {
  name: string;
  role: Role;
  sites: SiteBinding;
  password: string;
}

/**
 * Demo mode: one manager, auditor and rescue user bound to the given sites (the auditor to all),
 * and a manager for each responsible person the sites name that is none of them,
 * with passwords generated now, every time (an existing demo account is replaced), so the console
 * always shows passwords that work. Only for demo mode, which runs simulated depots.
 * The caller prints the list; the login screen says demo users exist.
 */
export async function createDemoUsers(directory: UserDirectory, sites: string[], named: readonly { name: string; sites: string[] }[] = []): Promise<DemoUser[]> {
  const wanted: Omit<DemoUser, 'password'>[] = [
    { name: 'manager', role: 'manager', sites },
    { name: 'auditor', role: 'auditor', sites: '*' },
    { name: 'rescue', role: 'rescue', sites },
    // the responsible persons the demo's site files name (包保责任人), managers of their sites
    ...named.filter((n) => !['manager', 'auditor', 'rescue'].includes(n.name)).map((n) => ({ name: n.name, role: 'manager' as const, sites: n.sites })),
  ];
  const made: DemoUser[] = [];
  for (const user of wanted) {
    // Demo accounts get a fresh password on every start, so the console always shows one that works.
    if (await directory.findByName(user.name)) await directory.remove(user.name);
    const demo = { ...user, password: generatePassword() };
    await createUser(directory, demo);
    made.push(demo);
  }
  return made;
}
