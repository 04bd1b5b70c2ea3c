import type { Logger } from 'pino';
import type { Site } from '../model/index.ts';
import type { DepotModel } from './depot-model.ts';
import type { ModbusFailure } from './modbus-server.ts';
import type { Scenario, ScenarioStep } from './scenario.ts';
import { SimError } from './sim-error.ts';

export interface Playback {
  /** resolves when the last step (and ramp) has been played, or on stop() */
  done: Promise<void>;
  stop(): void;
}

export interface PlayOptions {
  /** playback speed: 10 plays a 60 s timeline in 6 s (default 1) */
  speed?: number;
  logger?: Logger;
}

/** Checks every point, source, asset and tank a scenario names against the site, before anything plays. */
export function checkScenario(scenario: Scenario, site: Site, extraPoints: string[] = []): void {
  const points = new Set([...site.points.map((p) => p.id), ...extraPoints]);
  const sources = new Set(site.sources.map((s) => s.id));
  const assets = new Map(site.assets.map((a) => [a.id, a.kind]));
  scenario.steps.forEach((step, i) => {
    const where = `scenario ${scenario.name}: steps.${i} (${step.action} at ${step.at} s)`;
    if ('point' in step && !points.has(step.point)) throw new SimError('SIM_SCENARIO', `${where}: site ${site.id} has no point ${step.point}`);
    if ('source' in step && !sources.has(step.source)) throw new SimError('SIM_SCENARIO', `${where}: site ${site.id} has no source ${step.source}`);
    if ('tank' in step && assets.get(step.tank) !== 'tank') throw new SimError('SIM_SCENARIO', `${where}: site ${site.id} has no tank ${step.tank}`);
    if ('where' in step && 'asset' in step.where && !assets.has(step.where.asset)) throw new SimError('SIM_SCENARIO', `${where}: site ${site.id} has no asset ${step.where.asset}`);
  });
}

/** Plays a scenario's timeline against a running simulator, in wall-clock seconds divided by `speed`. */
/** What a scenario drives: the simulator's points, sources and physics (startDepotSim's DepotSim is one). */
export interface ScenarioTarget {
  readonly extraPoints: readonly { id: string }[];
  readonly model: DepotModel;
  value(pointId: string): number | boolean;
  set(pointId: string, value: number | boolean): void;
  freeze(pointId: string): void;
  release(pointId: string): void;
  fail(pointId: string, failure?: ModbusFailure): void;
  dropSource(sourceId: string): Promise<void>;
  restoreSource(sourceId: string): Promise<void>;
}

export function playScenario(sim: ScenarioTarget, site: Site, scenario: Scenario, options: PlayOptions = {}): Playback {
  checkScenario(
    scenario,
    site,
    sim.extraPoints.map((p) => p.id),
  );
  const speed = options.speed ?? 1;
  const logger = options.logger?.child({ scenario: scenario.name });
  const timers = new Set<NodeJS.Timeout>();
  const positionOf = (where: { asset: string } | { position: { x: number; y: number } }) =>
    'position' in where ? where.position : site.assets.find((a) => a.id === where.asset)!.position;
  let stopped = false;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  let pending = 0;
  const finishOne = () => {
    if (--pending === 0) resolveDone();
  };

  function later(ms: number, action: () => void | Promise<void>) {
    pending++;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (stopped) return;
      Promise.resolve()
        .then(action)
        .catch((error: unknown) => logger?.error({ err: error }, `scenario ${scenario.name}: step failed`))
        .finally(finishOne);
    }, ms);
    timers.add(timer);
  }

  function ramp(step: Extract<ScenarioStep, { action: 'ramp' }>) {
    const from = sim.value(step.point);
    const start = typeof from === 'number' ? from : 0;
    const durationMs = (step.over * 1000) / speed;
    const stepsCount = Math.max(1, Math.round(durationMs / 100));
    for (let i = 1; i <= stepsCount; i++) {
      later((durationMs * i) / stepsCount, () => sim.set(step.point, Math.round((start + ((step.to - start) * i) / stepsCount) * 1000) / 1000));
    }
  }

  async function run(step: ScenarioStep) {
    logger?.info({ step }, `scenario ${scenario.name}: ${step.action} at ${step.at} s`);
    switch (step.action) {
      case 'set':
        return sim.set(step.point, step.value);
      case 'ramp':
        return ramp(step);
      case 'freeze':
        return sim.freeze(step.point);
      case 'release':
        return sim.release(step.point);
      case 'fail':
        return sim.fail(step.point, step.failure);
      case 'drop':
        return sim.dropSource(step.source);
      case 'restore':
        return sim.restoreSource(step.source);
      case 'leak':
        return sim.model.leak(positionOf(step.where), step.rate);
      case 'fire':
        return sim.model.fire(step.tank, step.stage);
      case 'explosion':
        return sim.model.explosion(positionOf(step.where));
      case 'mains':
        return sim.model.mains(step.available);
      case 'flow':
        return sim.model.flow(step.tank, step.m3h);
    }
  }

  for (const step of scenario.steps) later((step.at * 1000) / speed, () => run(step));
  logger?.info({ steps: scenario.steps.length, speed }, `scenario ${scenario.name}: playing`);
  return {
    done,
    stop() {
      if (stopped) return;
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      resolveDone();
    },
  };
}
