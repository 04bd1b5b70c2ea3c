/** How long a clause failed on a subject, from its history of verdict changes (VerdictStore.clauseHistory). */
import { systemClock, type ClauseResult } from '../model/index.ts';

export interface FailurePeriod {
  from: number;
  /** when the verdict changed away from fail; undefined while it still fails */
  to?: number;
  /** to (or `now`) minus from */
  durationMs: number;
  /** the evidence the failure was reached on */
  evidence: ClauseResult['evidence'];
  standard: string;
}

export function failurePeriods(history: readonly ClauseResult[], now: number = systemClock.now()): FailurePeriod[] {
  const out: FailurePeriod[] = [];
  let open: FailurePeriod | undefined;
  for (const r of [...history].sort((a, b) => a.since - b.since)) {
    if (r.verdict === 'fail' && open === undefined) {
      open = { from: r.since, durationMs: 0, evidence: r.evidence, standard: r.standard };
    } else if (r.verdict !== 'fail' && open !== undefined) {
      out.push({ ...open, to: r.since, durationMs: r.since - open.from });
      open = undefined;
    }
  }
  if (open !== undefined) out.push({ ...open, durationMs: Math.max(0, now - open.from) });
  return out;
}
