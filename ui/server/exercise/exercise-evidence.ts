/**
 * The drill records a completed exercise files as evidence: each for a clause of the site's standard
 * that asks for it, valid for that clause's period, citing the signed exercise report. Only what the
 * exercise shows is filed: the joint-defence times only when all three were reported, the evacuation
 * drill only when the evacuation was confirmed.
 */
import type { ExerciseTiming } from '../../../model/index.ts';
import { addDuration, parseDuration, type Standard } from '../../../standards/index.ts';
import type { InspectionRecord } from '../ports.ts';

export interface FiledDrill {
  record: InspectionRecord;
  clause: string;
}

export interface DrillFacts {
  site: string;
  /** when the drill was done (real time, at completion) */
  doneAt: number;
  by: string;
  /** the signed report's file name and SHA-256: the record's reference */
  report: { file: string; sha256: string };
  timings: readonly ExerciseTiming[];
  scenario: string;
  speed: number;
}

export function drillRecords(standard: Standard | undefined, facts: DrillFacts): FiledDrill[] {
  const minutes = (report: string) => facts.timings.find((t) => t.report === report && t.minutes !== undefined)?.minutes;
  const missed = facts.timings.filter((t) => t.outcome === 'missed').map((t) => t.report);
  const late = facts.timings.filter((t) => t.outcome === 'late').map((t) => t.report);
  const reference = `${facts.report.file} sha256:${facts.report.sha256}`;
  const pace = facts.speed === 1 ? '' : `; time-compressed ×${facts.speed}, minutes are exercise minutes`;
  const notes = `Exercise of scenario ${facts.scenario} on the twin${pace}. Missed: ${missed.join(', ') || 'none'}. Late: ${late.join(', ') || 'none'}.`;
  const wanted: { kind: string; passed: boolean; values?: Record<string, number> }[] = [{ kind: 'onsite-plan-drill', passed: missed.length === 0 }];
  const cooling = minutes('cooling-started');
  const neighbour = minutes('neighbour-cooling-started');
  const foam = minutes('foam-applied');
  if (cooling !== undefined && neighbour !== undefined && foam !== undefined) {
    const timed = facts.timings.filter((t) => ['cooling-started', 'neighbour-cooling-started', 'foam-applied'].includes(t.report));
    wanted.push({
      kind: 'fire-response-drill',
      passed: timed.every((t) => t.outcome === 'met'),
      values: { coolingMinutes: cooling, neighbourCoolingMinutes: neighbour, foamMinutes: foam },
    });
  }
  if (minutes('evacuation-confirmed') !== undefined) wanted.push({ kind: 'evacuation-drill', passed: true });

  const out: FiledDrill[] = [];
  for (const w of wanted) {
    const clause = standard?.clauses.find((c) => c.check === 'evidence' && c.evidence?.kind === w.kind && c.appliesTo === 'site');
    const validFor = clause?.evidence ? parseDuration(clause.evidence.validFor) : undefined;
    if (!clause || !validFor) continue;
    out.push({
      clause: clause.id,
      record: {
        site: facts.site,
        kind: w.kind,
        subject: facts.site,
        doneAt: facts.doneAt,
        by: facts.by,
        validUntil: addDuration(facts.doneAt, validFor),
        reference,
        notes,
        passed: w.passed,
        ...(w.values ? { values: w.values } : {}),
      },
    });
  }
  return out;
}
