import { z } from 'zod';
import { dutiesOf, RESPONSIBLE_ROLES, type Site } from '../../../model/index.ts';
import { canSee } from '../auth/access.ts';
import type { RouteTable } from '../api/route-table.ts';
import { errorSchema, siteParams } from '../api/schemas.ts';
import { commitmentFacts, type CommitmentFacts } from '../duties/commitment-facts.ts';
import { siteDay } from '../duties/site-day.ts';
import { ClientError } from '../errors.ts';
import type { LiveTwin } from '../live-twin.ts';
import type { CommitmentStore, SafetyCommitment } from '../../../db/index.ts';
import { findSite } from '../site-views.ts';
import type { AuditSink } from '../ports.ts';

/** A signed daily safety commitment: db's SafetyCommitment. */
export type SafetyCommitmentView = SafetyCommitment;

/** What the routes need of db's commitments: its CommitmentStore port. */
export type CommitmentLog = CommitmentStore;

const signBody = z.strictObject({
  /** declares every major hazard of the site normal */
  allNormal: z.boolean(),
  statement: z.string().trim().min(1, 'must say what is declared').max(2000, 'must be at most 2,000 characters'),
});
const dayQuery = z.strictObject({ day: z.iso.date('must be a date YYYY-MM-DD').optional() });

const factsSchema = z
  .object({
    at: z.number(),
    openIncidents: z.array(z.object({}).loose()),
    staleSafetyPoints: z.array(z.object({}).loose()),
    overdue: z.array(z.object({}).loose()),
    notMeasured: z.array(z.object({}).loose()),
    lightning: z.object({}).loose().nullable(),
    standing: z.array(z.object({ zh: z.string(), en: z.string() })),
  })
  .describe('CommitmentFacts');
const commitmentSchema = z
  .object({ site: z.string(), day: z.string(), signedBy: z.string(), signedAt: z.number(), allNormal: z.boolean(), statement: z.string(), facts: z.object({}).loose() })
  .describe('SafetyCommitment');
const todaySchema = z.object({
  site: z.string(),
  day: z.string(),
  kept: z.boolean().describe('false: this server keeps no commitments (nothing can be signed)'),
  facts: factsSchema,
  normalAllowed: z.boolean(),
  signers: z.array(z.string()),
  commitment: commitmentSchema.nullable(),
});

/** Who may sign for the site: its named responsible persons; a site that names none, any of its managers. */
function signers(site: Site): string[] {
  return [...new Set((site.majorHazard?.responsible ?? []).flatMap((r) => RESPONSIBLE_ROLES.map((role) => r[role])))];
}

/**
 * The daily safety commitment (安全承诺): GET /api/sites/:id/commitment — today's form, pre-filled
 * from the live twin, with the commitment if signed; POST — signs it (refused with 409 while
 * "all normal" is declared against an open incident, a stale safety point, an overdue duty or a
 * lightning warning); GET /api/commitments — every visible site's commitment of a day, or its absence.
 */
export function commitmentRoutes(api: RouteTable, options: { live: LiveTwin; commitments: CommitmentLog | undefined; audit: AuditSink; now: () => number }): void {
  const { live, audit, now } = options;
  const siteExists = (id: string) => findSite(live, id) !== undefined;
  const store = () => {
    if (!options.commitments) throw new ClientError(404, 'not-found', 'this server keeps no safety commitments');
    return options.commitments;
  };
  const factsOf = (site: Site, at: number): CommitmentFacts => commitmentFacts(site, live.snapshot(site.id), live.clauses(site.id), live.standard?.(site.id), at);

  api.add(
    {
      method: 'get',
      path: '/api/sites/:id/commitment',
      tags: ['duties'],
      params: siteParams,
      access: { kind: 'permission', permission: 'read', site: (i) => i.params.id },
      siteExists,
      summary:
        "Today's daily safety commitment of the site: the form's facts from the live twin (open incidents, stale safety points, overdue duties, lightning), whether 'all normal' may be declared, who may sign, and the commitment if signed",
      responses: {
        200: { description: "today's form and commitment", schema: todaySchema },
        401: { description: 'not signed in', schema: errorSchema },
        403: { description: 'the user is not bound to this site', schema: errorSchema },
        404: { description: 'no such site', schema: errorSchema },
      },
    },
    async ({ ctx, params }) => {
      const site = findSite(live, params.id)!;
      const at = now();
      const day = siteDay(site, at);
      const facts = factsOf(site, at);
      // a server that keeps no commitments still shows what the twin says; it only cannot take a signature
      const [signed] = options.commitments ? await options.commitments.commitmentsOn(day, [site.id]) : [];
      ctx.body = {
        site: site.id,
        day,
        kept: options.commitments !== undefined,
        facts,
        normalAllowed: facts.standing.length === 0,
        signers: signers(site),
        commitment: signed ?? null,
      };
    },
  );

  api.add(
    {
      method: 'post',
      path: '/api/sites/:id/commitment',
      tags: ['duties'],
      params: siteParams,
      body: signBody,
      access: { kind: 'permission', permission: 'operate', site: (i) => i.params.id },
      siteExists,
      summary: "Signs today's safety commitment (CSRF token required), judged against the live twin at this instant; audited as commitment.sign",
      responses: {
        201: { description: 'the commitment as stored', schema: commitmentSchema },
        400: { description: 'a malformed body', schema: errorSchema },
        401: { description: 'not signed in', schema: errorSchema },
        403: { description: 'not a manager of this site, not one of its named responsible persons, or no CSRF token', schema: errorSchema },
        404: { description: 'no such site, or no commitments kept', schema: errorSchema },
        409: { description: "'all normal' while something stands (named in the message), or today is signed already", schema: errorSchema },
      },
    },
    async ({ ctx, params, body, user }) => {
      const site = findSite(live, params.id)!;
      const named = signers(site);
      if (named.length > 0 && !named.includes(user!.name)) {
        throw new ClientError(403, 'not-responsible', `${user!.name} may not sign: only the site's named responsible persons sign its commitment (${named.join(', ')})`);
      }
      const at = now();
      const day = siteDay(site, at);
      const facts = factsOf(site, at);
      if (body.allNormal && facts.standing.length > 0) {
        throw new ClientError(409, 'not-normal', `cannot declare all normal: ${facts.standing.map((s) => s.en).join('; ')}`);
      }
      const stored = await store().signCommitment({
        site: site.id,
        day,
        signedBy: user!.name,
        signedAt: at,
        allNormal: body.allNormal,
        statement: body.statement,
        facts: { ...facts },
      });
      if (!stored) {
        const [existing] = await store().commitmentsOn(day, [site.id]);
        throw new ClientError(
          409,
          'already-signed',
          `the commitment of ${day} is signed already${existing ? ` by ${existing.signedBy} at ${new Date(existing.signedAt).toISOString()}` : ''}`,
        );
      }
      audit({
        actor: user!.name,
        action: 'commitment.sign',
        subject: `commitment:${day}`,
        site: site.id,
        details: { day, allNormal: stored.allNormal, statement: stored.statement, duties: dutiesOf(site, user!.name), standing: facts.standing.map((s) => s.en) },
      });
      ctx.status = 201;
      ctx.body = stored;
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/commitments',
      tags: ['duties'],
      query: dayQuery,
      access: { kind: 'permission', permission: 'read' },
      summary: "Every site the user may see with its commitment of the day (default: each site's today in its own time zone), null where none is signed",
      responses: {
        200: {
          description: 'one entry per visible site',
          schema: z.array(
            z.object({ site: z.string(), siteName: z.object({ zh: z.string(), en: z.string() }), day: z.string(), kept: z.boolean(), commitment: commitmentSchema.nullable() }),
          ),
        },
        400: { description: 'a malformed day', schema: errorSchema },
        401: { description: 'not signed in', schema: errorSchema },
      },
    },
    async ({ ctx, query, user }) => {
      const sites = live.sites().filter((s) => canSee(user!, s.id));
      const at = now();
      const days = new Map(sites.map((s) => [s.id, query.day ?? siteDay(s, at)]));
      const signed = new Map<string, SafetyCommitmentView>();
      const kept = options.commitments;
      for (const day of kept ? new Set(days.values()) : []) {
        for (const c of await kept!.commitmentsOn(
          day,
          sites.filter((s) => days.get(s.id) === day).map((s) => s.id),
        ))
          signed.set(c.site, c);
      }
      ctx.body = sites.map((s) => ({ site: s.id, siteName: s.name, day: days.get(s.id)!, kept: kept !== undefined, commitment: signed.get(s.id) ?? null }));
    },
  );
}
