import type { SchedulerLike, Subscription } from 'rxjs';
import { isResponseStatus, RESPONSE_STATUSES, type Alert, type AlertLifecycle, type AlertTransition, type Bilingual, type IncidentDetails } from '../../model/index.ts';
import { EngineError } from '../engine-errors.ts';
import { summaryState } from './alarm-state.ts';

/** What a condition raises: from a clause's `alert`, or a hazard model's finding. */
export interface AlarmSpec {
  kind: string;
  severity: Alert['severity'];
  message: Bilingual;
  actions: Bilingual[];
  subjects: string[];
  clause?: string;
  standard: string;
  incident?: IncidentDetails;
}

export interface AlarmBookOptions {
  site: string;
  scheduler: SchedulerLike;
  /** ms after which an unacknowledged alarm of a severity escalates (and again each time); none when absent */
  escalateAfterMs?: Record<Alert['severity'], number>;
  /** the longest shelving allowed, ms */
  maxShelveMs?: number;
  /** alarms never shelved nor suppressed: these severities, and every incident when `incidents` */
  neverShelve?: { severities: readonly number[]; incidents: boolean };
  /** how long an incident's condition must stay clear before it awaits closing, ms (0 when absent) */
  incidentDelayOffMs?: number;
  /** every new version of an alert, with the transition that made it */
  emit: (alert: Alert) => void;
  /** the incident a new alarm on these subjects is consequential to (flood grouping); none when absent */
  causeOf?: (subjects: string[]) => string | undefined;
}

interface Entry {
  key: string;
  alert: Alert;
  escalation?: Subscription;
  unshelve?: Subscription;
  /** when the escalation clock last started: raise, last escalation, re-alarm, unshelve, unsuppress */
  clockFrom?: number;
  /** an incident's return waiting out its delay-off */
  returning?: Subscription;
}

const SYSTEM = 'system:engine';
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The alarms of one site with their ISA-18.2 / OPC UA Part 9 lifecycle: raised and returned by
 * their condition (keyed by clause or hazard and subject, so one condition holds one alarm),
 * acknowledged with a comment, shelved for a time by a named person, suppressed by design while an
 * asset is out of service, escalated on the scheduler while unacknowledged, responded to by rescue
 * teams. Severity-1 alarms and incidents (by the standard's `neverShelve`) cannot be shelved nor
 * suppressed. An incident whose condition stays clear for its delay-off awaits closing by a person
 * with a comment, and reopens if the condition returns first. Every change is emitted with the
 * transition that made it.
 */
export function createAlarmBook(options: AlarmBookOptions) {
  const { site, scheduler } = options;
  const byKey = new Map<string, Entry>();
  const byId = new Map<string, Entry>();
  const suppressed = new Map<string, string>();
  /** the open alerts as last listed, kept until one changes (the live risk reads them on every verdict and alert change) */
  let opened: readonly Alert[] | undefined;

  const change = (entry: Entry, lifecycle: AlertLifecycle, transition: AlertTransition, patch: Partial<Alert> = {}) => {
    const state = summaryState(lifecycle);
    opened = undefined;
    entry.alert = { ...entry.alert, ...patch, lifecycle, state, changedAt: transition.at, transition };
    if (state === 'cleared') forget(entry);
    else armEscalation(entry);
    options.emit(entry.alert);
  };
  const forget = (entry: Entry) => {
    entry.escalation?.unsubscribe();
    entry.unshelve?.unsubscribe();
    entry.returning?.unsubscribe();
    opened = undefined;
    byKey.delete(entry.key);
    byId.delete(entry.alert.id);
  };
  /** escalation runs while the condition is active, unacknowledged and neither shelved nor suppressed */
  const armEscalation = (entry: Entry) => {
    const l = entry.alert.lifecycle!;
    const every = options.escalateAfterMs?.[entry.alert.severity];
    const due = every !== undefined && l.condition === 'active' && !l.acknowledged && !l.shelved && !l.suppressed;
    if (!due) {
      entry.escalation?.unsubscribe();
      entry.escalation = undefined;
      entry.clockFrom = undefined; // restarts when the alarm needs attention again
      return;
    }
    if (entry.escalation) return;
    entry.clockFrom ??= scheduler.now();
    const at = entry.clockFrom + every;
    entry.escalation = scheduler.schedule(
      () => {
        entry.escalation = undefined;
        if (scheduler.now() < at) return armEscalation(entry); // a delay longer than a timer takes
        entry.clockFrom = scheduler.now();
        const now = entry.alert.lifecycle!;
        change(entry, { ...now, escalations: now.escalations + 1 }, { at: scheduler.now(), by: SYSTEM, action: 'escalate' });
      },
      Math.min(MAX_TIMER_MS, Math.max(0, at - scheduler.now())),
    );
  };
  const armUnshelve = (entry: Entry) => {
    entry.unshelve?.unsubscribe();
    entry.unshelve = undefined;
    const until = entry.alert.lifecycle?.shelved?.until;
    if (until === undefined) return;
    entry.unshelve = scheduler.schedule(
      () => {
        entry.unshelve = undefined;
        if (scheduler.now() < until) return armUnshelve(entry);
        const { shelved: _, ...rest } = entry.alert.lifecycle!;
        change(entry, rest, { at: scheduler.now(), by: SYSTEM, action: 'unshelve', comment: 'shelving time is over' });
      },
      Math.min(MAX_TIMER_MS, Math.max(0, until - scheduler.now())),
    );
  };
  const entryOf = (id: string): Entry => {
    const entry = byId.get(id);
    if (!entry) throw new EngineError('ENGINE_UNKNOWN_ALERT', `site ${site} holds no open alert ${id}`);
    return entry;
  };
  const required = (value: string | undefined, what: string) => {
    if (typeof value !== 'string' || value.trim() === '') throw new EngineError('ENGINE_BAD_COMMAND', `${what} is required`);
    return value.trim();
  };
  /** why an alarm may not be shelved nor suppressed, or undefined when it may */
  const protectedBecause = (alert: Pick<Alert, 'severity' | 'incident'>): string | undefined => {
    const rule = options.neverShelve;
    if (!rule) return undefined;
    if (rule.incidents && alert.incident) return `a ${alert.incident.hazard} incident is never shelved nor suppressed: it is the present danger`;
    if (rule.severities.includes(alert.severity)) return `a severity-${alert.severity} alarm is never shelved nor suppressed`;
    return undefined;
  };
  /** the condition has returned: an incident awaits closing by a person (its countdowns are over), an alarm follows ISA-18.2 */
  const returnNow = (entry: Entry, at: number) => {
    entry.returning = undefined;
    const incident = entry.alert.incident;
    const counting = incident && (incident.countdowns.length > 0 || incident.unknownCountdowns !== undefined);
    const patch: Partial<Alert> = counting ? { incident: { ...withoutUnknownCountdowns(incident), countdowns: [] } } : {};
    const comment = incident ? 'condition cleared, awaiting close' : undefined;
    change(entry, { ...entry.alert.lifecycle!, condition: 'returned' }, { at, by: SYSTEM, action: 'return', ...(comment ? { comment } : {}) }, patch);
  };
  const suppressionOf = (subjects: string[]) => {
    for (const s of subjects) {
      const reason = suppressed.get(s);
      if (reason !== undefined) return { reason };
    }
    return undefined;
  };

  return {
    /** the condition behind `key` is present (`active`) or not; `spec` says what it raises */
    condition(key: string, spec: AlarmSpec | undefined, active: boolean, at: number): void {
      const entry = byKey.get(key);
      if (active) {
        if (!spec) return;
        if (entry?.returning) {
          // back within its delay-off: the incident never left
          entry.returning.unsubscribe();
          entry.returning = undefined;
        }
        if (!entry) {
          const neverShelve = protectedBecause(spec);
          const suppression = neverShelve ? undefined : suppressionOf(spec.subjects);
          const lifecycle: AlertLifecycle = {
            condition: 'active',
            acknowledged: false,
            escalations: 0,
            ...(neverShelve ? { neverShelve } : {}),
            ...(suppression ? { suppressed: suppression } : {}),
            ...(spec.incident ? { closeRequired: true } : {}),
          };
          const cause = spec.incident ? undefined : options.causeOf?.(spec.subjects);
          const alert: Alert = {
            id: `${site}:${key.replaceAll('\u0000', ':')}:${at}`,
            site,
            kind: spec.kind,
            severity: spec.severity,
            state: summaryState(lifecycle),
            raisedAt: at,
            changedAt: at,
            subjects: spec.subjects,
            message: spec.message,
            actions: spec.actions,
            ...(spec.clause ? { clause: spec.clause } : {}),
            standard: spec.standard,
            lifecycle,
            transition: { at, by: SYSTEM, action: 'raise' },
            ...(spec.incident ? { incident: spec.incident } : {}),
            ...(cause ? { cause } : {}),
          };
          const created: Entry = { key, alert };
          opened = undefined;
          byKey.set(key, created);
          byId.set(alert.id, created);
          armEscalation(created);
          options.emit(alert);
          return;
        }
        const l = entry.alert.lifecycle!;
        if (l.condition === 'returned') {
          // re-alarm: the condition came back before the alarm was cleared (an incident before it was closed): the same alarm reopens
          const comment = entry.alert.incident ? 'reopened: the condition returned before the incident was closed' : 're-alarm after return';
          change(entry, { ...l, condition: 'active', acknowledged: false }, { at, by: SYSTEM, action: 'raise', comment }, specPatch(spec));
        } else if (spec.incident && changed(entry.alert, spec)) {
          change(entry, l, { at, by: SYSTEM, action: 'update' }, specPatch(spec));
        }
        return;
      }
      if (!entry || entry.alert.lifecycle!.condition === 'returned' || entry.returning) return;
      const delayOff = entry.alert.incident ? (options.incidentDelayOffMs ?? 0) : 0;
      if (delayOff <= 0) return returnNow(entry, at);
      entry.returning = scheduler.schedule(() => returnNow(entry, scheduler.now()), delayOff);
    },
    acknowledge(id: string, by: string, comment: string): Alert {
      const entry = entryOf(id);
      const who = required(by, 'who acknowledges (by)');
      const why = required(comment, 'an acknowledgement comment');
      const l = entry.alert.lifecycle!;
      if (l.acknowledged) throw new EngineError('ENGINE_ALERT_STATE', `alert ${id} is already acknowledged`);
      change(entry, { ...l, acknowledged: true }, { at: scheduler.now(), by: who, action: 'acknowledge', comment: why });
      return entry.alert;
    },
    shelve(id: string, by: string, untilMs: number, reason: string): Alert {
      const entry = entryOf(id);
      const who = required(by, 'who shelves (by)');
      const why = required(reason, 'a reason for shelving');
      const now = scheduler.now();
      if (!Number.isFinite(untilMs) || untilMs <= now) throw new EngineError('ENGINE_BAD_COMMAND', `shelve until ${untilMs} is not in the future (now ${now})`);
      if (options.maxShelveMs !== undefined && untilMs - now > options.maxShelveMs)
        throw new EngineError('ENGINE_BAD_COMMAND', `an alarm may be shelved for at most ${options.maxShelveMs / 60_000} min`);
      const l = entry.alert.lifecycle!;
      const refused = protectedBecause(entry.alert);
      if (refused) throw new EngineError('ENGINE_NOT_SHELVABLE', `alert ${id} cannot be shelved: ${refused}`);
      if (l.shelved) throw new EngineError('ENGINE_ALERT_STATE', `alert ${id} is already shelved until ${new Date(l.shelved.until).toISOString()}`);
      change(entry, { ...l, shelved: { by: who, until: untilMs, reason: why } }, { at: now, by: who, action: 'shelve', comment: why });
      armUnshelve(entry);
      return entry.alert;
    },
    unshelve(id: string, by: string, comment?: string): Alert {
      const entry = entryOf(id);
      const who = required(by, 'who unshelves (by)');
      const { shelved, ...rest } = entry.alert.lifecycle!;
      if (!shelved) throw new EngineError('ENGINE_ALERT_STATE', `alert ${id} is not shelved`);
      entry.unshelve?.unsubscribe();
      entry.unshelve = undefined;
      change(entry, rest, { at: scheduler.now(), by: who, action: 'unshelve', ...(comment ? { comment } : {}) });
      return entry.alert;
    },
    /** suppresses by design every alarm on `asset`, now and until unsuppressed */
    suppress(asset: string, by: string, reason: string): Alert[] {
      const why = required(reason, 'a reason for suppressing');
      const who = required(by, 'who suppresses (by)');
      for (const entry of byId.values()) {
        const refused = entry.alert.subjects.includes(asset) ? protectedBecause(entry.alert) : undefined;
        if (refused) throw new EngineError('ENGINE_NOT_SHELVABLE', `${asset} cannot be suppressed while alert ${entry.alert.id} is open: ${refused}`);
      }
      suppressed.set(asset, why);
      const touched: Alert[] = [];
      for (const entry of [...byId.values()])
        if (entry.alert.subjects.includes(asset) && !entry.alert.lifecycle!.suppressed) {
          change(entry, { ...entry.alert.lifecycle!, suppressed: { reason: why } }, { at: scheduler.now(), by: who, action: 'suppress', comment: why });
          touched.push(entry.alert);
        }
      return touched;
    },
    unsuppress(asset: string, by: string): Alert[] {
      const who = required(by, 'who unsuppresses (by)');
      if (!suppressed.delete(asset)) throw new EngineError('ENGINE_ALERT_STATE', `asset ${asset} is not suppressed`);
      const touched: Alert[] = [];
      for (const entry of [...byId.values()]) {
        const { suppressed: was, ...rest } = entry.alert.lifecycle!;
        if (!was || suppressionOf(entry.alert.subjects)) continue;
        change(entry, rest, { at: scheduler.now(), by: who, action: 'unsuppress' });
        touched.push(entry.alert);
      }
      return touched;
    },
    /** a person closes an incident whose condition has cleared, with a comment; it is cleared then */
    close(id: string, by: string, comment: string): Alert {
      const entry = entryOf(id);
      const who = required(by, 'who closes (by)');
      const why = required(comment, 'a closing comment');
      const l = entry.alert.lifecycle!;
      if (!l.closeRequired) throw new EngineError('ENGINE_ALERT_STATE', `alert ${id} is not an incident; an alarm clears when its condition has returned and it is acknowledged`);
      if (l.condition !== 'returned') throw new EngineError('ENGINE_ALERT_STATE', `incident ${id} cannot be closed: its condition is still present`);
      change(entry, { ...l, acknowledged: true, closeRequired: false }, { at: scheduler.now(), by: who, action: 'close', comment: why });
      return entry.alert;
    },
    isSuppressed: (asset: string) => suppressed.has(asset),
    /** shows an open alarm under the incident it is consequential to (flood grouping); emits an update */
    groupUnder(id: string, cause: string): void {
      const entry = byId.get(id);
      if (!entry || entry.alert.cause === cause || entry.alert.incident) return;
      change(entry, entry.alert.lifecycle!, { at: scheduler.now(), by: SYSTEM, action: 'update', comment: `consequential to ${cause} (alarm flood)` }, { cause });
    },
    respond(id: string, by: string, status: string): Alert {
      const entry = entryOf(id);
      const who = required(by, 'who responds (by)');
      if (!isResponseStatus(status)) throw new EngineError('ENGINE_BAD_COMMAND', `response status must be one of ${RESPONSE_STATUSES.join(', ')}, not ${JSON.stringify(status)}`);
      if (!entry.alert.incident) throw new EngineError('ENGINE_ALERT_STATE', `alert ${id} is not an incident; rescue teams respond to incidents`);
      change(entry, entry.alert.lifecycle!, { at: scheduler.now(), by: who, action: 'respond', status });
      return entry.alert;
    },
    /** takes back an open alert stored before a restart: same id, its lifecycle, timers re-armed; emits nothing */
    restore(alert: Alert, key: string): void {
      if (alert.state === 'cleared' || byId.has(alert.id)) return;
      const lifecycle: AlertLifecycle = alert.lifecycle
        ? { ...alert.lifecycle }
        : {
            condition: 'active',
            acknowledged: alert.state === 'acknowledged',
            escalations: 0,
            ...(alert.incident ? { closeRequired: true } : {}),
          };
      const neverShelve = protectedBecause(alert);
      if (neverShelve) lifecycle.neverShelve = neverShelve;
      const entry: Entry = { key, alert: { ...alert, lifecycle }, clockFrom: alert.changedAt };
      const old = byKey.get(key);
      if (old) forget(old);
      opened = undefined;
      byKey.set(key, entry);
      byId.set(alert.id, entry);
      armEscalation(entry);
      armUnshelve(entry);
    },
    get: (id: string) => byId.get(id)?.alert,
    keyOf: (id: string) => byId.get(id)?.key,
    /** the open alerts, in the order they were raised: the same list until one of them changes */
    open: (): readonly Alert[] => (opened ??= [...byId.values()].map((e) => e.alert)),
    dispose() {
      for (const entry of byId.values()) {
        entry.escalation?.unsubscribe();
        entry.unshelve?.unsubscribe();
        entry.returning?.unsubscribe();
      }
      opened = undefined;
      byId.clear();
      byKey.clear();
    },
  };
}

export type AlarmBook = ReturnType<typeof createAlarmBook>;

function withoutUnknownCountdowns(incident: IncidentDetails): IncidentDetails {
  const { unknownCountdowns: _, ...rest } = incident;
  return rest;
}

function specPatch(spec: AlarmSpec): Partial<Alert> {
  return { severity: spec.severity, message: spec.message, actions: spec.actions, subjects: spec.subjects, ...(spec.incident ? { incident: spec.incident } : {}) };
}

/** An incident changed enough to tell the responders: severity, message, affected assets, zones or countdowns. */
function changed(alert: Alert, spec: AlarmSpec): boolean {
  return (
    alert.severity !== spec.severity ||
    alert.message.en !== spec.message.en ||
    // hazard models hand back the same held incident until it changes: identity first, serialising only when it differs
    (alert.incident !== spec.incident && JSON.stringify(alert.incident) !== JSON.stringify(spec.incident))
  );
}
