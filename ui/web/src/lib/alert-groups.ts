import type { Alert } from './api.ts';

export interface AlertRow {
  alert: Alert;
  /** the incident this alarm is shown under (during an alarm flood); absent for incidents and alarms on their own */
  under?: string;
}

const order = (a: Alert, b: Alert) => a.severity - b.severity || b.raisedAt - a.raisedAt || a.id.localeCompare(b.id);

/**
 * The alarm list as an operator reads it: incidents first (most severe, then newest), each followed
 * by the alarms the engine marked as consequential to it during a flood (`cause`); then the other
 * alarms, most severe then newest. An alarm whose cause is no longer listed stands on its own.
 */
export function alertRows(alerts: readonly Alert[]): AlertRow[] {
  const incidents = alerts.filter((a) => a.incident).sort(order);
  const listed = new Set(incidents.map((a) => a.id));
  const under = new Map<string, Alert[]>();
  const alone: Alert[] = [];
  for (const a of alerts) {
    if (a.incident) continue;
    if (a.cause !== undefined && listed.has(a.cause)) under.set(a.cause, [...(under.get(a.cause) ?? []), a]);
    else alone.push(a);
  }
  return [
    ...incidents.flatMap((incident) => [{ alert: incident }, ...(under.get(incident.id) ?? []).sort(order).map((alert) => ({ alert, under: incident.id }))]),
    ...alone.sort(order).map((alert) => ({ alert })),
  ];
}
