import type { ExerciseEntry, ExerciseReport, ExerciseRequirement, ExerciseTiming } from '../../../model/index.ts';

const MIN = 60_000;

/**
 * Each expected report against its requirement, from the timeline: the first time anyone reported it,
 * in minutes from the exercise's first alert. Never reported is 'missed' — missing is never met.
 */
export function exerciseTimings(timeline: readonly ExerciseEntry[], expected: readonly ExerciseReport[], requirements: readonly ExerciseRequirement[]): ExerciseTiming[] {
  const alerted = timeline.find((e) => e.what === 'alerted')?.at;
  return expected.map((report) => {
    const requirement = requirements.find((r) => r.report === report);
    const first = timeline.find((e) => e.what === report);
    if (!first || alerted === undefined) return { report, outcome: 'missed', ...(requirement ? { requirement } : {}) };
    const minutes = Math.round(((first.at - alerted) / MIN) * 100) / 100;
    const outcome = requirement === undefined ? 'recorded' : minutes <= requirement.minutes ? 'met' : 'late';
    return { report, at: first.at, by: first.by, minutes, outcome, ...(requirement ? { requirement } : {}) };
  });
}
