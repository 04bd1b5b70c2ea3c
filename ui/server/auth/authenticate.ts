import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { createMemorySignInLimiter, userLimitKey, type SignInLimiter, type SignInPolicy } from '../../../db/index.ts';
import { ClientError } from '../errors.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { createSessionStore, type Session, type SessionStore, type SessionStoreOptions } from './sessions.ts';
import { type PasswordHash, type SessionUser, type UserDirectory, type UserRecord, sessionUser } from './users.ts';
import { systemClock } from '../../../model/index.ts';

export const SESSION_COOKIE = 'ketwin-session';
/** set on a browser that signed in as a user: its guesses count apart, so a stranger's guesses cannot lock that user out of it */
export const DEVICE_COOKIE = 'ketwin-device';
export const CSRF_COOKIE = 'ketwin-csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** What authenticate() leaves in ctx.state. */
export interface AuthState {
  user?: SessionUser;
  session?: Session;
}

export interface AuthOptions {
  users: UserDirectory;
  sessions?: SessionStoreOptions;
  /**
   * Where sign-in attempts are counted, before any password is checked; default in memory (one
   * process). main.ts passes the database's counts (db/sign-in-limits.ts), which every process
   * shares and `ketwin user unlock` lifts.
   */
  limits?: SignInLimiter;
  /** attempts per client address per window; default 20 per 15 min, then locked 1 min, doubling */
  perAddress?: Partial<SignInPolicy>;
  /** attempts per user name (or per known browser of that user) per window; default 5 per 15 min, then locked 1 min, doubling */
  perUser?: Partial<SignInPolicy>;
  /** the login screen says demo users exist (their passwords were printed at start) */
  demo?: boolean;
  /** told of every sign-in, failed sign-in and sign-out, for the audit log; must not throw */
  audit?: (entry: { actor: string; action: 'login' | 'login.failed' | 'logout'; subject: string; details?: Record<string, unknown> }) => void;
  /** mark cookies Secure even on plain HTTP behind a TLS-terminating proxy; default: only on HTTPS requests */
  secureCookies?: boolean;
  now?: () => number;
}

export interface Auth {
  readonly enabled: boolean;
  readonly demo: boolean;
  readonly sessions: SessionStore;
  /** resolves the session cookie into ctx.state.user; never rejects a request by itself */
  middleware: Middleware;
  login(ctx: Context, name: string, password: string): Promise<Session>;
  logout(ctx: Context): void;
  /** ends the session (false) when its user was removed, disabled, or their role, sites or password changed */
  revalidate(session: Session): Promise<boolean>;
}

/** Without auth options every caller is this user; the server logs a warning. For development only. */
export const OPEN_USER: SessionUser = { name: 'anonymous', role: 'admin', sites: '*' };

export function createAuth(options: AuthOptions | undefined): Auth {
  const sessions = createSessionStore({ ...options?.sessions, now: options?.sessions?.now ?? options?.now });
  if (!options) {
    return {
      enabled: false,
      demo: false,
      sessions,
      middleware: async (ctx, next) => {
        (ctx.state as AuthState).user = OPEN_USER;
        await next();
      },
      login: async () => {
        throw new ClientError(404, 'not-found', 'authentication is off on this server');
      },
      logout: () => undefined,
      revalidate: async () => true,
    };
  }
  const window = 15 * 60_000;
  const lock = { lockMs: 60_000, maxLockMs: 24 * 3_600_000 };
  const byAddress: SignInPolicy = { limit: 20, windowMs: window, ...lock, ...options.perAddress };
  const byUser: SignInPolicy = { limit: 5, windowMs: window, ...lock, ...options.perUser };
  const limits = options.limits ?? createMemorySignInLimiter();
  const now = options.now ?? systemClock.now;
  let decoy: Promise<PasswordHash> | undefined;

  const cookieOptions = (ctx: Context) => ({
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: ctx.secure || options.secureCookies === true,
    signed: true,
    path: '/',
    overwrite: true,
  });

  /** the browser's own key for this user, when it signed in as them before */
  const deviceKey = (ctx: Context, userKey: string): string | undefined => {
    const value = ctx.cookies.get(DEVICE_COOKIE, { signed: true });
    const [user, token] = value?.split(' ') ?? [];
    return user === encodeURIComponent(userKey) && token ? `device:${token}` : undefined;
  };
  const refuse = (retryAfterMs: number): never => {
    throw new ClientError(429, 'rate-limited', `too many failed sign-ins; try again in ${Math.ceil(retryAfterMs / 1000)} s`, {
      'Retry-After': String(Math.ceil(retryAfterMs / 1000)),
    });
  };

  /** a session ends when its user is removed or disabled, or their role, sites or password change */
  const stillValid = async (session: Session): Promise<boolean> => {
    const record = await options.users.findByName(session.user.name);
    if (record && record.disabled !== true && stampOf(record) === session.stamp) return true;
    sessions.delete(session.id);
    return false;
  };
  return {
    enabled: true,
    demo: options.demo === true,
    sessions,
    middleware: async (ctx, next) => {
      const id = ctx.cookies.get(SESSION_COOKIE, { signed: true });
      const session = id ? sessions.touch(id) : undefined;
      if (session && (await stillValid(session))) Object.assign(ctx.state as AuthState, { session, user: session.user });
      await next();
    },
    async login(ctx, name, password) {
      const address = ctx.ip || 'unknown';
      const userKey = userLimitKey(name);
      const ownKey = deviceKey(ctx, userKey) ?? userKey;
      // counted before the slow password check, each in one atomic step: concurrent guesses cannot
      // all pass a count that none of them has written yet
      for (const [key, policy] of [
        [`address:${address}`, byAddress],
        [ownKey, byUser],
      ] as const) {
        const decision = await limits.attempt(key, policy, now());
        // (refusals are not audited: a flood of them would only flood the log)
        if (!decision.allowed) refuse(decision.retryAfterMs);
      }
      const record = await options.users.findByName(name);
      decoy ??= hashPassword(randomBytes(16).toString('hex'));
      // a missing user costs the same scrypt work as a wrong password
      const ok = await verifyPassword(password, record?.password ?? (await decoy));
      if (!record || !ok || record.disabled === true) {
        options.audit?.({ actor: name, action: 'login.failed', subject: name, details: { address, ...(record?.disabled ? { disabled: true } : {}) } });
        throw new ClientError(401, 'unauthenticated', 'wrong user name or password');
      }
      await limits.reset(ownKey);
      await limits.reset(userKey);
      await limits.refund(`address:${address}`);
      const previous = ctx.cookies.get(SESSION_COOKIE, { signed: true });
      if (previous) sessions.delete(previous); // a new id at every sign-in: no session fixation
      const session = sessions.create(sessionUser(record), stampOf(record));
      ctx.cookies.set(SESSION_COOKIE, session.id, cookieOptions(ctx));
      ctx.cookies.set(CSRF_COOKIE, session.csrf, { ...cookieOptions(ctx), httpOnly: false, signed: false });
      ctx.cookies.set(DEVICE_COOKIE, `${encodeURIComponent(userKey)} ${randomBytes(16).toString('base64url')}`, { ...cookieOptions(ctx), maxAge: 180 * 24 * 3_600_000 });
      options.audit?.({ actor: record.name, action: 'login', subject: record.name, details: { address, role: record.role } });
      return session;
    },
    revalidate: stillValid,
    logout(ctx) {
      const id = ctx.cookies.get(SESSION_COOKIE, { signed: true });
      const user = (ctx.state as AuthState).user;
      if (id) sessions.delete(id);
      if (user) options.audit?.({ actor: user.name, action: 'logout', subject: user.name });
      ctx.cookies.set(SESSION_COOKIE, null, cookieOptions(ctx));
      ctx.cookies.set(CSRF_COOKIE, null, { ...cookieOptions(ctx), httpOnly: false, signed: false });
    },
  };
}

/** What a session depends on in its user's record. */
function stampOf(record: UserRecord): string {
  const sites = record.sites === '*' ? '*' : [...record.sites].sort();
  return createHash('sha256')
    .update(JSON.stringify([record.role, sites, record.password.hash, record.disabled === true]))
    .digest('base64url');
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for every state-changing request: an Origin (or Referer) from elsewhere is refused,
 * and a signed-in caller must echo the session's token in the X-CSRF-Token header.
 * Session cookies are also SameSite=Strict, and bodies must be JSON (which a plain form cannot send).
 */
export function csrfGuard(trustedOrigins: readonly string[] = []): Middleware {
  return async (ctx, next) => {
    if (SAFE.has(ctx.method)) return next();
    const origin = ctx.get('origin') || originOf(ctx.get('referer'));
    const own = `${ctx.protocol}://${ctx.host}`; // (koa 3's ctx.origin echoes the Origin header)
    if (origin && origin !== own && !trustedOrigins.includes(origin)) {
      throw new ClientError(403, 'csrf', `cross-site request refused (origin ${origin})`);
    }
    const { session } = ctx.state as AuthState;
    if (session) {
      const sent = Buffer.from(ctx.get(CSRF_HEADER));
      const expected = Buffer.from(session.csrf);
      if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
        throw new ClientError(403, 'csrf', `missing or wrong ${CSRF_HEADER} header`);
      }
    }
    return next();
  };
}

function originOf(referer: string): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'null';
  }
}
