import { z } from 'zod';
import type { RouteDoc } from './route-table.ts';

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

/** path and query parameters from an object schema */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const json = toSchema(schema, 'input');
  const properties = (json['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json['required'] ?? []) as string[]);
  return Object.entries(properties).map(([name, s]) => ({ name, in: where, required: where === 'path' || required.has(name), schema: s }));
}

/** The OpenAPI 3.1 document of the routes in the table, from the same zod schemas that validate them. */
export function openApiDocument(routes: readonly RouteDoc[], info: { title: string; version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    const responses: Record<string, JsonSchema> = {};
    for (const [status, doc] of Object.entries(route.responses)) {
      responses[status] =
        doc.schema || doc.contentType
          ? { description: doc.description, content: { [doc.contentType ?? 'application/json']: doc.schema ? { schema: toSchema(doc.schema, 'output') } : {} } }
          : { description: doc.description };
    }
    const security = route.access.kind === 'public' ? [] : [{ session: [] }];
    (paths[path] ??= {})[route.method] = {
      summary: route.summary,
      tags: route.tags,
      operationId: `${route.method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(route.body, 'input') } } } } : {}),
      responses,
      security,
      ...(route.access.kind === 'permission' ? { 'x-permission': route.access.permission } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      ...info,
      description: 'ketwin: live compliance and risk of oil depots. Sign in with POST /api/session; send the X-CSRF-Token header from the session on every POST, PUT and DELETE.',
    },
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'ketwin-session' },
        metricsToken: { type: 'http', scheme: 'bearer' },
      },
    },
  };
}
