import { failurePeriods } from '../../../db/index.ts';
import type { LiveTwin } from '../live-twin.ts';
import type { RouteTable } from '../api/route-table.ts';
import { ClientError } from '../errors.ts';
import { asOfAnswer, asOfQuery, clauseHistoryAnswer, clauseHistoryQuery, clauseParams, errorSchema, periodQuery, siteParams } from '../api/schemas.ts';
import type { ClauseHistory, SiteAsOf } from '../api-types.ts';
import { clauseViews, findSite, subjectVerdicts } from '../site-views.ts';
import { clauseHistoryCsv } from '../report/clause-csv.ts';
import { riskHistoryCsv } from '../report/risk-csv.ts';
import type { AuditSink, VerdictHistory } from '../ports.ts';

export interface AsOfRouteOptions {
  live: LiveTwin;
  verdicts: VerdictHistory | undefined;
  audit: AuditSink;
  now: () => number;
}

const refusals = {
  400: { description: 'a malformed query', schema: errorSchema },
  401: { description: 'not signed in', schema: errorSchema },
  403: { description: 'the user is not bound to this site', schema: errorSchema },
  404: { description: 'no such site, or this server keeps no history', schema: errorSchema },
};

export function noHistory(): ClientError {
  return new ClientError(404, 'not-found', 'this server keeps no history');
}

/** The site as of an instant, from the stored verdicts, in the shape of the live clause table. */
export async function siteAsOf(options: Pick<AsOfRouteOptions, 'live' | 'verdicts'>, siteId: string, at: number): Promise<SiteAsOf> {
  if (!options.verdicts) throw noHistory();
  const site = findSite(options.live, siteId)!;
  const state = await options.verdicts.stateAsOf(site.id, at);
  return { site: site.id, at, score: state.score ?? null, standards: state.standards, clauses: clauseViews(site, options.live.clauses(site.id), state.results) };
}

/** GET /api/sites/:id/as-of?at=, GET /api/sites/:id/clauses/:clause/history(.csv)?subject=, GET /api/sites/:id/risk.csv?from=&to= */
export function asOfRoutes(api: RouteTable, options: AsOfRouteOptions): void {
  const { live } = options;
  const siteExists = (id: string) => findSite(live, id) !== undefined;
  api.add(
    {
      method: 'get',
      path: '/api/sites/:id/as-of',
      tags: ['audit'],
      params: siteParams,
      query: asOfQuery,
      access: { kind: 'permission', permission: 'read', site: (i) => i.params.id },
      siteExists,
      summary: 'The site as of an instant: the verdict in force per clause and subject, with evidence, thresholds and standard version, and the score',
      responses: { 200: { description: 'the site then', schema: asOfAnswer }, ...refusals },
    },
    async ({ ctx, params, query }) => {
      ctx.body = await siteAsOf(options, params.id, query.at);
    },
  );

  const history = async (site: string, clause: string, subject: string) => {
    if (!options.verdicts) throw noHistory();
    return options.verdicts.clauseHistory(site, clause, subject);
  };
  api.add(
    {
      method: 'get',
      path: '/api/sites/:id/clauses/:clause/history',
      tags: ['audit'],
      params: clauseParams,
      query: clauseHistoryQuery,
      access: { kind: 'permission', permission: 'read', site: (i) => i.params.id },
      siteExists,
      summary: 'Every verdict change of one clause on one subject, and when and for how long it failed',
      responses: { 200: { description: 'the history, oldest first', schema: clauseHistoryAnswer }, ...refusals },
    },
    async ({ ctx, params, query }) => {
      const site = findSite(live, params.id)!;
      const rows = await history(site.id, params.clause, query.subject);
      const now = options.now();
      const answer: ClauseHistory = {
        site: site.id,
        clause: params.clause,
        subject: query.subject,
        now,
        history: rows.map(subjectVerdicts(site)),
        failures: failurePeriods(rows, now),
      };
      ctx.body = answer;
    },
  );
  api.add(
    {
      method: 'get',
      path: '/api/sites/:id/clauses/:clause/history.csv',
      tags: ['audit', 'export'],
      params: clauseParams,
      query: clauseHistoryQuery,
      access: { kind: 'permission', permission: 'read', site: (i) => i.params.id },
      siteExists,
      summary: 'The clause history as CSV (one row per verdict change); recorded in the audit log as report.export',
      responses: { 200: { description: 'RFC 4180 CSV', contentType: 'text/csv' }, ...refusals },
    },
    async ({ ctx, params, query, user }) => {
      const rows = await history(params.id, params.clause, query.subject);
      const name = `${params.id}-${params.clause}-${query.subject}-history.csv`;
      options.audit({
        actor: user!.name,
        action: 'report.export',
        subject: name,
        site: params.id,
        details: { format: 'csv', clause: params.clause, subject: query.subject, rows: rows.length },
      });
      ctx.type = 'text/csv; charset=utf-8';
      ctx.set('Content-Disposition', `attachment; filename="${name}"`);
      ctx.body = `\ufeff${clauseHistoryCsv(rows)}`;
    },
  );
  api.add(
    {
      method: 'get',
      path: '/api/sites/:id/risk.csv',
      tags: ['audit', 'export'],
      params: siteParams,
      query: periodQuery,
      access: { kind: 'permission', permission: 'read', site: (i) => i.params.id },
      siteExists,
      summary:
        "The site's live risk over a period as CSV: each recorded change with its reason (zh/en), the compliance colour, score and grade beside it; recorded in the audit log as report.export",
      responses: { 200: { description: 'RFC 4180 CSV', contentType: 'text/csv' }, ...refusals },
    },
    async ({ ctx, params, query, user }) => {
      const { verdicts } = options;
      if (!verdicts) throw noHistory();
      // the score in force at `from` opens the period, so its first row says what the screens showed then
      const before = (await verdicts.stateAsOf(params.id, query.from)).score;
      const within = await verdicts.scoreHistory(params.id, query.from, query.to);
      const rows = before && (within.length === 0 || within[0]!.ts > before.ts) ? [before, ...within] : within;
      const name = `${params.id}-risk-${new Date(query.from).toISOString().slice(0, 10)}-${new Date(query.to).toISOString().slice(0, 10)}.csv`;
      options.audit({
        actor: user!.name,
        action: 'report.export',
        subject: name,
        site: params.id,
        details: { format: 'csv', what: 'risk', from: query.from, to: query.to, rows: rows.length },
      });
      ctx.type = 'text/csv; charset=utf-8';
      ctx.set('Content-Disposition', `attachment; filename="${name}"`);
      ctx.body = `\ufeff${riskHistoryCsv(rows)}`;
    },
  );
}
