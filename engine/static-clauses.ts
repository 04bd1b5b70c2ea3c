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

/** The static clauses running: stop them with `timers`; `rejudge` after the site's records changed. */
export interface StaticClauses {
  timers: Subscription;
  /** evaluates the evidence clauses of a record kind again now (a record added to `cel.records`) */
  rejudge(kind: string): void;
}

/**
 * Design and evidence clauses once the engine runs: their verdicts, known from the start, are
 * recorded on the scheduler's first turn, and an evidence clause is evaluated again when its record
 * expires (on the scheduler's time) or when a record of its kind is added. One timer per site waits
 * for the earliest expiry (a depot holds dozens of dated records: one timer each would crowd the
 * scheduler's queue, which a virtual-time scheduler sorts on every insert). Unsubscribing the timers
 * stops them all.
 */
export function runStaticClauses(statics: readonly StaticSlot[], options: StaticClauseOptions): StaticClauses {
  const { scheduler } = options;
  const timers = new Subscription();
  timers.add(
    scheduler.schedule(() => {
      for (const slot of statics) if (slot.result.verdict !== 'not-applicable') options.record(slot.result);
    }),
  );
  const judge = (slot: StaticSlot) => {
    const next = evaluateStatic(slot.clause, { siteId: options.siteId, standard: options.standard, cel: options.cel, subject: slot.subject.id, now: scheduler.now() });
    slot.changesAt = next.changesAt;
    if (next.result.verdict !== slot.result.verdict || JSON.stringify(next.result.evidence) !== JSON.stringify(slot.result.evidence)) {
      slot.result = next.result;
      options.change(next.result);
    }
  };
  /** the timer for the earliest expiry of any slot, and when it fires */
  let pending: { at: number; timer: Subscription } | undefined;
  const watchExpiries = () => {
    let next = Infinity;
    for (const slot of statics) if (slot.changesAt !== undefined && slot.changesAt < next) next = slot.changesAt;
    if (pending?.at === next) return;
    if (pending) {
      timers.remove(pending.timer);
      pending.timer.unsubscribe();
      pending = undefined;
    }
    if (!Number.isFinite(next)) return;
    // a later expiry than setTimeout takes is re-armed when the timer fires short of it
    const timer = scheduler.schedule(
      () => {
        timers.remove(timer);
        pending = undefined;
        const now = scheduler.now();
        for (const slot of statics) if (slot.changesAt !== undefined && slot.changesAt <= now) judge(slot);
        watchExpiries();
      },
      Math.min(MAX_TIMER_MS, Math.max(0, next - scheduler.now())),
    );
    pending = { at: next, timer };
    timers.add(timer);
  };
  watchExpiries();
  return {
    timers,
    rejudge: (kind) => {
      for (const slot of statics) if (slot.clause.evidence?.kind === kind) judge(slot);
      watchExpiries();
    },
  };
}
