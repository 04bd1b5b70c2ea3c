import type { Logger } from 'pino';
import { canSee } from '../auth/access.ts';
import type { LiveTwin } from '../live-twin.ts';
import type { RouteTable } from '../api/route-table.ts';
import { ClientError } from '../errors.ts';
import { errorSchema, reportQuery, signatureParams, siteParams } from '../api/schemas.ts';
import type { SiteAsOf } from '../api-types.ts';
import { clauseViews, findSite } from '../site-views.ts';
import { findCjkFont, type ReportFont } from '../report/fonts.ts';
import { renderPdfReport } from '../report/pdf-report.ts';
import { loadReportSigner, type ReportSignature, type ReportSigner } from '../report/signing.ts';
import type { AlertHistory, AuditSink, VerdictHistory } from '../ports.ts';
import { monthlyReportRoutes } from './monthly-report.ts';
import { siteAsOf } from './as-of.ts';

export interface ReportOptions {
  /** where the Ed25519 signing key lives (created on first use); main.ts passes <data dir>/keys */
  keyDir: string;
  /** CJK fonts to try, in order; default Debian's fonts-wqy-microhei / -zenhei / fonts-noto-cjk */
  fonts?: readonly ReportFont[];
  /** signatures kept for GET /api/reports/:digest/signature; default 500 */
  keep?: number;
}

export interface ReportRouteOptions {
  live: LiveTwin;
  verdicts: VerdictHistory | undefined;
  /** incidents for the monthly report */
  alerts?: AlertHistory | undefined;
  /** the audit log's newest row, named in the monthly report */
  auditHead?: (() => Promise<{ seq: number; hash: string } | undefined>) | undefined;
  reports: ReportOptions | undefined;
  audit: AuditSink;
  logger: Logger;
  now: () => number;
}

const stamp = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

/**
 * GET /api/sites/:id/report.pdf[?at=] — the signed compliance report (X-Ketwin-Signature: base64 Ed25519
 * over the PDF's SHA-256, X-Ketwin-Report-Sha256, X-Ketwin-Key-Id); GET /api/reports/:digest/signature —
 * its .sig file; GET /api/reports/public-key — the key to verify with.
 */
export function reportRoutes(api: RouteTable, options: ReportRouteOptions): void {
  const { live } = options;
  let signer: Promise<ReportSigner> | undefined;
  const getSigner = () => {
    if (!options.reports) throw new ClientError(404, 'not-found', 'this server does not sign reports (no key directory configured)');
    signer ??= loadReportSigner(options.reports.keyDir).catch((error: unknown) => {
      signer = undefined;
      throw error;
    });
    return signer;
  };
  const signatures = new Map<string, { sites: string[]; signature: ReportSignature }>();
  const keep = options.reports?.keep ?? 500;
  const remember = (sites: string[], signature: ReportSignature) => {
    signatures.set(signature.sha256, { sites, signature });
    while (signatures.size > keep) signatures.delete(signatures.keys().next().value!);
  };

  api.add(
    {
      method: 'get',
      path: '/api/sites/:id/report.pdf',
      tags: ['audit', 'export'],
      params: siteParams,
      query: reportQuery,
      access: { kind: 'permission', permission: 'read', site: (i) => i.params.id },
      siteExists: (id) => findSite(live, id) !== undefined,
      summary: 'The signed compliance report of the site (now, or as of `at`) as PDF; recorded in the audit log as report.export',
      responses: {
        200: { description: 'the PDF; headers X-Ketwin-Signature, X-Ketwin-Report-Sha256, X-Ketwin-Key-Id', contentType: 'application/pdf' },
        400: { description: 'a malformed query', schema: errorSchema },
        401: { description: 'not signed in', schema: errorSchema },
        403: { description: 'the user is not bound to this site', schema: errorSchema },
        404: { description: 'no such site; no history (with at); no signing key configured', schema: errorSchema },
      },
    },
    async ({ ctx, params, query, user }) => {
      const site = findSite(live, params.id)!;
      const generatedAt = options.now();
      let state: SiteAsOf;
      if (query.at === undefined) {
        const snapshot = live.snapshot(site.id);
        const results = snapshot?.results ?? [];
        state = {
          site: site.id,
          at: generatedAt,
          score: snapshot?.score ?? null,
          standards: [...new Set(results.map((r) => r.standard))].sort(),
          clauses: clauseViews(site, live.clauses(site.id), results),
        };
      } else {
        state = await siteAsOf(options, site.id, query.at);
      }
      const sign = await getSigner();
      const font = await findCjkFont(options.reports?.fonts);
      if (!font) options.logger.warn('no CJK font found: the PDF report is English only (install fonts-wqy-microhei)');
      const { pdf, cjk } = await renderPdfReport(
        {
          site: { id: site.id, name: site.name },
          at: state.at,
          generatedAt,
          generatedBy: user!.name,
          score: state.score,
          standards: state.standards,
          clauses: state.clauses,
          keyId: sign.keyId,
        },
        font,
        options.logger,
      );
      const file = `ketwin-report-${site.id}-${stamp(state.at)}.pdf`;
      const signature = sign.sign(pdf, { file, signedBy: user!.name, signedAt: generatedAt });
      remember([site.id], signature);
      options.audit({
        actor: user!.name,
        action: 'report.export',
        subject: file,
        site: site.id,
        details: { format: 'pdf', at: state.at, sha256: signature.sha256, keyId: signature.keyId, score: state.score?.score ?? null, cjk },
      });
      ctx.type = 'application/pdf';
      ctx.set('Content-Disposition', `attachment; filename="${file}"`);
      ctx.set('X-Ketwin-Signature', signature.signature);
      ctx.set('X-Ketwin-Report-Sha256', signature.sha256);
      ctx.set('X-Ketwin-Key-Id', signature.keyId);
      ctx.set('Access-Control-Expose-Headers', 'X-Ketwin-Signature, X-Ketwin-Report-Sha256, X-Ketwin-Key-Id');
      ctx.body = pdf;
    },
  );

  monthlyReportRoutes(api, {
    live,
    verdicts: options.verdicts,
    alerts: options.alerts,
    auditHead: options.auditHead,
    fonts: options.reports?.fonts,
    signer: getSigner,
    remember,
    audit: options.audit,
    logger: options.logger,
    now: options.now,
  });

  api.add(
    {
      method: 'get',
      path: '/api/reports/:digest/signature',
      tags: ['audit', 'export'],
      params: signatureParams,
      access: { kind: 'permission', permission: 'read' },
      summary: "The detached signature (.sig, JSON) of a report this server produced recently, by the report's SHA-256",
      responses: {
        200: { description: 'the .sig file', contentType: 'application/json' },
        401: { description: 'not signed in', schema: errorSchema },
        403: { description: 'the report is of a site the user is not bound to', schema: errorSchema },
        404: { description: 'no report with this SHA-256 was produced recently', schema: errorSchema },
      },
    },
    ({ ctx, params, user }) => {
      const found = signatures.get(params.digest);
      const hidden = found?.sites.find((site) => !canSee(user!, site));
      if (hidden !== undefined) throw new ClientError(403, 'forbidden', `no access to site ${JSON.stringify(hidden)}`);
      if (!found) throw new ClientError(404, 'not-found', 'no report with this SHA-256 was produced recently');
      ctx.type = 'application/json';
      ctx.set('Content-Disposition', `attachment; filename="${found.signature.file}.sig"`);
      ctx.body = `${JSON.stringify(found.signature, null, 2)}\n`;
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/reports/public-key',
      tags: ['audit', 'export'],
      access: { kind: 'signed-in' },
      summary: 'The public key (SPKI PEM) reports are signed with',
      responses: {
        200: { description: 'PEM', contentType: 'application/x-pem-file' },
        401: { description: 'not signed in', schema: errorSchema },
        404: { description: 'no signing key configured', schema: errorSchema },
      },
    },
    async ({ ctx }) => {
      const sign = await getSigner();
      ctx.type = 'application/x-pem-file';
      ctx.set('X-Ketwin-Key-Id', sign.keyId);
      ctx.body = sign.publicKey;
    },
  );
}
