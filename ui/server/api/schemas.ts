import { z } from 'zod';
import { ROLES } from '../auth/users.ts';
import { ALERT_STATES, GATE_ROLES, QUALITIES, RESPONSE_STATUSES, RISK_COLOURS, ROAD_KINDS, STREAM_MODES, VERDICTS } from '../../../model/index.ts';

/** Zod schemas of inputs and of the smaller answers; they feed validation and the OpenAPI document. */
export const errorSchema = z.object({ error: z.string() }).describe('Error');

const siteId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a site id (lower-case letters, digits and -)');
export const siteParams = z.object({ id: siteId });

export const sessionUserSchema = z.object({ name: z.string(), role: z.enum(ROLES), sites: z.union([z.literal('*'), z.array(z.string())]) }).describe('User');

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
  /** light: what the rescue page needs on a phone (risk, alerts and incidents, verdicts, the weather stations' readings) */
  mode: z.enum(STREAM_MODES).optional(),
  /** for clients that cannot send the Last-Event-ID header */
  lastEventId: z.string().max(64).optional(),
});

/** The instants every date parameter accepts: 1970-01-01T00:00:00Z … 9999-12-31T23:59:59.999Z. */
export const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const RANGE = 'must be a date between 1970-01-01 and 9999-12-31';

/** A date parameter in a query string: milliseconds since 1970, or an ISO 8601 date or date-time; 1970 … 9999. */
export const ms = (name: string) =>
  z
    .union(
      [
        z
          .string()
          .regex(/^-?\d+$/)
          .transform(Number),
        z.iso.datetime({ offset: true, local: true }).transform((t) => Date.parse(t)),
        z.iso.date().transform((t) => Date.parse(`${t}T00:00:00Z`)),
      ],
      { error: `expected ${name} as milliseconds since 1970 or an ISO 8601 date-time` },
    )
    .refine((t) => Number.isSafeInteger(t) && t >= 0 && t <= MAX_MS, RANGE);

export const seriesParams = z.object({
  id: siteId,
  point: z.string().regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'must be "<asset>.<point>"'),
});

export const seriesQuery = z
  .strictObject({ from: ms('from'), to: ms('to').optional() })
  .refine((q) => q.to === undefined || q.to > q.from, { message: 'must be after from', path: ['to'] });

export const periodQuery = z.strictObject({ from: ms('from'), to: ms('to') }).refine((q) => q.to > q.from, { message: 'must be after from', path: ['to'] });

export const seriesAnswer = z
  .object({
    site: z.string(),
    point: z.string(),
    from: z.number(),
    to: z.number(),
    /** true when the readings were thinned to fit */
    thinned: z.boolean(),
    points: z.array(z.object({ ts: z.number(), value: z.union([z.number(), z.boolean(), z.string(), z.null()]), quality: z.enum(QUALITIES) })),
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
    /** live risk: the worst of compliance (held while data is lost), open incidents and comms loss on safety-critical points */
    risk: z.enum(RISK_COLOURS).nullable(),
    riskReason: z.object({ zh: z.string(), en: z.string() }).nullable(),
    /** the colour from compliance alone, shown beside the live risk, never instead of it */
    complianceRisk: z.enum(RISK_COLOURS).nullable(),
    coverage: z.number().nullable(),
    counts: verdictCounts.nullable(),
    activeAlerts: z.number(),
    standard: z.string().nullable(),
    /** the day's online rate of the safety-critical points as the twin measured it; null: not measured yet */
    onlineRate: z.object({ rate: z.number(), date: z.string(), observedHours: z.number().nullable(), verdict: z.enum(VERDICTS), clause: z.string() }).nullable(),
    /** under ketwin central: the site's edge as its last health beat said; absent where the server reads the devices itself */
    edge: z
      .object({
        silent: z.boolean(),
        heardAt: z.number().optional(),
        link: z.enum(['up', 'down']).optional(),
        backlog: z.object({ samples: z.number(), onDisk: z.number(), dropped: z.number() }).partial().optional(),
      })
      .optional(),
  })
  .describe('SiteSummary');

/** The site detail is large; its full shape is SiteDetail in ui/server/api-types.ts. */
export const siteDetailSchema = z
  .object({
    site: z
      .object({
        id: z.string(),
        plan: z
          .object({
            width: z.number(),
            height: z.number(),
            roads: z
              .array(z.object({ id: z.string(), kind: z.enum(ROAD_KINDS), width: z.number(), points: z.array(z.object({ x: z.number(), y: z.number() })) }).loose())
              .describe('roads as polylines on the plan, metres; width of the carriageway'),
            gates: z
              .array(z.object({ id: z.string(), role: z.enum(GATE_ROLES), position: z.object({ x: z.number(), y: z.number() }) }).loose())
              .describe('openings in the perimeter wall'),
          })
          .loose()
          .describe('site plan extent in metres, x east, y north'),
      })
      .loose(),
    score: z.object({}).loose().nullable(),
    clauses: z.array(z.object({ id: z.string() }).loose()),
    alerts: z.array(z.object({ id: z.string() }).loose()),
    values: z.record(z.string(), z.object({}).loose()),
  })
  .describe('SiteDetail');

// ---- the auditor's and the manager's record-keeping routes ----

export const asOfQuery = z.strictObject({ at: ms('at') });

const clauseId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'must be a clause id (letters, digits, ".", "-", "_")');
const subjectId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be an asset id or the site id');

export const clauseParams = z.object({ id: siteId, clause: clauseId });
export const clauseHistoryQuery = z.strictObject({ subject: subjectId });

export const compareQuery = z.strictObject({
  sites: z
    .string({ error: 'expected sites as a comma-separated list of site ids' })
    .transform((s) => [
      ...new Set(
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(siteId).min(2, 'name at least two sites').max(12, 'compare at most 12 sites')),
  at: ms('at').optional(),
});

export const reportQuery = z.strictObject({ at: ms('at').optional() });
export const signatureParams = z.object({ digest: z.string().regex(/^[0-9a-f]{64}$/, "must be the report's SHA-256 in lower-case hex") });

/** ms since 1970 (a number, or digits in a query string), or an ISO 8601 date or date-time; 1970 … 9999 */
const instant = (name: string) =>
  z
    .union(
      [
        z.number().int(),
        z
          .string()
          .regex(/^\d{1,16}$/)
          .transform(Number),
        z.iso.datetime({ offset: true, local: true }).transform((s) => Date.parse(s)),
        z.iso.date().transform((s) => Date.parse(`${s}T00:00:00Z`)),
      ],
      { error: `expected ${name} as milliseconds since 1970 or an ISO 8601 date-time` },
    )
    .refine((t) => Number.isFinite(t) && t >= 0 && t <= MAX_MS, RANGE);

export const inspectionBody = z
  .strictObject({
    kind: z.string({ error: 'expected a kind such as drill, siren-test, inspection' }).regex(/^[a-z][a-z0-9-]{0,63}$/, 'must be kebab-case (drill, siren-test, inspection, …)'),
    /** an asset id, or the site id for site-wide records */
    subject: subjectId,
    doneAt: instant('doneAt'),
    by: z.string({ error: 'expected who did it' }).trim().min(1, 'must not be empty').max(120),
    validUntil: instant('validUntil').optional(),
    reference: z.string().trim().min(1).max(200).optional(),
    notes: z.string().max(2000).optional(),
  })
  .refine((b) => b.validUntil === undefined || b.validUntil > b.doneAt, { message: 'must be after doneAt', path: ['validUntil'] })
  .describe('InspectionInput');

export const inspectionSchema = z
  .object({
    site: z.string(),
    kind: z.string(),
    subject: z.string(),
    doneAt: z.number(),
    by: z.string(),
    validUntil: z.number().optional(),
    reference: z.string().optional(),
    notes: z.string().optional(),
    version: z.number().int().positive().optional().describe('1 for the first upload under (kind, subject, doneAt), then 2, 3, …'),
    recordedBy: z.string().optional(),
    recordedAt: z.number().optional(),
    hash: z.string().optional().describe('sha256 (hex) of the record content'),
    /** recorded through ketwin, or part of the site definition file */
    source: z.enum(['recorded', 'site-file']),
  })
  .describe('Inspection');

export const evidenceVersionsQuery = z.strictObject({
  kind: z.string({ error: 'expected the record kind' }).regex(/^[a-z][a-z0-9-]{0,63}$/, 'must be kebab-case (drill, siren-test, inspection, …)'),
  subject: subjectId,
  doneAt: instant('doneAt'),
});

export const standardParams = z.object({ key: z.string().regex(/^[a-z][a-z0-9-]*@\d+\.\d+\.\d+$/, 'must be "<standard id>@<version>"') });
export const standardSchema = z.object({ key: z.string(), title: z.object({ zh: z.string(), en: z.string() }).optional() }).describe('Standard');

export const asOfAnswer = z
  .object({
    site: z.string(),
    at: z.number(),
    score: z.object({}).loose().nullable(),
    standards: z.array(z.string()),
    clauses: z.array(z.object({ id: z.string() }).loose()),
  })
  .describe('SiteAsOf');

export const clauseHistoryAnswer = z
  .object({
    site: z.string(),
    clause: z.string(),
    subject: z.string(),
    now: z.number(),
    history: z.array(z.object({ verdict: z.string(), since: z.number() }).loose()),
    failures: z.array(z.object({ from: z.number(), to: z.number().optional(), durationMs: z.number() }).loose()),
  })
  .describe('ClauseHistory');

export const compareAnswer = z
  .object({
    at: z.number().nullable(),
    sites: z.array(z.object({ id: z.string() }).loose()),
    clauses: z.array(z.object({ id: z.string(), cells: z.record(z.string(), z.object({}).loose()) }).loose()),
  })
  .describe('Comparison');

// ---- alarm commands: acknowledge, shelve, unshelve, respond ----

export const alertParams = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.:_-]{0,255}$/, 'must be an alert id (letters, digits, ".", ":", "-", "_")'),
});

const comment = (what: string) =>
  z
    .string({ error: `expected ${what}` })
    .trim()
    .min(1, 'must not be empty')
    .max(2000);

export const ackBody = z.strictObject({ comment: comment('a comment saying what was done') }).describe('AcknowledgeInput');

export const shelveBody = z
  .strictObject({
    minutes: z.number({ error: 'expected minutes as a number' }).int('must be a whole number of minutes').positive('must be at least 1'),
    reason: comment('a reason for shelving'),
  })
  .describe('ShelveInput');

export const closeBody = z.strictObject({ comment: comment('a comment saying how the incident ended') }).describe('CloseInput');

export const unshelveBody = z.strictObject({ comment: z.string().trim().max(2000).optional() }).describe('UnshelveInput');

export const respondBody = z.strictObject({ status: z.enum(RESPONSE_STATUSES, { error: `expected one of ${RESPONSE_STATUSES.join(', ')}` }) }).describe('RespondInput');

/** The alert after the command; its full shape is Alert in model/results.ts. */
export const alertSchema = z
  .object({ id: z.string(), site: z.string(), state: z.enum(ALERT_STATES) })
  .loose()
  .describe('Alert');
