import { Router } from '@koa/router';
import type { Context } from 'koa';
import type { z } from 'zod';
import { may, type Permission } from '../auth/access.ts';
import type { AuthState } from '../auth/authenticate.ts';
import type { SessionUser } from '../auth/users.ts';
import { ClientError } from '../errors.ts';
import { readJsonBody } from './json-body.ts';
import { refuseBadText } from './text-check.ts';
import { validate } from './validate.ts';

export type Method = 'get' | 'post' | 'put' | 'delete';

/** Who may call a route. `site` names the site the call is about, from the validated input. */
export type Access<I> =
  { kind: 'public' } | { kind: 'signed-in' } | { kind: 'permission'; permission: Permission | readonly Permission[]; site?: (input: I) => string | undefined };

export interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
  /** default application/json */
  contentType?: string;
}

type Maybe = z.ZodType | undefined;
type Out<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface RouteInput<P extends Maybe, Q extends Maybe, B extends Maybe> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
}

export interface HandlerContext<P extends Maybe, Q extends Maybe, B extends Maybe> extends RouteInput<P, Q, B> {
  ctx: Context;
  /** the caller; undefined only on public routes */
  user: SessionUser | undefined;
}

export interface RouteSpec<P extends Maybe = Maybe, Q extends Maybe = Maybe, B extends Maybe = Maybe> {
  method: Method;
  /** koa form: /api/sites/:id */
  path: string;
  summary: string;
  tags: string[];
  access: Access<RouteInput<P, Q, B>>;
  params?: P;
  query?: Q;
  body?: B;
  responses: Record<number, ResponseDoc>;
  /** whether the site named by access.site must exist (404) — checked after access */
  siteExists?: (site: string) => boolean;
}

export interface RouteDoc {
  method: Method;
  path: string;
  summary: string;
  tags: string[];
  access: { kind: Access<never>['kind']; permission?: Permission | readonly Permission[] };
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  responses: Record<number, ResponseDoc>;
}

/**
 * One place where every /api route gets the same treatment, in this order: authentication (401),
 * role (403), text that cannot be stored (NUL, lone surrogates: 400 naming the field), validation of
 * path, query and body (400 naming the field), site binding (403),
 * then the handler. Each route is recorded for the OpenAPI document.
 */
export interface RouteTable {
  add<P extends Maybe = undefined, Q extends Maybe = undefined, B extends Maybe = undefined>(spec: RouteSpec<P, Q, B>, handler: (input: HandlerContext<P, Q, B>) => unknown): void;
  readonly routes: readonly RouteDoc[];
  readonly router: Router;
}

export function createRouteTable(): RouteTable {
  const router = new Router();
  const routes: RouteDoc[] = [];
  return {
    add<P extends Maybe, Q extends Maybe, B extends Maybe>(spec: RouteSpec<P, Q, B>, handler: (input: HandlerContext<P, Q, B>) => unknown) {
      routes.push(spec as unknown as RouteDoc);
      router[spec.method](spec.path, async (ctx: Context) => {
        const { user } = ctx.state as AuthState;
        if (spec.access.kind !== 'public') {
          if (!user) throw new ClientError(401, 'unauthenticated', 'sign in first');
          if (spec.access.kind === 'permission' && !mayAny(user, spec.access.permission)) {
            throw new ClientError(403, 'forbidden', `the ${user.role} role may not ${describe(spec.access.permission)}`);
          }
        }
        // text that no column can hold (NUL, lone surrogates) is refused here, naming the field, before
        // it can reach a writer lane — whatever the route's own schema says
        refuseBadText(ctx.params, 'path');
        refuseBadText(ctx.query, 'query');
        const rawBody = spec.body ? await readJsonBody(ctx) : undefined;
        refuseBadText(rawBody, 'body');
        const input = {
          params: spec.params ? validate(spec.params, ctx.params, 'path') : undefined,
          query: spec.query ? validate(spec.query, ctx.query, 'query') : undefined,
          body: spec.body ? validate(spec.body, rawBody, 'body') : undefined,
        } as RouteInput<P, Q, B>;
        if (spec.access.kind === 'permission' && user) {
          const site = spec.access.site?.(input);
          if (site !== undefined && !mayAny(user, spec.access.permission, site)) {
            throw new ClientError(403, 'forbidden', `no access to site ${JSON.stringify(site)}`);
          }
          if (site !== undefined && spec.siteExists && !spec.siteExists(site)) {
            throw new ClientError(404, 'not-found', `unknown site ${JSON.stringify(site)}`);
          }
        }
        await handler({ ...input, ctx, user });
      });
    },
    routes,
    router,
  };
}

/** a route open to several permissions (respond: rescue teams and managers) admits whoever holds one of them */
function mayAny(user: SessionUser, permission: Permission | readonly Permission[], site?: string): boolean {
  return (typeof permission === 'string' ? [permission] : permission).some((p) => may(user, p, site));
}

function describe(permission: Permission | readonly Permission[]): string {
  if (typeof permission !== 'string') return permission.map(describe).join(' or ');
  switch (permission) {
    case 'read':
      return 'read site data';
    case 'operate':
      return 'operate alarms or enter evidence';
    case 'respond':
      return 'respond to incidents';
    case 'audit':
      return 're-score history';
    case 'exercise':
      return 'run exercises';
    case 'admin':
      return 'administer the system';
  }
}
