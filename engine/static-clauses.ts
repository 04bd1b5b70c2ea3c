import { Subscription, type SchedulerLike } from 'rxjs';
import type { ClauseResult } from '../model/index.ts';
import { evaluateStatic, type SiteCel } from '../standards/index.ts';
import type { StaticSlot } from './site-clauses.ts';

export interface StaticClauseOptions {
  siteId: string;
  /** `<id>@<version>` of the standard the verdicts are reached under */
  standard: string;
  cel: SiteCel;
  scheduler: SchedulerLike;
  /** a verdict known from the start, recorded once the engine runs (it is already in the site's first score) */
  record: (result: ClauseResult) => void;
  /** a verdict that changed when an evidence record expired */
  change: (result: ClauseResult) => void;
}

/** the longest delay a timer takes (setTimeout's limit); a later expiry is re-armed when it fires */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Design and evidence clauses once the engine runs: their verdicts, known from the start, are
 * recorded on the scheduler's first turn, and an evidence clause is evaluated again when its record
 * expires (on the scheduler's time). Unsubscribing the result stops every timer.
 */
export function runStaticClauses(statics: readonly StaticSlot[], options: StaticClauseOptions): Subscription {
  const { scheduler } = options;
  const timers = new Subscription();
  timers.add(
    scheduler.schedule(() => {
      for (const slot of statics) if (slot.result.verdict !== 'not-applicable') options.record(slot.result);
    }),
  );
  const watchExpiry = (slot: StaticSlot) => {
    if (slot.changesAt === undefined || !Number.isFinite(slot.changesAt)) return;
    timers.add(
      scheduler.schedule(() => {
        const at = scheduler.now();
        const next = evaluateStatic(slot.clause, { siteId: options.siteId, standard: options.standard, cel: options.cel, subject: slot.subject.id, now: at });
        slot.changesAt = next.changesAt;
        if (next.result.verdict !== slot.result.verdict) {
          slot.result = next.result;
          options.change(next.result);
        }
        watchExpiry(slot);
      }, Math.min(MAX_TIMER_MS, Math.max(0, slot.changesAt - scheduler.now()))),
    );
  };
  statics.forEach(watchExpiry);
  return timers;
}
