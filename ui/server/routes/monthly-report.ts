import { z } from 'zod';
import { canSee } from '../auth/access.ts';
import type { RouteTable } from '../api/route-table.ts';
import { errorSchema } from '../api/schemas.ts';
import { ClientError } from '../errors.ts';
import type { LiveTwin } from '../live-twin.ts';
import type { AlertHistory, AuditSink, VerdictHistory } from '../ports.ts';
import { findCjkFont, type ReportFont } from '../report/fonts.ts';
import { monthBounds, monthSiteReport } from '../report/monthly-data.ts';
import { monthlyReportCsv } from '../report/monthly-csv.ts';
import { renderMonthlyPdf, type MonthReportHeader } from '../report/monthly-pdf.ts';
import type { ReportSignature, ReportSigner } from '../report/signing.ts';
import { noHistory } from './as-of.ts';
import type { Logger } from 'pino';

export const monthlyQuery = z.strictObject({
  month: z.string({ error: 'expected month as YYYY-MM' }).regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM'),
  /** site ids, comma-separated; default every site the user may see */
  sites: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_-]*(,[A-Za-z][A-Za-z0-9_-]*)*$/, 'must be site ids separated by commas')
    .optional(),
  format: z.enum(['pdf', 'csv']).default('pdf'),
});

export interface MonthlyReportOptions {
  live: LiveTwin;
  verdicts: VerdictHistory | undefined;
  alerts: AlertHistory | undefined;
  /** the audit log's newest row; without it the report says the head is not available */
  auditHead: (() => Promise<{ seq: number; hash: string } | undefined>) | undefined;
  fonts: readonly ReportFont[] | undefined;
  signer: () => Promise<ReportSigner>;
  /** keeps the signature for GET /api/reports/:digest/signature */
  remember: (sites: string[], signature: ReportSignature) => void;
  audit: AuditSink;
  logger: Logger;
  now: () => number;
}

/**
 * GET /api/reports/monthly?month=YYYY-MM&sites=a,b&format=pdf|csv — the office's signed monthly report of a set of
 * sites: each site's score history, the clauses failing at month end with their evidence, incidents with their
 * handling times, drills and tests, and the due list; it names the standard versions and the audit chain's head.
 */
export function monthlyReportRoutes(api: RouteTable, options: MonthlyReportOptions): void {
  const { live } = options;
  api.add(
    {
      method: 'get',
      path: '/api/reports/monthly',
      tags: ['audit', 'export'],
      query: monthlyQuery,
      access: { kind: 'permission', permission: 'audit' },
      summary: 'The signed monthly report of a set of sites (PDF or CSV); recorded in the audit log as report.export',
      responses: {
        200: { description: 'the report; headers X-Ketwin-Signature, X-Ketwin-Report-Sha256, X-Ketwin-Key-Id', contentType: 'application/pdf' },
        400: { description: 'a malformed query, or a month not yet over', schema: errorSchema },
        401: { description: 'not signed in', schema: errorSchema },
        403: { description: 'a site the user may not see, or not an auditor, admin or manager', schema: errorSchema },
        404: { description: 'no such site (or none the user may see), or this server keeps no history', schema: errorSchema },
      },
    },
    async ({ ctx, query, user }) => {
      const { verdicts } = options;
      if (!verdicts) throw noHistory();
      const ids =
        query.sites?.split(',') ??
        live
          .sites()
          .map((s) => s.id)
          .filter((id) => canSee(user!, id));
      if (ids.length === 0) throw new ClientError(404, 'not-found', 'no site to report on: the user may see none');
      const sites = ids.map((id) => {
        const site = live.sites().find((s) => s.id === id);
        if (!site) throw new ClientError(404, 'not-found', `no site ${JSON.stringify(id)}`);
        if (!canSee(user!, id)) throw new ClientError(403, 'forbidden', `no access to site ${JSON.stringify(id)}`);
        return site;
      });
      const { from, to } = monthBounds(query.month);
      const generatedAt = options.now();
      if (from > generatedAt) throw new ClientError(400, 'bad-request', `query.month: ${query.month} has not begun`);
      const sources = {
        verdicts,
        alerts: options.alerts,
        clauses: (id: string) => live.clauses(id),
        hazardKinds: (id: string) => Object.keys(live.standard?.(id)?.hazards ?? {}).map((hazard) => `hazard-${hazard}`),
      };
      const reports = [];
      for (const site of sites) reports.push(await monthSiteReport(site, from, Math.min(to, generatedAt), sources));
      const sign = await options.signer();
      const header: MonthReportHeader = {
        month: query.month,
        generatedAt,
        generatedBy: user!.name,
        standards: [...new Set(reports.flatMap((r) => r.end.standards))].sort(),
        auditHead: await options.auditHead?.(),
        keyId: sign.keyId,
      };
      let body: Buffer;
      if (query.format === 'csv') body = Buffer.from(monthlyReportCsv(header, reports));
      else {
        const font = await findCjkFont(options.fonts);
        body = (await renderMonthlyPdf(header, reports, font, options.logger)).pdf;
      }
      const file = `ketwin-monthly-${query.month}.${query.format}`;
      const signature = sign.sign(body, { file, signedBy: user!.name, signedAt: generatedAt });
      options.remember(ids, signature);
      options.audit({
        actor: user!.name,
        action: 'report.export',
        subject: file,
        details: { format: query.format, month: query.month, sites: ids, sha256: signature.sha256, keyId: signature.keyId, auditHead: header.auditHead?.seq ?? null },
      });
      ctx.type = query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/pdf';
      ctx.set('Content-Disposition', `attachment; filename="${file}"`);
      ctx.set('X-Ketwin-Signature', signature.signature);
      ctx.set('X-Ketwin-Report-Sha256', signature.sha256);
      ctx.set('X-Ketwin-Key-Id', signature.keyId);
      ctx.set('Access-Control-Expose-Headers', 'X-Ketwin-Signature, X-Ketwin-Report-Sha256, X-Ketwin-Key-Id');
      ctx.body = body;
    },
  );
}
