import { z } from 'zod';
import { TRANSFER_DIRECTIONS, type Site, type TransferDeclaration } from '../../../model/index.ts';
import type { RouteTable } from '../api/route-table.ts';
import { errorSchema, siteParams } from '../api/schemas.ts';
import { runCommand } from '../commands.ts';
import { ClientError } from '../errors.ts';
import type { LiveTwin } from '../live-twin.ts';
import type { AuditSink } from '../ports.ts';
import { findSite } from '../site-views.ts';

/**
 * The transfers a manager declares on a site's tanks; the engine (engine/index.ts) satisfies it as it
 * is, and main.ts passes it as `transfers: engine`. The stuck-gauge check treats a declared transfer
 * like an open valve and a flow (engine/hazards/stuck-gauge.ts).
 */
export interface TransferDesk {
  declareTransfer(siteId: string, declaration: TransferDeclaration): TransferDeclaration;
  transfers(siteId: string): TransferDeclaration[];
}

/**
 * A declaration ends within this time: a transfer that runs longer is declared again, so none stands
 * forgotten (a standing declaration keeps the tank's gauge judged against a flow that may have stopped).
 */
export const MAX_DECLARED_MS = 48 * 3_600_000;

const declareBody = z.strictObject({
  tank: z.string().trim().min(1, 'must name a tank'),
  /** 'in': the tank receives; 'out': it sends */
  direction: z.enum(TRANSFER_DIRECTIONS),
  /** the expected rate, m³/h */
  rateM3h: z.number().positive('must be above 0 m³/h').max(100_000, 'must be at most 100,000 m³/h'),
  /** when the transfer is expected to end: an ISO 8601 date-time with its offset */
  until: z.iso.datetime({ offset: true, message: 'must be a date-time with its offset, e.g. 2026-12-07T18:00:00+08:00' }),
});
const tankParams = z.strictObject({ id: z.string().min(1), tank: z.string().min(1) });
const declarationSchema = z
  .object({ tank: z.string(), direction: z.enum(TRANSFER_DIRECTIONS), rateM3h: z.number(), until: z.number(), by: z.string(), at: z.number() })
  .describe('TransferDeclaration');

/** The audit actions a declaration and its early end are recorded under: what a restart takes back. */
export const TRANSFER_AUDIT_ACTIONS = ['transfer.declare', 'transfer.end'] as const;

/**
 * The declarations standing at `now`, from the audit rows of the last MAX_DECLARED_MS (each declare's
 * details are the declaration; an end's, the declaration with its until set to the end): the newest row
 * of each site and tank wins. A row whose details do not read as a declaration is skipped.
 */
export function standingTransfers(
  rows: readonly { action: string; site: string | null; details: Record<string, unknown> }[],
  now: number,
): { site: string; declaration: TransferDeclaration }[] {
  const newest = new Map<string, { site: string; declaration: TransferDeclaration }>();
  for (const row of rows) {
    if (!row.site || !(TRANSFER_AUDIT_ACTIONS as readonly string[]).includes(row.action)) continue;
    const parsed = declarationSchema.safeParse(row.details);
    if (!parsed.success) continue;
    const { tank, direction, rateM3h, until, by, at } = parsed.data;
    newest.set(`${row.site}\u0000${tank}`, { site: row.site, declaration: { tank, direction, rateM3h, until, by, at } });
  }
  return [...newest.values()].filter((d) => d.declaration.until > now);
}

/** a tank of the site with a level gauge (what the stuck-gauge check can watch), or the problem in words */
function gaugedTank(site: Site, tank: string): string | undefined {
  const asset = site.assets.find((a) => a.id === tank);
  if (!asset) return `site ${JSON.stringify(site.id)} has no asset ${JSON.stringify(tank)}`;
  if (asset.kind !== 'tank') return `${JSON.stringify(tank)} is a ${asset.kind}, not a tank`;
  if (!site.points.some((p) => p.asset === tank && p.name === 'level')) return `tank ${JSON.stringify(tank)} has no level gauge mapped: there is nothing to check`;
  return undefined;
}

/**
 * Declared transfers: GET /api/sites/:id/transfers — those standing; POST — a manager declares one
 * (tank, direction, expected rate, until; audited as transfer.declare); DELETE
 * /api/sites/:id/transfers/:tank — ends one now (transfer.end). Without a desk the routes answer 404.
 */
export function transferRoutes(api: RouteTable, options: { live: LiveTwin; transfers: TransferDesk | undefined; audit: AuditSink; now: () => number }): void {
  const { live, audit, now } = options;
  const siteExists = (id: string) => findSite(live, id) !== undefined;
  const desk = () => {
    if (!options.transfers) throw new ClientError(404, 'not-found', 'this server takes no transfer declarations');
    return options.transfers;
  };

  api.add(
    {
      method: 'get',
      path: '/api/sites/:id/transfers',
      tags: ['transfers'],
      params: siteParams,
      access: { kind: 'permission', permission: 'read', site: (i) => i.params.id },
      siteExists,
      summary: 'The transfers declared on the site that stand now (the stuck-gauge check treats each like an open valve and a flow)',
      responses: {
        200: { description: 'the standing declarations', schema: z.array(declarationSchema) },
        401: { description: 'not signed in', schema: errorSchema },
        403: { description: 'the user is not bound to this site', schema: errorSchema },
        404: { description: 'no such site, or no declarations taken', schema: errorSchema },
      },
    },
    ({ ctx, params }) => {
      ctx.body = desk().transfers(params.id);
    },
  );

  api.add(
    {
      method: 'post',
      path: '/api/sites/:id/transfers',
      tags: ['transfers'],
      params: siteParams,
      body: declareBody,
      access: { kind: 'permission', permission: 'operate', site: (i) => i.params.id },
      siteExists,
      summary:
        "Declares a transfer on a tank (CSRF token required): the stuck-gauge check takes its valve as open and, where the tank has no good flow reading, the declared rate as its flow, until the declaration's end (at most 48 h ahead). Replaces the tank's earlier declaration; audited as transfer.declare",
      responses: {
        201: { description: 'the declaration as the twin holds it', schema: declarationSchema },
        400: { description: 'a malformed body, a tank the site does not have (or without a level gauge), an end not ahead or more than 48 h ahead', schema: errorSchema },
        401: { description: 'not signed in', schema: errorSchema },
        403: { description: 'not a manager of this site, or no CSRF token', schema: errorSchema },
        404: { description: 'no such site, or no declarations taken', schema: errorSchema },
      },
    },
    ({ ctx, params, body, user }) => {
      const transfers = desk();
      const site = findSite(live, params.id)!;
      const problem = gaugedTank(site, body.tank);
      if (problem) throw new ClientError(400, 'bad-request', `body.tank: ${problem}`);
      const at = now();
      const until = Date.parse(body.until);
      if (until <= at) throw new ClientError(400, 'bad-request', `body.until: ${body.until} is not ahead (now ${new Date(at).toISOString()})`);
      if (until - at > MAX_DECLARED_MS)
        throw new ClientError(400, 'bad-request', `body.until: at most 48 h ahead (${new Date(at + MAX_DECLARED_MS).toISOString()}); declare a longer transfer again`);
      const declaration = runCommand(() => transfers.declareTransfer(site.id, { tank: body.tank, direction: body.direction, rateM3h: body.rateM3h, until, by: user!.name, at }));
      audit({ actor: user!.name, action: 'transfer.declare', subject: body.tank, site: site.id, details: { ...declaration } });
      ctx.status = 201;
      ctx.body = declaration;
    },
  );

  api.add(
    {
      method: 'delete',
      path: '/api/sites/:id/transfers/:tank',
      tags: ['transfers'],
      params: tankParams,
      access: { kind: 'permission', permission: 'operate', site: (i) => i.params.id },
      siteExists,
      summary: 'Ends the transfer declared on a tank now (CSRF token required); audited as transfer.end',
      responses: {
        200: { description: 'the declaration as ended', schema: declarationSchema },
        401: { description: 'not signed in', schema: errorSchema },
        403: { description: 'not a manager of this site, or no CSRF token', schema: errorSchema },
        404: { description: 'no such site, no declaration standing on the tank, or no declarations taken', schema: errorSchema },
      },
    },
    ({ ctx, params, user }) => {
      const standing = desk()
        .transfers(params.id)
        .find((d) => d.tank === params.tank);
      if (!standing) throw new ClientError(404, 'not-found', `no transfer declared on ${JSON.stringify(params.tank)} stands at ${JSON.stringify(params.id)}`);
      const at = now();
      const ended = runCommand(() => desk().declareTransfer(params.id, { ...standing, until: at, by: user!.name, at }));
      audit({ actor: user!.name, action: 'transfer.end', subject: params.tank, site: params.id, details: { ...ended, declaredBy: standing.by } });
      ctx.body = ended;
    },
  );
}
