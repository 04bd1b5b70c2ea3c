/** `ketwin user …`: the users file and sign-in lockouts. */
import { join } from 'node:path';
import { openStore, userLimitKey } from '../db/index.ts';
import { createFileUserDirectory, createUser, generatePassword, type Role } from '../ui/server/index.ts';
import type { KetwinOptions } from './options.ts';
import { USAGE } from './usage.ts';

/** Adds a user with a generated password, printed once: there is no default password. */
export async function runUserAdd(options: KetwinOptions, name: string, role: string, sites: string): Promise<number> {
  const users = createFileUserDirectory(options.usersFile ?? join(options.dataDir, 'users.json'));
  const password = generatePassword();
  await createUser(users, { name, role: role as Role, sites: sites === '*' ? '*' : sites.split(','), password });
  console.log(`user ${name} (${role}) added; password (shown once): ${password}`);
  return 0;
}

/**
 * `user unlock NAME` lifts a sign-in lockout (in the database: with PGlite, while ketwin is stopped);
 * `disable`, `enable`, `remove` and `role` change the users file, and the user's open sessions end at their next request.
 */
export async function runUserChange(options: KetwinOptions, [verb, name, role, sites]: string[]): Promise<number> {
  const users = createFileUserDirectory(options.usersFile ?? join(options.dataDir, 'users.json'));
  if (verb === 'unlock') {
    const store = await openStore({ url: options.databaseUrl, dataDir: options.dataDir, logger: options.logger.child({ part: 'db' }) });
    try {
      const lifted = await store.signInUnlock(userLimitKey(name!));
      console.log(lifted ? `user ${name}: sign-in lockout lifted` : `user ${name}: no failed sign-ins on record`);
      return 0;
    } finally {
      await store.close();
    }
  }
  const change =
    verb === 'disable'
      ? { disabled: true }
      : verb === 'enable'
        ? { disabled: false }
        : verb === 'role'
          ? { role: role as Role, sites: sites === '*' ? ('*' as const) : sites!.split(',') }
          : undefined;
  const done = verb === 'remove' ? await users.remove(name!) : change ? await users.update(name!, change) : undefined;
  if (done === undefined) {
    console.error(USAGE);
    return 2;
  }
  console.log(done ? `user ${name}: ${verb} done; their open sessions end` : `no user ${name}`);
  return done ? 0 : 1;
}
