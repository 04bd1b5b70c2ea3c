import { z } from 'zod';
import { ROLES } from '../auth/users.ts';

/** Zod schemas of inputs and of the smaller answers; they feed validation and the OpenAPI document. */
export const errorSchema = z.object({ error: z.string() }).describe('Error');

const siteId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a site id (lower-case letters, digits and -)');
export const siteParams = z.object({ id: siteId });

export const sessionUserSchema = z
  .object({ name: z.string(), role: z.enum(ROLES), sites: z.union([z.literal('*'), z.array(z.string())]) })
  .describe('User');

export const loginBody = z.strictObject({
  name: z.string({ error: 'expected a user name' }).min(1, 'must not be empty').max(64),
  password: z.string({ error: 'expected a password' }).min(1, 'must not be empty').max(1024),
});

export const sessionAnswer = z
  .object({
    user: sessionUserSchema.nullable(),
    /** echo in X-CSRF-Token on every POST/PUT/DELETE */
    csrf: z.string().nullable(),
    authentication: z.enum(['on', 'off']),
    demo: z.boolean(),
  })
  .describe('Session');

export const eventsQuery = z.strictObject({
  site: siteId.optional().or(z.literal('').transform(() => undefined)),
  /** for clients that cannot send the Last-Event-ID header */
  lastEventId: z.string().max(64).optional(),
});

const ms = (name: string) =>
  z.coerce.number({ error: `expected ${name} as milliseconds since 1970` }).int('must be a whole number of milliseconds').nonnegative();

export const seriesParams = z.object({
  id: siteId,
  point: z.string().regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'must be "<asset>.<point>"'),
});

export const seriesQuery = z
  .strictObject({ from: ms('from'), to: ms('to').optional() })
  .refine((q) => q.to === undefined || q.to > q.from, { message: 'must be after from', path: ['to'] });

export const seriesAnswer = z
  .object({
    site: z.string(),
    point: z.string(),
    from: z.number(),
    to: z.number(),
    /** true when the readings were thinned to fit */
    thinned: z.boolean(),
    points: z.array(z.object({ ts: z.number(), value: z.union([z.number(), z.boolean(), z.string(), z.null()]), quality: z.enum(['good', 'uncertain', 'bad']) })),
  })
  .describe('Series');

export const healthAnswer = z
  .object({
    live: z.boolean(),
    ready: z.boolean(),
    checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string().optional() })),
  })
  .describe('Health');

const verdictCounts = z.object({ pass: z.number(), fail: z.number(), unknown: z.number(), 'not-applicable': z.number() });

export const siteSummarySchema = z
  .object({
    id: z.string(),
    name: z.object({ zh: z.string(), en: z.string() }),
    location: z.object({ lat: z.number(), lon: z.number() }),
    score: z.number().nullable(),
    grade: z.string().nullable(),
    risk: z.enum(['red', 'orange', 'yellow', 'blue']).nullable(),
    coverage: z.number().nullable(),
    counts: verdictCounts.nullable(),
    activeAlerts: z.number(),
    standard: z.string().nullable(),
  })
  .describe('SiteSummary');

/** The site detail is large; its full shape is SiteDetail in ui/server/api-types.ts. */
export const siteDetailSchema = z
  .object({
    site: z.object({ id: z.string() }).loose(),
    score: z.object({}).loose().nullable(),
    clauses: z.array(z.object({ id: z.string() }).loose()),
    alerts: z.array(z.object({ id: z.string() }).loose()),
    values: z.record(z.string(), z.object({}).loose()),
  })
  .describe('SiteDetail');
