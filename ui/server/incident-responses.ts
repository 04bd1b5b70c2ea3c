import type { CommandsView } from './commands.ts';
import type { ResponseRecord } from './incident-types.ts';

const STATUSES = new Set<string>(['acknowledged', 'en-route', 'on-scene']);

export interface ResponseLog {
  /** every report on the alert made through this server since it started, newest first */
  of(alertId: string): ResponseRecord[];
  /** the alarm commands, keeping the respond transition of every report that goes through */
  watch(commands: CommandsView): CommandsView;
}

/**
 * Rescue teams' reports on incidents, kept from the `respond` transitions the commands answer with.
 * An alert carries only its latest transition, so a later update would hide who is on the way; this
 * keeps them for the incident page. Bounded: the reports of at most `maxAlerts` alerts, oldest forgotten first.
 */
export function createResponseLog(maxAlerts = 1000): ResponseLog {
  const log = new Map<string, ResponseRecord[]>();
  return {
    of: (alertId) => [...(log.get(alertId) ?? [])],
    watch: (commands) => ({
      alert: (id) => commands.alert(id),
      acknowledge: (id, by, comment) => commands.acknowledge(id, by, comment),
      shelve: (id, by, until, reason) => commands.shelve(id, by, until, reason),
      unshelve: (id, by, comment) => commands.unshelve(id, by, comment),
      close: (id, by, comment) => commands.close(id, by, comment),
      respond: (id, by, status) => {
        const alert = commands.respond(id, by, status);
        const t = alert.transition;
        const report: ResponseRecord = t?.action === 'respond' && t.status && STATUSES.has(t.status)
          ? { status: t.status as ResponseRecord['status'], by: t.by, at: t.at }
          : { status, by, at: alert.changedAt };
        const list = log.get(alert.id) ?? [];
        log.delete(alert.id);
        log.set(alert.id, [report, ...list]);
        while (log.size > maxAlerts) log.delete(log.keys().next().value!);
        return alert;
      },
    }),
  };
}
