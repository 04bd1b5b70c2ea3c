import type { RouteTable } from '../api/route-table.ts';
import { ClientError } from '../errors.ts';
import { errorSchema, standardParams, standardSchema } from '../api/schemas.ts';
import type { StandardSummary } from '../api-types.ts';
import type { StandardTable } from '../ports.ts';
import { z } from 'zod';

/** GET /api/standards and /api/standards/:key/clauses.md — the clause table of each loaded standard. */
export function standardsRoutes(api: RouteTable, standards: readonly StandardTable[]): void {
  api.add(
    {
      method: 'get',
      path: '/api/standards',
      tags: ['standards'],
      access: { kind: 'signed-in' },
      summary: 'The standards this server scores against',
      responses: { 200: { description: 'their keys and titles', schema: z.array(standardSchema) }, 401: { description: 'not signed in', schema: errorSchema } },
    },
    ({ ctx }) => {
      ctx.body = standards.map(({ key, title }): StandardSummary => (title ? { key, title } : { key }));
    },
  );
  api.add(
    {
      method: 'get',
      path: '/api/standards/:key/clauses.md',
      tags: ['standards'],
      params: standardParams,
      access: { kind: 'signed-in' },
      summary: 'The clause table of one standard, as Markdown (generated from its YAML)',
      responses: {
        200: { description: 'Markdown', contentType: 'text/markdown' },
        400: { description: 'a malformed key', schema: errorSchema },
        401: { description: 'not signed in', schema: errorSchema },
        404: { description: 'no such standard', schema: errorSchema },
      },
    },
    ({ ctx, params }) => {
      const found = standards.find((s) => s.key === params.key);
      if (!found) throw new ClientError(404, 'not-found', `no standard ${JSON.stringify(params.key)}`);
      ctx.type = 'text/markdown; charset=utf-8';
      ctx.body = found.markdown;
    },
  );
}
