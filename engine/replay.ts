import { VirtualTimeScheduler } from 'rxjs';
import type { Logger } from 'pino';
import type { Alert, ClauseResult, LiveEvent, Sample, Site, SiteScore, SiteSnapshot } from '../model/index.ts';
import type { Standard } from '../standards/index.ts';
import { createEngine, type Engine } from './engine.ts';
import { clauseKey } from './site-clauses.ts';

/** A virtual clock at epoch ms `start`, and how to move it. */
export interface VirtualClock {
  readonly scheduler: VirtualTimeScheduler;
  /** runs every timer due before `t` (in order), then stands at `t`: samples stamped `t` come before timers due at `t` */
  advanceTo(t: number): void;
  /** runs what is due now (what an engine scheduled as it started) */
  settle(): void;
}

export function createVirtualClock(start: number): VirtualClock {
  const scheduler = new VirtualTimeScheduler();
  scheduler.frame = start;
  const runWhile = (due: (at: number) => boolean) => {
    const actions = scheduler.actions;
    let action;
    while ((action = actions[0]) && due(action.delay)) {
      actions.shift();
      scheduler.frame = action.delay;
      const error = action.execute(action.state, action.delay);
      if (error) throw error;
    }
  };
  return {
    scheduler,
    advanceTo(t) {
      runWhile((at) => at < t);
      if (t > scheduler.frame) scheduler.frame = t;
    },
    settle() {
      const now = scheduler.frame;
      runWhile((at) => at <= now);
    },
  };
}

/** Hands samples to an engine on a virtual clock, each at its own source timestamp (ts must not go back). */
export function feedSamples(engine: Engine, clock: VirtualClock, samples: Iterable<Sample>): void {
  for (const sample of samples) {
    if (sample.ts > clock.scheduler.now()) clock.advanceTo(sample.ts);
    engine.ingest(sample);
  }
}

export interface ReplayInput {
  samples: readonly Sample[];
  site: Site;
  /** the standard to score under: the one of the time, or a newer version to re-score the past */
  standard: Standard;
  /** open alerts to start from (what db held at the start of the period) */
  alerts?: readonly Alert[];
  /** epoch ms the replay starts at (default: the first sample) and runs until (default: the last sample) */
  from?: number;
  until?: number;
  logger?: Logger;
}

export interface ReplayOutput {
  events: LiveEvent[];
  /** the verdict changes the engine emitted, in order: what the live path records (a clause never emitted has no result) */
  results: ClauseResult[];
  scores: SiteScore[];
  alerts: Alert[];
  /** the engine's state at the end; its results include clauses that never emitted a result (not applicable from the start) */
  snapshot: SiteSnapshot;
}

/**
 * Re-runs stored history through a fresh engine on virtual time: the same verdicts, scores and
 * alarms as live for the same samples, deterministic, no wall clock. Pure: nothing outside is touched.
 * Staleness is in the history: the collector's stale reports are samples like any other, stored
 * with the rest; a silence in the history (nothing of a source, not even its heartbeat) is found
 * again by the link watch (link-watch.ts), timed by the stored timestamps.
 */
export function replay(input: ReplayInput): ReplayOutput {
  const { samples, site, standard } = input;
  const start = input.from ?? samples[0]?.ts ?? 0;
  const until = input.until ?? samples.at(-1)?.ts ?? start;
  const clock = createVirtualClock(start);
  const engine = createEngine({ sites: [site], standards: [standard], scheduler: clock.scheduler, ...(input.logger ? { logger: input.logger } : {}) });
  const events: LiveEvent[] = [];
  const sub = engine.events$.subscribe((e) => events.push(e));
  if (input.alerts) engine.restoreAlerts(input.alerts);
  clock.settle(); // the engine's start (design and evidence verdicts) comes before the first sample
  feedSamples(engine, clock, samples);
  clock.advanceTo(until + 1);
  const snapshot = engine.snapshot(site.id)!;
  sub.unsubscribe();
  engine.dispose();
  const of = <T extends LiveEvent['type']>(type: T) =>
    events.filter((e): e is Extract<LiveEvent, { type: T }> => e.type === type).map((e) => e.data as Extract<LiveEvent, { type: T }>['data']);
  return { events, results: of('result'), scores: of('score'), alerts: of('alert'), snapshot };
}

/**
 * The verdict in force at `at` for every (clause, subject) that has one, from verdict changes in the order
 * they were emitted: the latest with `since <= at` — the rule of db's VerdictStore.stateAsOf over the
 * recorded changes, so a replay's record is read as the live record is. A clause that never emitted a
 * result has none (the engine does not emit a clause that is not applicable from the start).
 */
export function resultsAsOf(results: readonly ClauseResult[], at: number): ClauseResult[] {
  const latest = new Map<string, ClauseResult>();
  for (const r of results) {
    if (r.since > at) continue;
    const key = clauseKey(r.clause, r.subject);
    const before = latest.get(key);
    if (!before || r.since >= before.since) latest.set(key, r);
  }
  return [...latest.values()].sort((a, b) => (a.clause < b.clause ? -1 : a.clause > b.clause ? 1 : a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
}
