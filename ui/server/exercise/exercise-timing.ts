import { isResponseStatus, type ExerciseEntry, type ExerciseParty, type ExerciseReport, type ExerciseRequirement, type ExerciseTiming } from '../../../model/index.ts';

const MIN = 60_000;

/**
 * Each expected report against its requirement, from the timeline: the first time anyone reported it,
 * in minutes from the exercise's first alert. Never reported is 'missed' — missing is never met.
 */
const minutesFrom = (from: number, at: number) => Math.round(((at - from) / MIN) * 100) / 100;

export function exerciseTimings(timeline: readonly ExerciseEntry[], expected: readonly ExerciseReport[], requirements: readonly ExerciseRequirement[]): ExerciseTiming[] {
  const alerted = timeline.find((e) => e.what === 'alerted')?.at;
  return expected.map((report) => {
    const requirement = requirements.find((r) => r.report === report);
    const first = timeline.find((e) => e.what === report);
    if (!first || alerted === undefined) return { report, outcome: 'missed', ...(requirement ? { requirement } : {}) };
    const minutes = minutesFrom(alerted, first.at);
    const outcome = requirement === undefined ? 'recorded' : minutes <= requirement.minutes ? 'met' : 'late';
    return { report, at: first.at, by: first.by, minutes, outcome, ...(requirement ? { requirement } : {}) };
  });
}

/** Each participant's received, en route and on scene, in minutes from the first alert (their first report of each), in the order they first reported. */
export function exerciseParties(timeline: readonly ExerciseEntry[]): ExerciseParty[] {
  const alerted = timeline.find((e) => e.what === 'alerted')?.at;
  if (alerted === undefined) return [];
  const parties = new Map<string, ExerciseParty>();
  for (const e of timeline) {
    if (!isResponseStatus(e.what)) continue;
    const party = parties.get(e.by) ?? { by: e.by, minutes: {} };
    party.minutes[e.what] ??= minutesFrom(alerted, e.at);
    parties.set(e.by, party);
  }
  return [...parties.values()];
}
