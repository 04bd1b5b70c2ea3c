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
  const tick = new Tick(scheduler);
  subscriptions.add(() => tick.action?.unsubscribe());
  // one receiver for every clause with neither delays nor latch (each change passes at once, as delayVerdict would pass it)
  const direct: Receiver = {
    next: (result) => {
      if (!subscriptions.closed) options.results(result);
    },
  };
  for (const evaluator of evaluators) {
    if (evaluator.result.verdict === 'not-applicable') continue;
    const raw = verdictPipeline(evaluator, options, subscriptions) ?? direct;
    if (evaluator.clause.bindings.some((b) => b.kind !== undefined)) {
      // without a Subject and an operator chain per sample: a dirty mark, and one evaluation when the tick runs
      const run = new CoalescedRun(evaluator, raw, tick);
      // bound, not a closure: no context and no name of its own per subject
      const dirty = run.mark.bind(run);
      for (const id of new Set(evaluator.points)) cells.get(id)?.coalesced.push(dirty);
    } else for (const id of evaluator.points) cells.get(id)?.evaluators.push({ evaluator, raw });
  }
  return subscriptions;
}

/**
 * The site-wide clauses marked dirty since the last tick, evaluated together in one scheduled action (one
 * action per tick, not one per clause: a scheduler's queue is not free, the virtual one sorts on every insert).
 */
class Tick {
  due: CoalescedRun[] = [];
  action: Subscription | undefined;
  constructor(readonly scheduler: SchedulerLike) {}
  add(run: CoalescedRun): void {
    this.due.push(run);
    this.action ??= this.scheduler.schedule(() => this.flush());
  }
  private flush(): void {
    this.action = undefined;
    const running = this.due;
    this.due = [];
    for (let i = 0; i < running.length; i++) running[i]!.run();
  }
}

/** A site-wide clause on one subject: marked dirty by a sample of any point it reads, evaluated once when the tick runs. */
class CoalescedRun {
  private marked = false;
  constructor(
    private readonly evaluator: SubjectEvaluator,
    private readonly raw: Receiver,
    private readonly tick: Tick,
  ) {}
  mark(): void {
    if (this.marked) return;
    this.marked = true;
    this.tick.add(this);
  }
  run(): void {
    this.marked = false;
    const changed = this.evaluator.evaluate(this.tick.scheduler.now());
    if (changed) this.raw.next(changed);
  }
}

interface Receiver {
  next(result: ClauseResult): void;
}

/**
 * Where an evaluator's verdict changes go through the clause's delay-on/off and latch; none when it has
 * neither (they go straight to `results`), so no Subject and operator chain is held for each of a site's
 * thousands of subjects.
 */
function verdictPipeline(evaluator: SubjectEvaluator, options: ClausePipelineOptions, subscriptions: Subscription): Receiver | undefined {
  const { delayOnMs, delayOffMs, latch } = evaluator.clause;
  if (delayOnMs <= 0 && delayOffMs <= 0 && !latch) return undefined;
  const raw = new Subject<ClauseResult>();
  const initial = evaluator.result.verdict;
  const delayed = raw.pipe(delayVerdict(delayOnMs, delayOffMs, options.scheduler, initial));
  const released = latch ? delayed.pipe(latchVerdict(options.latchReset(evaluator.clause.id, evaluator.subject.id), options.scheduler, initial)) : delayed;
  subscriptions.add(released.subscribe((r) => options.results(r)));
  return raw;
}
