import type { ResponseRecord } from './incident-types.ts';
import type { AuditEntryView, AuditSink } from './views.ts';

const STATUSES = new Set<string>(['acknowledged', 'en-route', 'on-scene']);

export interface ResponseLog {
  /** every report on the alert made through this server since it started, newest first */
  of(alertId: string): ResponseRecord[];
  /** the audit sink, passing every entry on and keeping the rescue teams' reports (alert.respond) */
  tap(audit: AuditSink): AuditSink;
}

/**
 * Rescue teams' reports on incidents, kept from the alert.respond audit entries of the respond route.
 * An alert carries only its latest transition, so a later update would hide who is on the way; this
 * keeps them for the incident page. Bounded: the reports of at most `maxAlerts` alerts, oldest forgotten first.
 */
export function createResponseLog(now: () => number, maxAlerts = 1000): ResponseLog {
  const log = new Map<string, ResponseRecord[]>();
  const keep = (entry: AuditEntryView) => {
    const status = entry.details?.['status'];
    if (entry.action !== 'alert.respond' || typeof status !== 'string' || !STATUSES.has(status)) return;
    const list = log.get(entry.subject) ?? [];
    list.unshift({ status: status as ResponseRecord['status'], by: entry.actor, at: now() });
    log.delete(entry.subject);
    log.set(entry.subject, list);
    while (log.size > maxAlerts) log.delete(log.keys().next().value!);
  };
  return {
    of: (alertId) => [...(log.get(alertId) ?? [])],
    tap: (audit) => (entry) => {
      keep(entry);
      audit(entry);
    },
  };
}
