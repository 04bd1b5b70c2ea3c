import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { type UserDirectory, type UserRecord, UserDirectoryError, userRecordSchema } from './users.ts';

const fileSchema = z.strictObject({ version: z.literal(1), users: z.array(userRecordSchema) });

/**
 * Users in a JSON file (name, role, sites, scrypt hash and salt), readable only by the owner,
 * rewritten atomically (temporary file + rename) on every change. Changes are serialised.
 */
export function createFileUserDirectory(path: string): UserDirectory {
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  // every signed-in request looks its user up (a removed or changed user's sessions end): parse only when the file changed
  let cached: { stamp: string; users: UserRecord[] } | undefined;
  const read = async (): Promise<UserRecord[]> => {
    let stamp: string;
    try {
      const s = await stat(path);
      stamp = `${s.mtimeMs}:${s.size}:${s.ino}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new UserDirectoryError('unreadable', `${path}: ${(error as Error).message}`);
    }
    if (cached?.stamp === stamp) return cached.users;
    const users = await parse();
    cached = { stamp, users };
    return users;
  };
  const parse = async (): Promise<UserRecord[]> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new UserDirectoryError('unreadable', `${path}: ${(error as Error).message}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new UserDirectoryError('invalid', `${path}: not valid JSON`);
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UserDirectoryError('invalid', `${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
    }
    return parsed.data.users;
  };

  const write = async (users: UserRecord[]): Promise<void> => {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, `${JSON.stringify({ version: 1, users }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
      await rename(temporary, path);
      cached = undefined;
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  };

  return {
    findByName: async (name) => (await serial(read)).find((u) => u.name === name),
    list: () => serial(read),
    add: (user) =>
      serial(async () => {
        const users = await read();
        if (users.some((u) => u.name === user.name)) throw new UserDirectoryError('exists', `user ${JSON.stringify(user.name)} already exists`);
        await write([...users, userRecordSchema.parse(user)]);
      }),
    remove: (name) =>
      serial(async () => {
        const users = await read();
        const left = users.filter((u) => u.name !== name);
        if (left.length === users.length) return false;
        await write(left);
        return true;
      }),
    update: (name, change) =>
      serial(async () => {
        const users = await read();
        if (!users.some((u) => u.name === name)) return false;
        await write(users.map((u) => (u.name === name ? userRecordSchema.parse({ ...u, ...change }) : u)));
        return true;
      }),
  };
}
