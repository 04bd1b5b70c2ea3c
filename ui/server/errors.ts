import type { Middleware } from 'koa';
import type { Logger } from 'pino';

interface HttpLikeError {
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  message?: unknown;
}

/**
 * The one error path: 4xx errors show their message to the client as { error },
 * anything else becomes a bare 500 { error: 'Internal Server Error' } and the details go to the log.
 */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.respond !== false && ctx.status === 404 && ctx.body === undefined && ctx.path.startsWith('/api')) {
        ctx.status = 404;
        ctx.body = { error: `no such resource: ${ctx.method} ${ctx.path}` };
      }
    } catch (err) {
      const e = (err ?? {}) as HttpLikeError;
      const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 500;
      if (status >= 400 && status < 500) {
        ctx.status = status;
        if (err instanceof ClientError) ctx.set(err.headers);
        ctx.body = { error: typeof e.message === 'string' && e.message ? e.message : 'Bad Request' };
        logger.debug({ status, path: ctx.path, err }, 'client error');
      } else {
        ctx.status = 500;
        ctx.body = { error: 'Internal Server Error' };
        logger.error({ err, method: ctx.method, path: ctx.path }, 'request failed');
      }
    }
  };
}

export type ClientErrorCode =
  | 'not-found'
  | 'bad-request'
  | 'not-built'
  | 'unauthenticated'
  | 'forbidden'
  | 'csrf'
  | 'unsupported-media-type'
  | 'payload-too-large'
  | 'rate-limited'
  | 'method-not-allowed'
  | 'conflict'
  // the daily safety commitment: 'all normal' while something stands, the day signed already, a signer not named for the site
  | 'not-normal'
  | 'already-signed'
  | 'not-responsible';

export type ClientErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 429;

/** A request the client got wrong or may not make; its message is shown to the client. */
export class ClientError extends Error {
  override readonly name = 'ClientError';
  readonly expose = true;
  constructor(
    readonly status: ClientErrorStatus,
    readonly code: ClientErrorCode,
    message: string,
    /** response headers to add, e.g. Retry-After */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
