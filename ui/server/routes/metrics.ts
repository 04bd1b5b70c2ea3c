import { timingSafeEqual } from 'node:crypto';
import type { Registry } from 'prom-client';
import type { RouteTable } from '../api/route-table.ts';
import { errorSchema } from '../api/schemas.ts';
import type { AuthState } from '../auth/authenticate.ts';
import { ClientError } from '../errors.ts';

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** GET /metrics in Prometheus text format, for a scraper with the bearer token or a signed-in admin. */
export function metricsRoutes(api: RouteTable, registry: Registry, token: string | undefined): void {
  api.add(
    {
      method: 'get',
      path: '/metrics',
      tags: ['operations'],
      access: { kind: 'public' },
      summary: 'Prometheus metrics: scores, verdicts, alarms, samples, buffer depths, DB lag. Bearer token or admin session',
      responses: {
        200: { description: 'metrics', contentType: 'text/plain; version=0.0.4' },
        401: { description: 'no or wrong bearer token, and not signed in', schema: errorSchema },
        403: { description: 'signed in, but not an admin', schema: errorSchema },
      },
    },
    async ({ ctx }) => {
      const bearer = /^Bearer (.+)$/i.exec(ctx.get('authorization'))?.[1];
      const byToken = token !== undefined && bearer !== undefined && same(bearer, token);
      if (!byToken) {
        const { user, session } = ctx.state as AuthState;
        if (bearer !== undefined || !user || !session) {
          ctx.set('WWW-Authenticate', 'Bearer realm="ketwin metrics"');
          throw new ClientError(401, 'unauthenticated', bearer === undefined ? 'give the metrics bearer token, or sign in as an admin' : 'wrong bearer token');
        }
        if (user.role !== 'admin') throw new ClientError(403, 'forbidden', 'only admins may read the metrics');
      }
      ctx.type = registry.contentType;
      ctx.body = await registry.metrics();
    },
  );
}
