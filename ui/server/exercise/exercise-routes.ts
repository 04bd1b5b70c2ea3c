import { z } from 'zod';
import { EXERCISE_REPORTS, EXERCISE_STATES } from '../../../model/index.ts';
import { canSee } from '../auth/access.ts';
import type { RouteTable } from '../api/route-table.ts';
import { errorSchema, siteParams } from '../api/schemas.ts';
import { ClientError } from '../errors.ts';
import type { AuditSink } from '../ports.ts';
import type { ExerciseDesk } from './exercise-desk.ts';

const exerciseParams = z.strictObject({ id: z.string().regex(/^x[a-z0-9]{1,40}$/, 'must be an exercise id') });
const startBody = z.strictObject({
  site: z.string().min(1, 'must name a site'),
  scenario: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must be a scenario name such as rim-seal-fire'),
  /** exercise time per real time: 1 in a real drill, up to 60 for a table-top run */
  speed: z.number().min(1, 'must be at least 1 (real time)').max(60, 'must be at most 60').default(1),
});
const reportBody = z.strictObject({
  alert: z.string().min(1, 'must name an alert of the exercise'),
  report: z.enum(EXERCISE_REPORTS),
  comment: z.string().trim().max(2000).optional(),
});
const commentBody = z.strictObject({ text: z.string().trim().min(1, 'must not be empty').max(2000) });
const endBody = z.strictObject({ comment: z.string().trim().max(2000).optional() });
const exerciseSchema = z
  .object({
    id: z.string(),
    site: z.string(),
    scenario: z.string(),
    state: z.enum(EXERCISE_STATES),
    startedAt: z.number(),
    speed: z.number(),
    timeline: z.array(z.unknown()),
    timings: z.array(z.unknown()),
  })
  .describe('Exercise');
const entrySchema = z.object({ at: z.number(), by: z.string(), what: z.string(), alert: z.string().optional() }).describe('ExerciseEntry');
const denied = {
  401: { description: 'not signed in', schema: errorSchema },
  403: { description: 'no access to the site, the role may not, or no CSRF token', schema: errorSchema },
};

/**
 * Exercises on the twin (issue 24). The office and the depot manager (permission `exercise`) start one from a
 * scenario on a site, stop or complete it and review it; rescue teams (`respond`) and managers report on its
 * alerts; whoever may read the site sees it. Every change is in the audit log (exercise.start, .report,
 * .comment, .stop, .complete; the report's download as report.export). Without a desk the routes answer 404.
 */
export function exerciseRoutes(api: RouteTable, options: { exercises: ExerciseDesk | undefined; audit: AuditSink }): void {
  const desk = (): ExerciseDesk => {
    if (!options.exercises) throw new ClientError(404, 'not-found', 'this server runs no exercises');
    return options.exercises;
  };
  const siteOf = (id: string) => options.exercises?.get(id)?.site;

  api.add(
    {
      method: 'get',
      path: '/api/exercises',
      tags: ['exercises'],
      access: { kind: 'permission', permission: 'read' },
      summary: 'The exercises of the sites the user may see, newest first (running ones with their alerts, marked exercise)',
      responses: { 200: { description: 'the exercises', schema: z.array(exerciseSchema) }, ...denied },
    },
    ({ ctx, user }) => {
      ctx.body = desk()
        .list()
        .filter((x) => canSee(user!, x.site));
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/sites/:id/exercise-scenarios',
      tags: ['exercises'],
      params: siteParams,
      access: { kind: 'permission', permission: 'exercise', site: (i) => i.params.id },
      summary: 'The scenarios an exercise can play on the site',
      responses: { 200: { description: 'name and title of each' }, ...denied, 404: { description: 'no such site', schema: errorSchema } },
    },
    async ({ ctx, params }) => {
      ctx.body = await desk().scenarios(params.id);
    },
  );

  api.add(
    {
      method: 'post',
      path: '/api/exercises',
      tags: ['exercises'],
      body: startBody,
      access: { kind: 'permission', permission: 'exercise', site: (i) => i.body.site },
      summary:
        "Starts an exercise (CSRF token required): a shadow of the site's twin takes the live state now and the scenario's readings; the live twin goes on untouched. Audited as exercise.start",
      responses: {
        201: { description: 'the exercise', schema: exerciseSchema },
        400: { description: 'a malformed body, or no such scenario for the site', schema: errorSchema },
        ...denied,
        404: { description: 'no such site', schema: errorSchema },
      },
    },
    async ({ ctx, body, user }) => {
      ctx.status = 201;
      ctx.body = await desk().start({ site: body.site, scenario: body.scenario, speed: body.speed, by: user!.name });
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/exercises/:id',
      tags: ['exercises'],
      params: exerciseParams,
      access: { kind: 'permission', permission: 'read', site: (i) => siteOf(i.params.id) },
      summary: 'One exercise: its alerts (marked exercise), timeline, each response time against its requirement, comments, its report once completed',
      responses: { 200: { description: 'the exercise', schema: exerciseSchema }, ...denied, 404: { description: 'no such exercise', schema: errorSchema } },
    },
    ({ ctx, params }) => {
      const found = desk().get(params.id);
      if (!found) throw new ClientError(404, 'not-found', `no exercise ${JSON.stringify(params.id)}`);
      ctx.body = found;
    },
  );

  api.add(
    {
      method: 'post',
      path: '/api/exercises/:id/reports',
      tags: ['exercises'],
      params: exerciseParams,
      body: reportBody,
      access: { kind: 'permission', permission: ['respond', 'exercise'], site: (i) => siteOf(i.params.id) },
      summary:
        'A participant reports on an exercise alert (CSRF token required): received, en route, on scene, or a required action (cooling started, foam applied, dike drain closed, evacuation confirmed), timed on exercise time. Audited as exercise.report',
      responses: {
        201: { description: 'the timeline entry', schema: entrySchema },
        400: { description: 'a malformed body', schema: errorSchema },
        ...denied,
        404: { description: 'no such exercise, or an alert it did not raise', schema: errorSchema },
        409: { description: 'the exercise is over', schema: errorSchema },
      },
    },
    ({ ctx, params, body, user }) => {
      ctx.status = 201;
      ctx.body = desk().report(params.id, { alert: body.alert, report: body.report, by: user!.name, ...(body.comment ? { comment: body.comment } : {}) });
    },
  );

  api.add(
    {
      method: 'post',
      path: '/api/exercises/:id/comments',
      tags: ['exercises'],
      params: exerciseParams,
      body: commentBody,
      access: { kind: 'permission', permission: ['respond', 'exercise'], site: (i) => siteOf(i.params.id) },
      summary: 'A comment on a running exercise, for its report (CSRF token required); audited as exercise.comment',
      responses: {
        201: { description: 'the timeline entry', schema: entrySchema },
        ...denied,
        404: { description: 'no such exercise', schema: errorSchema },
        409: { description: 'the exercise is over', schema: errorSchema },
      },
    },
    ({ ctx, params, body, user }) => {
      ctx.status = 201;
      ctx.body = desk().comment(params.id, user!.name, body.text);
    },
  );

  for (const [path, what] of [
    ['stop', 'Calls the exercise off: its alerts are cleared (CAP Cancel, marked Exercise), nothing is filed; audited as exercise.stop'],
    [
      'complete',
      'Completes the exercise: its alerts are cleared, the report (timeline, response times against the standard, what was missed, comments) is signed as the monthly report is, and the drill is filed as evidence for the clauses it satisfies; audited as exercise.complete',
    ],
  ] as const) {
    api.add(
      {
        method: 'post',
        path: `/api/exercises/:id/${path}`,
        tags: ['exercises'],
        params: exerciseParams,
        body: endBody,
        access: { kind: 'permission', permission: 'exercise', site: (i) => siteOf(i.params.id) },
        summary: `${what} (CSRF token required)`,
        responses: {
          200: { description: 'the exercise as ended', schema: exerciseSchema },
          ...denied,
          404: { description: 'no such exercise', schema: errorSchema },
          409: { description: 'the exercise is over already', schema: errorSchema },
        },
      },
      async ({ ctx, params, body, user }) => {
        ctx.body = path === 'stop' ? desk().stop(params.id, user!.name, body.comment) : await desk().complete(params.id, user!.name, body.comment);
      },
    );
  }

  api.add(
    {
      method: 'get',
      path: '/api/exercises/:id/report.pdf',
      tags: ['exercises', 'export'],
      params: exerciseParams,
      access: { kind: 'permission', permission: 'read', site: (i) => siteOf(i.params.id) },
      summary: "A completed exercise's signed report (headers X-Ketwin-Signature, X-Ketwin-Report-Sha256, X-Ketwin-Key-Id; the .sig beside it); audited as report.export",
      responses: {
        200: { description: 'the PDF', contentType: 'application/pdf' },
        ...denied,
        404: { description: 'no such exercise, or not completed', schema: errorSchema },
      },
    },
    async ({ ctx, params, user }) => {
      const found = await desk().reportFile(params.id);
      if (!found) throw new ClientError(404, 'not-found', `exercise ${JSON.stringify(params.id)} has no report (it is not completed)`);
      options.audit({
        actor: user!.name,
        action: 'report.export',
        subject: params.id,
        site: siteOf(params.id),
        details: { kind: 'exercise', sha256: found.signature.sha256, keyId: found.signature.keyId },
      });
      ctx.set('Content-Type', 'application/pdf');
      ctx.set('Content-Disposition', `attachment; filename="${found.signature.file}"`);
      ctx.set('X-Ketwin-Signature', found.signature.signature);
      ctx.set('X-Ketwin-Report-Sha256', found.signature.sha256);
      ctx.set('X-Ketwin-Key-Id', found.signature.keyId);
      ctx.body = found.pdf;
    },
  );

  api.add(
    {
      method: 'get',
      path: '/api/exercises/:id/report.pdf.sig',
      tags: ['exercises', 'export'],
      params: exerciseParams,
      access: { kind: 'permission', permission: 'read', site: (i) => siteOf(i.params.id) },
      summary: "The detached signature (.sig, JSON) of a completed exercise's report: `ketwin report verify FILE --sig FILE.sig`",
      responses: { 200: { description: 'the signature' }, ...denied, 404: { description: 'no such exercise, or not completed', schema: errorSchema } },
    },
    async ({ ctx, params }) => {
      const found = await desk().reportFile(params.id);
      if (!found) throw new ClientError(404, 'not-found', `exercise ${JSON.stringify(params.id)} has no report (it is not completed)`);
      ctx.set('Content-Type', 'application/json');
      ctx.set('Content-Disposition', `attachment; filename="${found.signature.file}.sig"`);
      ctx.body = `${JSON.stringify(found.signature, null, 2)}\n`;
    },
  );
}
