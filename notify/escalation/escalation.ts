/**
 * Escalation of one alert through its site's policy: step 0 at once, each later step when its
 * minutes have passed since the alert was raised and nobody has acknowledged; an acknowledgement
 * (or response) by a person stops it, clearing closes it.
 */
import type { Alert, EscalationPolicy } from '../../model/index.ts';
import type { EscalationState } from '../journal.ts';

const MINUTE = 60_000;

/** Incidents always follow the policy; alarms when at least as severe as its maxSeverity (default 2). */
export function notifiable(alert: Alert, policy: EscalationPolicy | undefined): boolean {
  return alert.incident !== undefined || alert.severity <= (policy?.maxSeverity ?? 2);
}

/** who acknowledged, when this transition is a person's acknowledgement or response */
export function acknowledgement(alert: Alert): EscalationState['stopped'] {
  const t = alert.transition;
  if (t && (t.action === 'acknowledge' || t.action === 'respond') && !t.by.startsWith('system:')) return { by: t.by, at: t.at, action: t.action };
  return undefined;
}

export function newEscalation(alert: Alert): EscalationState {
  return { alertId: alert.id, site: alert.site, raisedAt: alert.raisedAt, exercise: alert.exercise === true, reached: 0, told: [], closed: false };
}

export function active(state: EscalationState): boolean {
  return state.stopped === undefined && !state.closed;
}

/** Reaches every step that is due at `now`; returns the steps reached by this call. */
export function reachDueSteps(state: EscalationState, policy: EscalationPolicy, now: number): number[] {
  const reached: number[] = [];
  while (active(state) && state.reached < policy.steps.length && dueAt(state, policy, state.reached)! <= now) {
    reached.push(state.reached);
    state.reached += 1;
  }
  return reached;
}

/** when step `index` falls due; undefined past the last step */
export function dueAt(state: EscalationState, policy: EscalationPolicy, index: number): number | undefined {
  const step = policy.steps[index];
  return step === undefined ? undefined : state.raisedAt + step.afterMinutes * MINUTE;
}
