import { Subject, type Observable } from 'rxjs';
import type { Logger } from 'pino';
import { exerciseAlertId, type Alert, type Sample, type Site, type SiteSnapshot } from '../../model/index.ts';
import type { Standard } from '../../standards/index.ts';
import { createEngine, type Engine } from '../engine.ts';
import { EngineError } from '../engine-errors.ts';
import { createVirtualClock, type VirtualClock } from '../replay.ts';

/** Readings an exercise injects at one instant of its timeline (a scenario's samples, as a collector would deliver them). */
export interface InjectedSamples {
  /** ms from the start of the exercise */
  at: number;
  samples: Sample[];
}

export interface ShadowTwinOptions {
  exerciseId: string;
  site: Site;
  standards: Standard[];
  /** exercise time 0 (ms since epoch): the live twin's state is taken at this instant */
  start: number;
  /** the live twin's latest readings at the start */
  readings: readonly Sample[];
  /** the live twin's open alerts at the start: the shadow holds them as they are, so it raises again only what the exercise brings */
  openAlerts: readonly Alert[];
  /** what the scenario injects, in timeline order */
  injected: Iterator<InjectedSamples>;
  logger?: Logger;
}

/**
 * A second twin of one site, for an exercise: the engine itself (createEngine), on a virtual clock of its
 * own, seeded with the live twin's readings and open alerts at the start and then fed a scenario's
 * readings as exercise time passes. The live twin is not touched. Its alerts come out marked exercise,
 * each under an id of its own (exerciseAlertId), and only those the exercise raised.
 */
export interface ShadowTwin {
  /** exercise time now */
  now(): number;
  /** runs exercise time on to `t`, injecting the scenario's readings due by then */
  advanceTo(t: number): void;
  /** the alerts the exercise raised, as their versions happen (marked exercise) */
  readonly alerts$: Observable<Alert>;
  /** an exercise alert as it stands now */
  alert(exerciseAlert: string): Alert | undefined;
  /** a team reports its progress on an exercise alert (the engine's respond); throws EngineError for an alert the exercise did not raise */
  respond(exerciseAlert: string, by: string, status: string): Alert;
  acknowledge(exerciseAlert: string, by: string, comment: string): Alert;
  snapshot(): SiteSnapshot;
  dispose(): void;
}

export function createShadowTwin(options: ShadowTwinOptions): ShadowTwin {
  const { site, exerciseId } = options;
  const clock: VirtualClock = createVirtualClock(options.start);
  const engine: Engine = createEngine({ sites: [site], standards: options.standards, scheduler: clock.scheduler, ...(options.logger ? { logger: options.logger } : {}) });
  const live = new Set(options.openAlerts.map((a) => a.id));
  /** exercise alert id → the shadow engine's own id */
  const own = new Map<string, string>();
  const alerts$ = new Subject<Alert>();
  const mark = (alert: Alert): Alert => ({ ...alert, id: exerciseAlertId(exerciseId, alert), exercise: true });
  const subscription = engine.alerts$.subscribe((alert) => {
    if (live.has(alert.id)) return; // a live alarm held as it was: the live twin's, not the exercise's
    const marked = mark(alert);
    own.set(marked.id, alert.id);
    alerts$.next(marked);
  });
  engine.restoreAlerts(options.openAlerts);
  clock.settle();
  for (const sample of options.readings) engine.ingest(sample);
  clock.settle();

  let next = options.injected.next();
  const inject = (t: number) => {
    while (!next.done && options.start + next.value.at <= t) {
      const at = options.start + next.value.at;
      if (at > clock.scheduler.now()) clock.advanceTo(at);
      for (const sample of next.value.samples) engine.ingest(sample);
      next = options.injected.next();
    }
  };
  const ownId = (exerciseAlert: string): string => {
    const id = own.get(exerciseAlert);
    if (!id) throw new EngineError('ENGINE_UNKNOWN_ALERT', `exercise ${exerciseId} raised no alert ${exerciseAlert}`);
    return id;
  };

  return {
    now: () => clock.scheduler.now(),
    advanceTo(t) {
      inject(t);
      if (t > clock.scheduler.now()) clock.advanceTo(t);
      clock.settle();
    },
    alerts$: alerts$.asObservable(),
    alert(exerciseAlert) {
      const id = own.get(exerciseAlert);
      const alert = id === undefined ? undefined : engine.alert(id);
      return alert && mark(alert);
    },
    respond: (exerciseAlert, by, status) => mark(engine.respond(ownId(exerciseAlert), by, status)),
    acknowledge: (exerciseAlert, by, comment) => mark(engine.acknowledge(ownId(exerciseAlert), by, comment)),
    snapshot: () => engine.snapshot(site.id)!,
    dispose() {
      subscription.unsubscribe();
      alerts$.complete();
      engine.dispose();
    },
  };
}
