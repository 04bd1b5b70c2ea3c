import { describe, expect, it } from 'vitest';
import type { ExerciseEntry, ExerciseRequirement } from '../../../model/index.ts';
import { exerciseParties, exerciseTimings } from './exercise-timing.ts';

const T0 = 1_800_000_000_000;
const MIN = 60_000;
const cooling: ExerciseRequirement = { report: 'cooling-started', minutes: 5, clause: 'C', param: 'coolingMinutes', source: 'GB 50074-2014 §12.5.4(1)' };
const foam: ExerciseRequirement = { report: 'foam-applied', minutes: 20, clause: 'C', param: 'foamMinutes', source: 'GB 50074-2014 §12.5.4(3)' };

describe('exercise timings', () => {
  it('times each expected report from the first alert: met within, late past, missed never, recorded where no time is set', () => {
    const timeline: ExerciseEntry[] = [
      { at: T0, by: 'manager', what: 'start' },
      { at: T0 + 30_000, by: 'system:exercise', what: 'alerted', alert: 'a' },
      { at: T0 + 30_000 + 5 * MIN, by: 'fire-1', what: 'cooling-started', alert: 'a' }, // exactly 5 min: met
      { at: T0 + 30_000 + 6 * MIN, by: 'fire-2', what: 'cooling-started', alert: 'a' }, // a second report: the first counts
      { at: T0 + 30_000 + 21 * MIN, by: 'fire-1', what: 'foam-applied', alert: 'a' },
      { at: T0 + 30_000 + 90_000, by: 'fire-1', what: 'acknowledged', alert: 'a' },
    ];
    expect(exerciseTimings(timeline, ['acknowledged', 'cooling-started', 'foam-applied', 'evacuation-confirmed'], [cooling, foam])).toEqual([
      { report: 'acknowledged', at: T0 + 120_000, by: 'fire-1', minutes: 1.5, outcome: 'recorded' },
      { report: 'cooling-started', at: T0 + 30_000 + 5 * MIN, by: 'fire-1', minutes: 5, outcome: 'met', requirement: cooling },
      { report: 'foam-applied', at: T0 + 30_000 + 21 * MIN, by: 'fire-1', minutes: 21, outcome: 'late', requirement: foam },
      { report: 'evacuation-confirmed', outcome: 'missed' },
    ]);
  });

  it('misses everything when no alert was raised', () => {
    expect(exerciseTimings([{ at: T0, by: 'x', what: 'cooling-started' }], ['cooling-started'], [cooling])).toEqual([
      { report: 'cooling-started', outcome: 'missed', requirement: cooling },
    ]);
  });

  it("gives each party's received, en route and on scene, the first of each, from the first alert", () => {
    const timeline: ExerciseEntry[] = [
      { at: T0, by: 'manager', what: 'start' },
      { at: T0 + MIN, by: 'system:exercise', what: 'alerted', alert: 'a' },
      { at: T0 + 2 * MIN, by: 'fire-1', what: 'acknowledged', alert: 'a' },
      { at: T0 + 3 * MIN, by: 'hazmat', what: 'acknowledged', alert: 'a' },
      { at: T0 + 4 * MIN, by: 'fire-1', what: 'on-scene', alert: 'a' },
      { at: T0 + 5 * MIN, by: 'fire-1', what: 'on-scene', alert: 'b' },
      { at: T0 + 6 * MIN, by: 'fire-1', what: 'cooling-started', alert: 'a' },
    ];
    expect(exerciseParties(timeline)).toEqual([
      { by: 'fire-1', minutes: { acknowledged: 1, 'on-scene': 3 } },
      { by: 'hazmat', minutes: { acknowledged: 2 } },
    ]);
    expect(exerciseParties(timeline.filter((e) => e.what !== 'alerted'))).toEqual([]);
  });
});
