import type { Auth, AuthState } from '../auth/authenticate.ts';
import type { RouteTable } from '../api/route-table.ts';
import { errorSchema, loginBody, sessionAnswer } from '../api/schemas.ts';

const answer = (auth: Auth, state: AuthState) => ({
  user: state.user ?? null,
  csrf: state.session?.csrf ?? null,
  authentication: auth.enabled ? ('on' as const) : ('off' as const),
  demo: auth.demo,
});

/** POST /api/session signs in, GET /api/session says who is signed in, DELETE /api/session signs out. */
export function sessionRoutes(api: RouteTable, auth: Auth): void {
  api.add(
    {
      method: 'get',
      path: '/api/session',
      tags: ['session'],
      access: { kind: 'public' },
      summary: 'Who is signed in (user null if nobody), the CSRF token, and whether demo users exist',
      responses: { 200: { description: 'the session', schema: sessionAnswer } },
    },
    ({ ctx }) => {
      ctx.body = answer(auth, ctx.state as AuthState);
    },
  );
  api.add(
    {
      method: 'post',
      path: '/api/session',
      tags: ['session'],
      access: { kind: 'public' },
      body: loginBody,
      summary: 'Sign in with user name and password; sets an HTTP-only session cookie',
      responses: {
        200: { description: 'signed in', schema: sessionAnswer },
        400: { description: 'a field is missing or malformed', schema: errorSchema },
        401: { description: 'wrong user name or password', schema: errorSchema },
        429: { description: 'too many failed attempts from this address or for this user', schema: errorSchema },
      },
    },
    async ({ ctx, body }) => {
      const session = await auth.login(ctx, body.name, body.password);
      ctx.body = answer(auth, { session, user: session.user });
    },
  );
  api.add(
    {
      method: 'delete',
      path: '/api/session',
      tags: ['session'],
      access: { kind: 'signed-in' },
      summary: 'Sign out: ends the session and clears its cookies',
      responses: { 204: { description: 'signed out' }, 401: { description: 'not signed in', schema: errorSchema } },
    },
    ({ ctx }) => {
      auth.logout(ctx);
      ctx.status = 204;
    },
  );
}
