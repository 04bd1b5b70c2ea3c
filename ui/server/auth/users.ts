import { z } from 'zod';

export const ROLES = ['manager', 'auditor', 'rescue', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The sites a user may see: a list of site ids, or every site. */
export type SiteBinding = string[] | '*';

/** What the server knows about a signed-in user; never carries the password hash. */
export interface SessionUser {
  name: string;
  role: Role;
  sites: SiteBinding;
}

/** A stored user: the scrypt hash of the password and its parameters. */
export interface UserRecord extends SessionUser {
  password: PasswordHash;
  createdAt: number;
  /** a disabled user cannot sign in, and their open sessions end */
  disabled?: boolean;
}

/** What an administrator may change on a user; any change ends the user's open sessions. */
export type UserChange = Partial<Pick<UserRecord, 'role' | 'sites' | 'disabled' | 'password'>>;

export interface PasswordHash {
  algorithm: 'scrypt';
  /** base64 */
  salt: string;
  /** base64 */
  hash: string;
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

/** Where users come from: a JSON file today (createFileUserDirectory), a database table later. */
export interface UserDirectory {
  findByName(name: string): Promise<UserRecord | undefined>;
  list(): Promise<UserRecord[]>;
  /** adds a user; rejects with UserDirectoryError code 'exists' if the name is taken */
  add(user: UserRecord): Promise<void>;
  /** removes a user; false if there was none */
  remove(name: string): Promise<boolean>;
  /** changes a user; false if there was none */
  update(name: string, change: UserChange): Promise<boolean>;
}

export type UserDirectoryErrorCode = 'exists' | 'invalid' | 'unreadable';

export class UserDirectoryError extends Error {
  override readonly name = 'UserDirectoryError';
  constructor(
    readonly code: UserDirectoryErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const userNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[\p{L}\p{N}._@-]+$/u, 'may only hold letters, digits and . _ @ -');

export const siteBindingSchema = z.union([z.literal('*'), z.array(z.string().min(1)).min(1, 'must name at least one site')]);

const passwordHashSchema = z.strictObject({
  algorithm: z.literal('scrypt'),
  salt: z.string().min(1),
  hash: z.string().min(1),
  N: z.number().int().positive(),
  r: z.number().int().positive(),
  p: z.number().int().positive(),
  keyLength: z.number().int().positive(),
});

export const userRecordSchema = z.strictObject({
  name: userNameSchema,
  role: z.enum(ROLES),
  sites: siteBindingSchema,
  password: passwordHashSchema,
  createdAt: z.number(),
  disabled: z.boolean().optional(),
});

/** The public part of a record. */
export function sessionUser(record: SessionUser): SessionUser {
  return { name: record.name, role: record.role, sites: record.sites === '*' ? '*' : [...record.sites] };
}

/** An in-memory directory, for tests and for a db-less demo. */
export function createMemoryUserDirectory(initial: UserRecord[] = []): UserDirectory {
  const users = new Map(initial.map((u) => [u.name, u]));
  return {
    findByName: async (name) => users.get(name),
    list: async () => [...users.values()],
    async add(user) {
      if (users.has(user.name)) throw new UserDirectoryError('exists', `user ${JSON.stringify(user.name)} already exists`);
      users.set(user.name, user);
    },
    remove: async (name) => users.delete(name),
    async update(name, change) {
      const user = users.get(name);
      if (!user) return false;
      users.set(name, { ...user, ...change });
      return true;
    },
  };
}
