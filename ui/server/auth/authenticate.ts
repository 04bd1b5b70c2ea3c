import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { ClientError } from '../errors.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { createRateLimiter, type RateLimiter } from './rate-limit.ts';
import { createSessionStore, type Session, type SessionStore, type SessionStoreOptions } from './sessions.ts';
import { type PasswordHash, type SessionUser, type UserDirectory, sessionUser } from './users.ts';

export const SESSION_COOKIE = 'ketwin-session';
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
  /** failed logins allowed per client address per window; default 20 per 15 min */
  perAddress?: { limit: number; windowMs: number };
  /** failed logins allowed per user name per window; default 5 per 15 min */
  perUser?: { limit: number; windowMs: number };
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
      login: async () => { throw new ClientError(404, 'not-found', 'authentication is off on this server'); },
      logout: () => undefined,
    };
  }
  const window = 15 * 60_000;
  const byAddress: RateLimiter = createRateLimiter({ limit: 20, windowMs: window, ...options.perAddress, now: options.now });
  const byUser: RateLimiter = createRateLimiter({ limit: 5, windowMs: window, ...options.perUser, now: options.now });
  let decoy: Promise<PasswordHash> | undefined;

  const cookieOptions = (ctx: Context) => ({
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: ctx.secure || options.secureCookies === true,
    signed: true,
    path: '/',
    overwrite: true,
  });

  const refuse = (retryAfterMs: number): never => {
    throw new ClientError(429, 'rate-limited', `too many failed sign-ins; try again in ${Math.ceil(retryAfterMs / 1000)} s`, {
      'Retry-After': String(Math.ceil(retryAfterMs / 1000)),
    });
  };

  return {
    enabled: true,
    demo: options.demo === true,
    sessions,
    middleware: async (ctx, next) => {
      const id = ctx.cookies.get(SESSION_COOKIE, { signed: true });
      const session = id ? sessions.touch(id) : undefined;
      if (session) Object.assign(ctx.state as AuthState, { session, user: session.user });
      await next();
    },
    async login(ctx, name, password) {
      const address = ctx.ip || 'unknown';
      const userKey = name.normalize('NFC').toLowerCase();
      for (const limiter of [byAddress.check(address), byUser.check(userKey)]) if (!limiter.allowed) refuse(limiter.retryAfterMs);
      const record = await options.users.findByName(name);
      decoy ??= hashPassword(randomBytes(16).toString('hex'));
      // a missing user costs the same scrypt work as a wrong password
      const ok = await verifyPassword(password, record?.password ?? (await decoy));
      if (!record || !ok) {
        byAddress.hit(address);
        byUser.hit(userKey);
        options.audit?.({ actor: name, action: 'login.failed', subject: name, details: { address } });
        throw new ClientError(401, 'unauthenticated', 'wrong user name or password');
      }
      byUser.reset(userKey);
      const previous = ctx.cookies.get(SESSION_COOKIE, { signed: true });
      if (previous) sessions.delete(previous); // a new id at every sign-in: no session fixation
      const session = sessions.create(sessionUser(record));
      ctx.cookies.set(SESSION_COOKIE, session.id, cookieOptions(ctx));
      ctx.cookies.set(CSRF_COOKIE, session.csrf, { ...cookieOptions(ctx), httpOnly: false, signed: false });
      options.audit?.({ actor: record.name, action: 'login', subject: record.name, details: { address, role: record.role } });
      return session;
    },
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
