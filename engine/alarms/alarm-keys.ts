import type { Alert } from '../../model/index.ts';
import { parseDuration, type Standard } from '../../standards/index.ts';
import type { AlarmBookOptions } from './alarm-book.ts';

/** One condition holds one alarm: a clause on a subject, or a hazard on a subject. */
export const clauseAlarmKey = (clause: string, subject: string) => `${clause}\u0000${subject}`;
export const hazardAlarmKey = (hazard: string, subject: string) => `hazard\u0000${hazard}\u0000${subject}`;

/**
 * The condition key of a stored alert, so a restored alarm meets its condition again. Read from its
 * id (`<site>:<key parts>:<raisedAt>`), which db keeps even where it drops lifecycle and incident.
 */
export function alarmKeyOf(alert: Alert): string {
  const parts = alert.id.split(':');
  if (parts.length >= 4 && parts[0] === alert.site) return parts.slice(1, -1).join('\u0000');
  const subject = alert.subjects[0] ?? alert.site;
  if (alert.incident) return hazardAlarmKey(alert.incident.hazard, subject);
  return clauseAlarmKey(alert.clause ?? alert.kind, subject);
}

/** Escalation, shelving and incident limits from the standard's `alarms` section (none when it has none). */
export function alarmTimings(standard: Standard): Pick<AlarmBookOptions, 'escalateAfterMs' | 'maxShelveMs' | 'neverShelve' | 'incidentDelayOffMs'> {
  const a = standard.alarms;
  if (!a) return {};
  const ms = (text: string) => parseDuration(text)!.ms;
  return {
    escalateAfterMs: { 1: ms(a.escalateAfter['1']), 2: ms(a.escalateAfter['2']), 3: ms(a.escalateAfter['3']), 4: ms(a.escalateAfter['4']) },
    maxShelveMs: ms(a.maxShelve),
    neverShelve: a.neverShelve,
    ...(a.incidentDelayOff ? { incidentDelayOffMs: ms(a.incidentDelayOff) } : {}),
  };
}
