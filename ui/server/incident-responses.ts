import { isResponseStatus, type Alert } from '../../model/index.ts';
import type { AlarmCommands } from './commands.ts';
import type { ResponseRecord } from './incident-types.ts';
import type { AlertHistory } from './ports.ts';

export interface ResponseLog {
  /** every report on the alert, newest first: those the store holds (across restarts) and those made since */
  of(alertId: string): Promise<ResponseRecord[]>;
  /** the alarm commands, keeping the respond transition of every report that goes through */
  watch(commands: AlarmCommands): AlarmCommands;
}

/** the report a `respond` transition of an alert records, if it is one */
function reportOf(alert: Alert): ResponseRecord | undefined {
  const t = alert.transition;
  return t?.action === 'respond' && isResponseStatus(t.status) ? { status: t.status, by: t.by, at: t.at } : undefined;
}

/**
 * Rescue teams' reports on incidents. An alert carries only its latest transition, so a later update
 * would hide who is on the way; every transition is stored (db alert_transitions), so the reports are
 * read back from there and survive a restart. The reports made through this server are also kept in
 * memory until the writer has stored them (it writes in batches): at most those of `maxAlerts` alerts.
 */
export function createResponseLog(history?: AlertHistory, maxAlerts = 1000): ResponseLog {
  const recent = new Map<string, ResponseRecord[]>();
  return {
    async of(alertId) {
      const stored = history?.alertHistory ? (await history.alertHistory(alertId)).map((t) => reportOf(t.alert)).filter((r): r is ResponseRecord => r !== undefined) : [];
      const seen = new Set(stored.map((r) => `${r.at}|${r.by}|${r.status}`));
      const all = [...stored, ...(recent.get(alertId) ?? []).filter((r) => !seen.has(`${r.at}|${r.by}|${r.status}`))];
      return all.sort((a, b) => b.at - a.at);
    },
    watch: (commands) => ({
      alert: (id) => commands.alert(id),
      acknowledge: (id, by, comment) => commands.acknowledge(id, by, comment),
      shelve: (id, by, until, reason) => commands.shelve(id, by, until, reason),
      unshelve: (id, by, comment) => commands.unshelve(id, by, comment),
      close: (id, by, comment) => commands.close(id, by, comment),
      respond: (id, by, status) => {
        const alert = commands.respond(id, by, status);
        const report = reportOf(alert) ?? { status, by, at: alert.changedAt };
        const list = recent.get(alert.id) ?? [];
        recent.delete(alert.id);
        recent.set(alert.id, [report, ...list]);
        while (recent.size > maxAlerts) recent.delete(recent.keys().next().value!);
        return alert;
      },
    }),
  };
}
