/** GET /api/sites/:id/edge: the edge reading a site's devices at the depot, under `ketwin central` (204 where the server reads them itself). */
import type { EdgeStatus } from '../../../server/edge-types.ts';
import { getJsonOrNone } from './api.ts';

export type { EdgeStatus };

/** the site's edge, or null when it has none (this server reads the site's devices itself) */
export async function fetchEdge(site: string, signal?: AbortSignal): Promise<EdgeStatus | null> {
  return getJsonOrNone<EdgeStatus>(`/api/sites/${encodeURIComponent(site)}/edge`, signal);
}
