import type { Alert } from '../../model/index.ts';

/** An incident that can explain other alarms: open, its condition present. */
const explains = (a: Alert) => a.incident !== undefined && a.state !== 'cleared' && a.lifecycle?.condition !== 'returned';

/** the most severe first, then the earliest, then by id: the same answer for the same alarms */
const byPrecedence = (a: Alert, b: Alert) => a.severity - b.severity || a.raisedAt - b.raisedAt || a.id.localeCompare(b.id);

/**
 * The open incident an alarm on `subjects` is consequential to during a flood: one whose affected
 * assets include a subject. Undefined when none does. Pure and deterministic.
 */
export function causeAmong(subjects: readonly string[], open: readonly Alert[], except?: string): string | undefined {
  const incidents = open.filter((a) => a.id !== except && explains(a) && a.incident!.affected.some((asset) => subjects.includes(asset)));
  return incidents.sort(byPrecedence)[0]?.id;
}

/** The alarms (not incidents) to mark with their cause now, as [alert id, incident id], in a stable order. */
export function floodGroups(open: readonly Alert[]): [string, string][] {
  const marks: [string, string][] = [];
  for (const alert of [...open].sort(byPrecedence)) {
    if (alert.incident || alert.state === 'cleared') continue;
    const cause = causeAmong(alert.subjects, open, alert.id);
    if (cause !== undefined && cause !== alert.cause) marks.push([alert.id, cause]);
  }
  return marks;
}
