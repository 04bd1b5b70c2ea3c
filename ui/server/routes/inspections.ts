import type { LiveTwin } from '../live-twin.ts';
import type { RouteTable } from '../api/route-table.ts';
import { ClientError } from '../errors.ts';
import { errorSchema, evidenceVersionsQuery, inspectionBody, inspectionSchema, siteParams } from '../api/schemas.ts';
import type { InspectionView } from '../api-types.ts';
import { fromSiteEvidence } from '../evidence-site.ts';
import { findSite } from '../site-views.ts';
import type { AuditSink, InspectionRecord, InspectionLog } from '../ports.ts';
import { z } from 'zod';

export interface InspectionRouteOptions {
  live: LiveTwin;
  inspections: InspectionLog | undefined;
  audit: AuditSink;
  now: () => number;
  /** how far in the future doneAt may lie (clock skew); default 5 minutes */
  skewMs?: number;
}

/** GET and POST /api/sites/:id/evidence — drills, siren tests and inspections on record; managers add them. */
export function inspectionRoutes(api: RouteTable, options: InspectionRouteOptions): void {
  const { live } = options;
  const siteExists = (id: string) => findSite(live, id) !== undefined;
  const store = () => {
    if (!options.inspections) throw new ClientError(404, 'not-found', 'this server keeps no evidence records');
    return options.inspections;
  };
  api.add(
    {
      method: 'get',
      path: '/api/sites/:id/evidence',
      tags: ['evidence'],
      params: siteParams,
      access: { kind: 'permission', permission: 'read', site: (i) => i.params.id },
      siteExists,
      summary: 'Drills, siren tests and inspections of the site: those recorded through ketwin and those in the site definition, newest first',
      responses: {
        200: { description: 'the records', schema: z.array(inspectionSchema) },
        401: { description: 'not signed in', schema: errorSchema },
        403: { description: 'the user is not bound to this site', schema: errorSchema },
        404: { description: 'no such site', schema: errorSchema },
      },
    },
    async ({ ctx, params }) => {
      const site = findSite(live, params.id)!;
      const recorded = options.inspections ? await options.inspections.list(site.id) : [];
      const key = (r: InspectionRecord) => JSON.stringify([r.kind, r.subject, new Date(r.doneAt).toISOString().slice(0, 10), r.by, r.reference ?? '']);
      const mine = new Set(recorded.map(key));
      const fromFile = site.evidence.map((e) => fromSiteEvidence(site, e)).filter((r) => !mine.has(key(r)));
      const all: InspectionView[] = [...recorded.map((r) => ({ ...r, source: 'recorded' as const })), ...fromFile.map((r) => ({ ...r, source: 'site-file' as const }))];
      ctx.body = all.sort((a, b) => b.doneAt - a.doneAt);
    },
  );
  api.add(
    {
      method: 'post',
      path: '/api/sites/:id/evidence',
      tags: ['evidence'],
      params: siteParams,
      body: inspectionBody,
      access: { kind: 'permission', permission: 'operate', site: (i) => i.params.id },
      siteExists,
      summary: 'Records a drill, siren test or inspection (CSRF token required); recorded in the audit log as inspection.record',
      responses: {
        201: { description: 'the record as stored, with its version and hash (an upload under an existing kind, subject and doneAt is a new version)', schema: inspectionSchema },
        400: { description: 'a malformed body, an unknown subject, or a date in the future', schema: errorSchema },
        401: { description: 'not signed in', schema: errorSchema },
        403: { description: 'not a manager of this site, or no CSRF token', schema: errorSchema },
        404: { description: 'no such site', schema: errorSchema },
      },
    },
    async ({ ctx, params, body, user }) => {
      const site = findSite(live, params.id)!;
      if (body.subject !== site.id && !site.assets.some((a) => a.id === body.subject)) {
        throw new ClientError(400, 'bad-request', `body.subject: site ${JSON.stringify(site.id)} has no asset ${JSON.stringify(body.subject)}`);
      }
      if (body.doneAt > options.now() + (options.skewMs ?? 300_000)) throw new ClientError(400, 'bad-request', 'body.doneAt: must not be in the future');
      const record: InspectionRecord = {
        site: site.id,
        kind: body.kind,
        subject: body.subject,
        doneAt: body.doneAt,
        by: body.by,
        recordedBy: user!.name,
        recordedAt: options.now(),
      };
      if (body.validUntil !== undefined) record.validUntil = body.validUntil;
      if (body.reference !== undefined) record.reference = body.reference;
      if (body.notes !== undefined) record.notes = body.notes;
      // append-only: a record under the same kind, subject and doneAt becomes its next version
      const stored = (await store().record(record)) ?? record;
      options.audit({ actor: user!.name, action: 'inspection.record', subject: `${record.kind}:${record.subject}`, site: site.id, details: { ...stored } });
      ctx.status = 201;
      ctx.body = { ...stored, source: 'recorded' } satisfies InspectionView;
    },
  );
  api.add(
    {
      method: 'get',
      path: '/api/sites/:id/evidence/versions',
      tags: ['evidence'],
      params: siteParams,
      query: evidenceVersionsQuery,
      access: { kind: 'permission', permission: 'read', site: (i) => i.params.id },
      siteExists,
      summary: 'Every version of one recorded drill, siren test or inspection, oldest first, each with its uploader and hash',
      responses: {
        200: { description: 'the versions', schema: z.array(inspectionSchema) },
        400: { description: 'a malformed kind, subject or doneAt', schema: errorSchema },
        401: { description: 'not signed in', schema: errorSchema },
        403: { description: 'the user is not bound to this site', schema: errorSchema },
        404: { description: 'no such site, or no such record', schema: errorSchema },
      },
    },
    async ({ ctx, params, query }) => {
      const versions = (await store().versions?.(params.id, query.kind, query.subject, query.doneAt)) ?? [];
      if (versions.length === 0) throw new ClientError(404, 'not-found', `no recorded ${query.kind} of ${query.subject} done at ${new Date(query.doneAt).toISOString()}`);
      ctx.body = versions.map((v) => ({ ...v, source: 'recorded' as const }));
    },
  );
}
