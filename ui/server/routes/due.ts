import { z } from 'zod';
import { CONFIDENCES, VERDICTS } from '../../../model/index.ts';
import { canSee } from '../auth/access.ts';
import type { SessionUser } from '../auth/users.ts';
import type { RouteTable } from '../api/route-table.ts';
import { errorSchema, siteParams } from '../api/schemas.ts';
import { DUE_SOON_DAYS, siteDueItems } from '../duties/due-list.ts';
import { DUE_SORT_KEYS, DUE_STATUSES, sortDue, sortDueBy } from '../duties/due-order.ts';
import type { LiveTwin } from '../live-twin.ts';
import { findSite } from '../site-views.ts';
import type { AuditSink } from '../ports.ts';
import { dueCsv } from '../report/due-csv.ts';

const dueQuery = z.strictObject({
  /** how many days ahead counts as due soon */
  within: z.coerce.number().int('must be a whole number of days').min(0, 'must be 0 or more').max(366, 'must be at most 366').default(DUE_SOON_DAYS),
});

/** the file in the order the user sorted the list on screen: by one column, names as the language shown reads them */
const dueCsvQuery = dueQuery.extend({
  sort: z.enum(DUE_SORT_KEYS).optional(),
  order: z.enum(['asc', 'desc']).default('asc'),
  lang: z.enum(['zh', 'en']).default('zh'),
});

const bilingual = z.object({ zh: z.string(), en: z.string() });
export const dueItemSchema = z
  .object({
    site: z.string(),
    siteName: bilingual,
    clause: z.string(),
    subject: z.string(),
    title: bilingual,
    source: z.string(),
    confidence: z.enum(CONFIDENCES),
    severity: z.number(),
    kind: z.string().optional(),
    validFor: z.string().optional(),
    lastDone: z.string().optional(),
    ref: z.string().optional(),
    dueAt: z.number().optional().describe('the last record date + validFor, ms since epoch; absent when never done'),
    daysLeft: z.number().optional(),
    verdict: z.enum(VERDICTS),
    status: z.enum(DUE_STATUSES),
  })
  .describe('DueItem');

/**
 * GET /api/sites/:id/due and GET /api/due: every evidence-based duty (drills, inspections, checks) with
 * its next due date — the last record's date + the clause's validFor, from the live verdicts —
 * overdue first, then failing, then due within `within` days (default 30). GET /api/due.csv: the office's list as a file.
 */
export function dueRoutes(api: RouteTable, options: { live: LiveTwin; now: () => number; audit?: AuditSink }): void {
  const { live, now } = options;
  const of = (id: string, within: number) => {
    const site = findSite(live, id)!;
    return siteDueItems(site, live.snapshot(id), live.clauses(id), now(), within);
  };
  const visible = (user: SessionUser, within: number) =>
    sortDue(
      live
        .sites()
        .filter((s) => canSee(user, s.id))
        .flatMap((s) => of(s.id, within)),
    );
  api.add(
    {
      method: 'get',
      path: '/api/sites/:id/due',
      tags: ['duties'],
      params: siteParams,
      query: dueQuery,
      access: { kind: 'permission', permission: 'read', site: (i) => i.params.id },
      siteExists: (id) => findSite(live, id) !== undefined,
      summary: "The site's due list: each drill, inspection and check with its last record and next due date, overdue first, due within 30 days next",
      responses: {
        200: { description: 'the due items', schema: z.array(dueItemSchema) },
        400: { description: 'a malformed query', schema: errorSchema },
        401: { description: 'not signed in', schema: errorSchema },
        403: { description: 'the user is not bound to this site', schema: errorSchema },
        404: { description: 'no such site', schema: errorSchema },
      },
    },
    ({ ctx, params, query }) => {
      ctx.body = of(params.id, query.within);
    },
  );
  api.add(
    {
      method: 'get',
      path: '/api/due',
      tags: ['duties'],
      query: dueQuery,
      access: { kind: 'permission', permission: 'read' },
      summary: 'The due lists of every site the user may see, merged: overdue first, due within 30 days next',
      responses: {
        200: { description: 'the due items of every visible site', schema: z.array(dueItemSchema) },
        400: { description: 'a malformed query', schema: errorSchema },
        401: { description: 'not signed in', schema: errorSchema },
      },
    },
    ({ ctx, query, user }) => {
      ctx.body = visible(user!, query.within);
    },
  );
  api.add(
    {
      method: 'get',
      path: '/api/due.csv',
      tags: ['duties', 'export'],
      query: dueCsvQuery,
      access: { kind: 'permission', permission: 'read' },
      summary:
        'The due lists of every site the user may see as CSV (RFC 4180, UTF-8 with BOM), in the order of GET /api/due or, with `sort` (status, site, clause, dueAt, daysLeft), `order` (asc, desc) and `lang` (zh, en: how names compare), as the list was sorted on screen; recorded in the audit log as report.export',
      responses: {
        200: { description: 'RFC 4180 CSV', contentType: 'text/csv' },
        400: { description: 'a malformed query', schema: errorSchema },
        401: { description: 'not signed in', schema: errorSchema },
      },
    },
    ({ ctx, query, user }) => {
      const listed = visible(user!, query.within);
      const items = query.sort ? sortDueBy(listed, { key: query.sort, descending: query.order === 'desc' }, query.lang) : listed;
      const day = new Date(now()).toISOString().slice(0, 10);
      const name = `ketwin-due-${day}.csv`;
      options.audit?.({
        actor: user!.name,
        action: 'report.export',
        subject: name,
        details: {
          format: 'csv',
          what: 'due',
          within: query.within,
          ...(query.sort ? { sort: query.sort, order: query.order } : {}),
          sites: [...new Set(items.map((i) => i.site))],
          rows: items.length,
        },
      });
      ctx.type = 'text/csv; charset=utf-8';
      ctx.set('Content-Disposition', `attachment; filename="${name}"`);
      ctx.body = `\ufeff${dueCsv(items, (id) => findSite(live, id)?.timeZone ?? 'Asia/Shanghai')}`;
    },
  );
}
