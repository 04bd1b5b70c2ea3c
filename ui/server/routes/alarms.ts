import type { Alert } from '../../../model/index.ts';
import type { RouteTable, ResponseDoc } from '../api/route-table.ts';
import { ackBody, alertParams, alertSchema, closeBody, errorSchema, respondBody, shelveBody, unshelveBody } from '../api/schemas.ts';
import { runCommand, type AlarmCommands } from '../commands.ts';
import { ClientError } from '../errors.ts';
import type { AuditSink } from '../ports.ts';

export interface AlarmRouteOptions {
  commands: AlarmCommands | undefined;
  audit: AuditSink;
  now: () => number;
}

const MINUTE = 60_000;

function responses(extra: Record<number, ResponseDoc> = {}): Record<number, ResponseDoc> {
  return {
    200: { description: 'the alert after the command', schema: alertSchema },
    400: { description: 'a malformed body, or a command the standard does not allow (such as shelving for too long)', schema: errorSchema },
    401: { description: 'not signed in', schema: errorSchema },
    403: { description: "no right to this command on the alert's site, or no CSRF token", schema: errorSchema },
    404: { description: 'no open alert with this id', schema: errorSchema },
    409: { description: "the alert's state does not allow this command", schema: errorSchema },
    ...extra,
  };
}

/** POST /api/alerts/:id/{ack,shelve,unshelve,close,respond} — the alarm lifecycle, by the signed-in user, audited. */
export function alarmRoutes(api: RouteTable, options: AlarmRouteOptions): void {
  const { audit } = options;
  const siteOf = (id: string) => options.commands?.alert(id)?.site;
  const commands = (id: string): AlarmCommands => {
    const c = options.commands;
    if (!c || !c.alert(id)) throw new ClientError(404, 'not-found', `no open alert ${JSON.stringify(id)}`);
    return c;
  };
  const record = (by: string, action: string, alert: Alert, details: Record<string, unknown>) =>
    audit({ actor: by, action, subject: alert.id, site: alert.site, details: { ...details, state: alert.state } });

  api.add(
    {
      method: 'post',
      path: '/api/alerts/:id/ack',
      tags: ['alarms'],
      params: alertParams,
      body: ackBody,
      access: { kind: 'permission', permission: 'operate', site: (i) => siteOf(i.params.id) },
      summary: 'Acknowledges an alarm with a comment (CSRF token required); recorded in the audit log as alert.acknowledge',
      responses: responses(),
    },
    ({ ctx, params, body, user }) => {
      const alert = runCommand(() => commands(params.id).acknowledge(params.id, user!.name, body.comment));
      record(user!.name, 'alert.acknowledge', alert, { comment: body.comment });
      ctx.body = alert;
    },
  );
  api.add(
    {
      method: 'post',
      path: '/api/alerts/:id/shelve',
      tags: ['alarms'],
      params: alertParams,
      body: shelveBody,
      access: { kind: 'permission', permission: 'operate', site: (i) => siteOf(i.params.id) },
      summary:
        "Shelves an alarm for some minutes (at most the standard's maximum) with a reason; it unshelves itself then. Severity-1 alarms and incidents are never shelved (409 with the reason). Audited as alert.shelve",
      responses: responses({
        409: { description: 'already shelved, or an alarm the standard never lets be shelved (severity 1, every incident): the reason is in the message', schema: errorSchema },
      }),
    },
    ({ ctx, params, body, user }) => {
      const until = options.now() + body.minutes * MINUTE;
      const alert = runCommand(() => commands(params.id).shelve(params.id, user!.name, until, body.reason));
      record(user!.name, 'alert.shelve', alert, { until, minutes: body.minutes, reason: body.reason });
      ctx.body = alert;
    },
  );
  api.add(
    {
      method: 'post',
      path: '/api/alerts/:id/unshelve',
      tags: ['alarms'],
      params: alertParams,
      body: unshelveBody,
      access: { kind: 'permission', permission: 'operate', site: (i) => siteOf(i.params.id) },
      summary: 'Puts a shelved alarm back in view, with an optional comment. Audited as alert.unshelve',
      responses: responses(),
    },
    ({ ctx, params, body, user }) => {
      const alert = runCommand(() => commands(params.id).unshelve(params.id, user!.name, body.comment));
      record(user!.name, 'alert.unshelve', alert, body.comment ? { comment: body.comment } : {});
      ctx.body = alert;
    },
  );
  api.add(
    {
      method: 'post',
      path: '/api/alerts/:id/close',
      tags: ['alarms'],
      params: alertParams,
      body: closeBody,
      access: { kind: 'permission', permission: 'operate', site: (i) => siteOf(i.params.id) },
      summary: 'Closes an incident whose condition has cleared ("condition cleared, awaiting close"), with a comment. Audited as alert.close',
      responses: responses({ 409: { description: 'not an incident, or its condition is still present', schema: errorSchema } }),
    },
    ({ ctx, params, body, user }) => {
      const alert = runCommand(() => commands(params.id).close(params.id, user!.name, body.comment));
      record(user!.name, 'alert.close', alert, { comment: body.comment });
      ctx.body = alert;
    },
  );
  api.add(
    {
      method: 'post',
      path: '/api/alerts/:id/respond',
      tags: ['alarms'],
      params: alertParams,
      body: respondBody,
      access: { kind: 'permission', permission: ['respond', 'operate'], site: (i) => siteOf(i.params.id) },
      summary: "A rescue team (or the site's manager) reports its progress on an incident: acknowledged, en-route, on-scene. Audited as alert.respond",
      responses: responses({ 409: { description: 'not an incident, or a state that does not allow this report', schema: errorSchema } }),
    },
    ({ ctx, params, body, user }) => {
      const alert = runCommand(() => commands(params.id).respond(params.id, user!.name, body.status));
      record(user!.name, 'alert.respond', alert, { status: body.status });
      ctx.body = alert;
    },
  );
}
