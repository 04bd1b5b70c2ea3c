import { Router } from '@koa/router';
import { ClientError } from '../errors.ts';
import type { LiveView } from '../live-view.ts';
import { findSite, listSites, siteDetail } from '../site-views.ts';

/** GET /api/sites and GET /api/sites/:id */
export function sitesRoutes(live: LiveView): Router {
  const router = new Router({ prefix: '/api/sites' });
  router.get('/', (ctx) => {
    ctx.body = listSites(live);
  });
  router.get('/:id', (ctx) => {
    const id = ctx.params['id'] ?? '';
    const site = findSite(live, id);
    if (!site) throw new ClientError(404, 'not-found', `unknown site ${JSON.stringify(id)}`);
    ctx.body = siteDetail(live, site);
  });
  return router;
}
