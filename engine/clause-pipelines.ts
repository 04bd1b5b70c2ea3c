import { Subject, Subscription, type Observable, type SchedulerLike } from 'rxjs';
import type { ClauseResult } from '../model/index.ts';
import { delayVerdict } from './operators/delay-verdict.ts';
import { latchVerdict } from './operators/latch-verdict.ts';
import type { PointState } from './site-points.ts';
import type { SubjectEvaluator } from './subject-evaluator.ts';

export interface ClausePipelineOptions {
  scheduler: SchedulerLike;
  /** the site's point cells: each evaluator is registered with the points it reads */
  cells: ReadonlyMap<string, PointState>;
  /** what releases a latched clause on a subject (its alarm's acknowledgement) */
  latchReset: (clause: string, subject: string) => Observable<void>;
  /** every verdict change that has come through its delays and latch */
  results: (result: ClauseResult) => void;
}

/**
 * Where the per-sample path meets RxJS: each live clause on each subject is registered with the
 * cells of the points it reads, and the verdict changes its evaluator finds go through the clause's
 * delay-on/off and, for a latched clause, its latch, into `results`. A clause over every asset of a
 * kind (the GB 18218 R value over every tank) is evaluated once per scheduler tick however many of
 * its points changed in it, not once per sample. Not-applicable clauses are left out. Unsubscribing
 * the result ends every pipeline and pending evaluation.
 */
export function wireClausePipelines(evaluators: readonly SubjectEvaluator[], options: ClausePipelineOptions): Subscription {
  const { scheduler, cells } = options;
  const subscriptions = new Subscription();
  // the site-wide clauses marked dirty since the last tick, evaluated together in one scheduled action (one
  // action per tick, not one per clause: a scheduler's queue is not free, the virtual one sorts on every insert)
  let due: (() => void)[] = [];
  let tick: Subscription | undefined;
  const flush = () => {
    tick = undefined;
    const running = due;
    due = [];
    for (let i = 0; i < running.length; i++) running[i]!();
  };
  subscriptions.add(() => tick?.unsubscribe());
  for (const evaluator of evaluators) {
    if (evaluator.result.verdict === 'not-applicable') continue;
    const raw = verdictPipeline(evaluator, options, subscriptions);
    if (evaluator.clause.bindings.some((b) => b.kind !== undefined)) {
      // without a Subject and an operator chain per sample: a dirty mark, and one evaluation when the tick runs
      let marked = false;
      const run = () => {
        marked = false;
        const changed = evaluator.evaluate(scheduler.now());
        if (changed) raw.next(changed);
      };
      const dirty = () => {
        if (marked) return;
        marked = true;
        due.push(run);
        tick ??= scheduler.schedule(flush);
      };
      for (const id of new Set(evaluator.points)) cells.get(id)?.coalesced.push(dirty);
    } else for (const id of evaluator.points) cells.get(id)?.evaluators.push({ evaluator, raw });
  }
  return subscriptions;
}

/**
 * Where an evaluator's verdict changes go: through the clause's delay-on/off and latch when it has
 * them; straight to `results` when it has neither (each change passes at once, as delayVerdict would
 * pass it), without a Subject and an operator chain held for each of a site's thousands of subjects.
 */
function verdictPipeline(evaluator: SubjectEvaluator, options: ClausePipelineOptions, subscriptions: Subscription): { next(result: ClauseResult): void } {
  const { delayOnMs, delayOffMs, latch } = evaluator.clause;
  if (delayOnMs <= 0 && delayOffMs <= 0 && !latch)
    return {
      next: (result) => {
        if (!subscriptions.closed) options.results(result);
      },
    };
  const raw = new Subject<ClauseResult>();
  const initial = evaluator.result.verdict;
  const delayed = raw.pipe(delayVerdict(delayOnMs, delayOffMs, options.scheduler, initial));
  const released = latch ? delayed.pipe(latchVerdict(options.latchReset(evaluator.clause.id, evaluator.subject.id), options.scheduler, initial)) : delayed;
  subscriptions.add(released.subscribe((r) => options.results(r)));
  return raw;
}
