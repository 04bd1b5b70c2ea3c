/**
 * Exercises (演练) on a shadow of a site's twin: the one home of their words. An exercise's alerts carry
 * Alert.exercise = true (model/results.ts) and an id of their own (exerciseAlertId), so that no live path,
 * message or statistic can take one for a real incident.
 */
import { RESPONSE_STATUSES, type ResponseStatus } from './responses.ts';
import type { Alert, Bilingual } from './results.ts';

/** running → completed (the drill is filed as evidence) or stopped (called off: nothing filed) */
export const EXERCISE_STATES = ['running', 'completed', 'stopped'] as const;
export type ExerciseState = (typeof EXERCISE_STATES)[number];

/** Required actions a participant reports during an exercise, besides the team's own progress (RESPONSE_STATUSES). */
export const EXERCISE_ACTIONS = ['cooling-started', 'neighbour-cooling-started', 'foam-applied', 'dike-drain-closed', 'evacuation-confirmed'] as const;
export type ExerciseAction = (typeof EXERCISE_ACTIONS)[number];

/** What can be reported on an exercise alert: a team's progress or a required action. */
export const EXERCISE_REPORTS = [...RESPONSE_STATUSES, ...EXERCISE_ACTIONS] as const;
export type ExerciseReport = ResponseStatus | ExerciseAction;

export function isExerciseReport(value: unknown): value is ExerciseReport {
  return (EXERCISE_REPORTS as readonly unknown[]).includes(value);
}

/** One line of an exercise's timeline: alerts raised by the shadow twin, reports by people, start, end. */
export interface ExerciseEntry {
  /** exercise time (the shadow twin's clock), ms since epoch */
  at: number;
  /** a user name, or "system:exercise" */
  by: string;
  what: 'start' | 'alerted' | ExerciseReport | 'comment' | 'stop' | 'complete';
  /** the exercise alert it is about */
  alert?: string;
  /** an alert's message, a person's comment */
  text?: Bilingual | string;
}

/** A required time of the standard a report is held to, with where it comes from. */
export interface ExerciseRequirement {
  report: ExerciseReport;
  /** minutes from the first alert of the exercise */
  minutes: number;
  /** "<clause id>" whose param holds it, and the param's name */
  clause: string;
  param: string;
  /** the param's cited source */
  source: string;
}

/** One expected report and how it went against its requirement. */
export interface ExerciseTiming {
  report: ExerciseReport;
  /** when it was first reported (exercise time); none when it never was */
  at?: number;
  by?: string;
  /** minutes from the first alert to the report */
  minutes?: number;
  requirement?: ExerciseRequirement;
  /** 'met' within the required time, 'late' past it, 'missed' never reported, 'recorded' reported where the standard sets no time */
  outcome: 'met' | 'late' | 'missed' | 'recorded';
}

/** One participant's progress: minutes from the first alert to each of their reports of RESPONSE_STATUSES (first of each). */
export interface ExerciseParty {
  by: string;
  minutes: Partial<Record<ResponseStatus, number>>;
}

/** An exercise as the API shows it. */
export interface Exercise {
  id: string;
  site: string;
  scenario: string;
  scenarioTitle: Bilingual;
  state: ExerciseState;
  startedAt: number;
  startedBy: string;
  /** exercise time runs this many times faster than real time (1 in a real drill) */
  speed: number;
  /** exercise time now (or when it ended) */
  now: number;
  endedAt?: number;
  endedBy?: string;
  /** the alerts the shadow twin raised, each as it stands, marked exercise */
  alerts: Alert[];
  timeline: ExerciseEntry[];
  timings: ExerciseTiming[];
  /** each participant's received, en route, on scene */
  parties: ExerciseParty[];
  comments: string[];
  /** once completed: the signed report's SHA-256, and the evidence records filed */
  report?: { sha256: string; file: string; keyId: string };
  filed?: { kind: string; clause: string; validUntil: number; passed: boolean }[];
}

/** The id of an exercise's alert: never the id of a live alert (the site stays first, as every alert id). */
export function exerciseAlertId(exerciseId: string, alert: Pick<Alert, 'id' | 'site'>): string {
  const rest = alert.id.startsWith(`${alert.site}:`) ? alert.id.slice(alert.site.length + 1) : alert.id;
  return `${alert.site}:exercise:${exerciseId}:${rest}`;
}

/** The exercise an alert id belongs to, or undefined for a live alert. */
export function exerciseOfAlert(alertId: string): string | undefined {
  return /^[^:]+:exercise:([^:]+):/.exec(alertId)?.[1];
}

/** The banner word on every exercise message and screen. */
export const EXERCISE_MARK: Bilingual = { zh: '【演练】', en: '[EXERCISE] ' };
