/**
 * What an exercise is timed against: which reports the incidents it raised call for, and the required
 * times the standard holds for them (a clause's param, with its cited source). The times themselves are
 * the standard's data; here is only which param times which report.
 */
import type { Alert, ExerciseReport, ExerciseRequirement } from '../../../model/index.ts';
import { RESPONSE_STATUSES } from '../../../model/index.ts';
import type { Standard } from '../../../standards/index.ts';

/** the params that time a report: GB 50074-2014 §12.5.4's joint-defence times and §12.5.5's truck travel time */
const TIMED_BY: readonly { report: ExerciseReport; clause: string; param: string }[] = [
  { report: 'on-scene', clause: 'GB50074-12.5.5-TRUCK-TIME', param: 'maxMinutes' },
  { report: 'cooling-started', clause: 'GB50074-12.5.4-RESPONSE-DRILL', param: 'coolingMinutes' },
  { report: 'neighbour-cooling-started', clause: 'GB50074-12.5.4-RESPONSE-DRILL', param: 'neighbourMinutes' },
  { report: 'foam-applied', clause: 'GB50074-12.5.4-RESPONSE-DRILL', param: 'foamMinutes' },
];

/** the required actions an incident of each hazard calls for, beyond the teams' own progress */
const ACTIONS_OF: Record<string, readonly ExerciseReport[]> = {
  'tank-fire': ['cooling-started', 'neighbour-cooling-started', 'foam-applied'],
  'dike-fire': ['cooling-started', 'neighbour-cooling-started', 'foam-applied', 'dike-drain-closed'],
  boilover: ['cooling-started', 'foam-applied', 'evacuation-confirmed'],
  domino: ['cooling-started', 'neighbour-cooling-started'],
  overfill: ['dike-drain-closed'],
  'spill-to-sea': ['dike-drain-closed'],
  'gas-cloud': ['evacuation-confirmed'],
  vce: ['evacuation-confirmed'],
};

/** The required times of the site's standard, each with its clause, param and source; a standard without the clause times nothing. */
export function exerciseRequirements(standard: Standard | undefined): ExerciseRequirement[] {
  const out: ExerciseRequirement[] = [];
  for (const t of TIMED_BY) {
    const param = standard?.clauses.find((c) => c.id === t.clause)?.params[t.param];
    if (param && typeof param.value === 'number') out.push({ report: t.report, minutes: param.value, clause: t.clause, param: t.param, source: param.source });
  }
  return out;
}

/** What the exercise's incidents call for: the teams' progress on any incident, and each hazard's actions, in a stable order. */
export function expectedReports(alerts: readonly Alert[]): ExerciseReport[] {
  const incidents = alerts.filter((a) => a.incident !== undefined);
  if (incidents.length === 0) return [];
  const wanted = new Set<ExerciseReport>(RESPONSE_STATUSES);
  for (const a of incidents) for (const r of ACTIONS_OF[a.incident!.hazard] ?? []) wanted.add(r);
  return [...wanted];
}
