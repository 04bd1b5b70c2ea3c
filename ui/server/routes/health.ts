import type { RouteTable } from '../api/route-table.ts';
import { healthAnswer } from '../api/schemas.ts';
import type { AuthState } from '../auth/authenticate.ts';
import type { ReadinessChecks } from '../ports.ts';
import type { Logger } from 'pino';

/**
 * GET /healthz: liveness (the process answers) and readiness (every check of the ReadinessChecks ok);
 * 200 when ready, 503 when not. Details only for admins.
 */
export function healthRoutes(api: RouteTable, health: ReadinessChecks | undefined, logger: Logger): void {
  api.add(
    {
      method: 'get',
      path: '/healthz',
      tags: ['operations'],
      access: { kind: 'public' },
      summary: 'Liveness and readiness (database reachable, sources connected); 503 when not ready',
      responses: {
        200: { description: 'live and ready', schema: healthAnswer },
        503: { description: 'live but not ready', schema: healthAnswer },
      },
    },
    async ({ ctx }) => {
      let checks: { name: string; ok: boolean; detail?: string }[];
      try {
        checks = health ? await health.checks() : [];
      } catch (err) {
        logger.error({ err }, 'health checks failed');
        checks = [{ name: 'health', ok: false, detail: 'the health checks failed; see the log' }];
      }
      const admin = (ctx.state as AuthState).user?.role === 'admin' && (ctx.state as AuthState).session !== undefined;
      const ready = checks.every((c) => c.ok);
      ctx.status = ready ? 200 : 503;
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { live: true, ready, checks: checks.map((c) => (admin ? c : { name: c.name, ok: c.ok })) };
    },
  );
}
