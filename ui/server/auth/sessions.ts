import { randomBytes } from 'node:crypto';
import type { SessionUser } from './users.ts';
import { systemClock } from '../../../model/index.ts';

export interface Session {
  id: string;
  user: SessionUser;
  /** the double-submit CSRF token: sent back in the X-CSRF-Token header on every change */
  csrf: string;
  createdAt: number;
  expiresAt: number;
  lastSeen: number;
  /** what the user record looked like at sign-in (role, sites, password, disabled): a change ends the session */
  stamp?: string;
}

export interface SessionStore {
  create(user: SessionUser, stamp?: string): Session;
  /** the live session, its idle timer renewed; undefined when unknown or expired */
  touch(id: string): Session | undefined;
  delete(id: string): void;
  /** ends every session of a user (after a password change or removal) */
  deleteUser(name: string): void;
  readonly size: number;
}

export interface SessionStoreOptions {
  /** absolute lifetime, default 12 h */
  ttlMs?: number;
  /** idle timeout, default 30 min */
  idleMs?: number;
  now?: () => number;
}

const token = (): string => randomBytes(32).toString('base64url');

/** Sessions in memory, keyed by a random id; a restart signs everyone out. */
export function createSessionStore(options: SessionStoreOptions = {}): SessionStore {
  const ttl = options.ttlMs ?? 12 * 3_600_000;
  const idle = options.idleMs ?? 30 * 60_000;
  const now = options.now ?? systemClock.now;
  const sessions = new Map<string, Session>();

  const sweep = (t: number): void => {
    for (const [id, s] of sessions) if (s.expiresAt <= t || s.lastSeen + idle <= t) sessions.delete(id);
  };

  return {
    create(user, stamp) {
      const t = now();
      if (sessions.size > 0 && sessions.size % 256 === 0) sweep(t);
      const session: Session = { id: token(), user, csrf: token(), createdAt: t, expiresAt: t + ttl, lastSeen: t };
      if (stamp !== undefined) session.stamp = stamp;
      sessions.set(session.id, session);
      return session;
    },
    touch(id) {
      const s = sessions.get(id);
      if (!s) return undefined;
      const t = now();
      if (s.expiresAt <= t || s.lastSeen + idle <= t) {
        sessions.delete(id);
        return undefined;
      }
      s.lastSeen = t;
      return s;
    },
    delete: (id) => void sessions.delete(id),
    deleteUser(name) {
      for (const [id, s] of sessions) if (s.user.name === name) sessions.delete(id);
    },
    get size() {
      return sessions.size;
    },
  };
}
