import type { Sample, Site } from '../model/index.ts';
import { createDepotModel } from './depot-model.ts';
import { checkScenario } from './play.ts';
import { createRandom } from './prng.ts';
import type { Scenario, ScenarioStep } from './scenario.ts';

export interface ScenarioSamplesOptions {
  /** seed of the depot model, as startDepotSim's (default 1) */
  seed?: number;
  /** scan period, ms of timeline (default 1000, as the live simulator) */
  tickMs?: number;
  /** simulated seconds per scan (default 60, as the live simulator) */
  secondsPerTick?: number;
  /** playback speed, as sim.play's (default 1) */
  speed?: number;
  /** source timestamp of timeline 0, ms (default 0) */
  start?: number;
  /** how long to play, ms of timeline (default: one minute past the last step or ramp) */
  untilMs?: number;
}

/** The samples a collector would have delivered at one instant of the timeline. */
export interface TimedSamples {
  /** ms from the start of play */
  at: number;
  samples: Sample[];
}

type Job = { ms: number; order: 0 | 1; seq: number; run: () => void };

/**
 * A scenario played against the depot model without sockets or timers, as the samples a collector
 * reading the live simulator would deliver — deterministic, for tests on virtual time. It follows
 * startDepotSim + sim.play: every site point published at 0 and on each scan (`tickMs`, the model
 * stepped `secondsPerTick`), a `set` (and each 100 ms step of a `ramp`) published at once; a step
 * runs before a scan due at the same instant. Field faults as the collector reports them: a failed
 * point reads `bad` on every scan, a frozen point says nothing, a dropped source reports
 * `<source>.online` false and its points `bad` ('connection lost') once, then nothing until it is
 * restored (`<source>.online` true again).
 */
export function* scenarioSamples(site: Site, scenario: Scenario, options: ScenarioSamplesOptions = {}): Generator<TimedSamples> {
  // as startDepotSim: routine transfers at real-world rates as the collector sees them
  const model = createDepotModel(site, createRandom(options.seed ?? 1), { routineRate: (options.tickMs ?? 1000) / 1000 / (options.secondsPerTick ?? 60) });
  checkScenario(
    scenario,
    site,
    model.extraPoints.map((p) => p.id),
  );
  const tickMs = options.tickMs ?? 1000;
  const secondsPerTick = options.secondsPerTick ?? 60;
  const speed = options.speed ?? 1;
  const start = options.start ?? 0;
  const timelineEnd = Math.max(0, ...scenario.steps.map((s) => (s.at + (s.action === 'ramp' ? s.over : 0)) * 1000)) / speed;
  const untilMs = options.untilMs ?? timelineEnd + 60_000;

  const sourceOf = new Map(site.points.map((p) => [p.id, p.source]));
  const forced = new Map<string, number | boolean>();
  const frozen = new Set<string>();
  const failed = new Map<string, string>();
  const dropped = new Set<string>();
  const current = (id: string) => (forced.has(id) ? forced.get(id)! : (model.value(id) ?? false));
  const isWind = (id: string) => /\.wind_(direction|speed)$/.test(id);
  const positionOf = (where: { asset: string } | { position: { x: number; y: number } }) =>
    'position' in where ? where.position : site.assets.find((a) => a.id === where.asset)!.position;

  let out: Sample[] = [];
  let now = 0;
  const publish = (id: string, lost?: string) => {
    if (frozen.has(id) || dropped.has(sourceOf.get(id)!)) return;
    const reason = lost ?? failed.get(id);
    out.push({ site: site.id, point: id, value: current(id), quality: reason ? 'bad' : 'good', ts: start + now, ...(reason ? { reason } : {}) });
  };

  /** `<source>.online`, as the collector reports it on a change (its first report, online, is left out) */
  const online = (source: string, value: boolean) => out.push({ site: site.id, point: `${source}.online`, value, quality: 'good', ts: start + now });

  const queue: Job[] = [];
  let seq = 0;
  const later = (ms: number, order: Job['order'], run: () => void) => {
    queue.push({ ms, order, seq: seq++, run });
  };

  const run = (step: ScenarioStep) => {
    switch (step.action) {
      case 'set':
        forced.set(step.point, step.value);
        if (isWind(step.point)) model.adopt(step.point, step.value); // the gas cloud follows a forced wind
        return publish(step.point);
      case 'ramp': {
        const from = current(step.point);
        const first = typeof from === 'number' ? from : 0;
        const durationMs = (step.over * 1000) / speed;
        const count = Math.max(1, Math.round(durationMs / 100));
        for (let i = 1; i <= count; i++) {
          const value = Math.round((first + ((step.to - first) * i) / count) * 1000) / 1000;
          later(now + (durationMs * i) / count, 0, () => run({ at: 0, action: 'set', point: step.point, value }));
        }
        return;
      }
      case 'freeze':
        return void frozen.add(step.point);
      case 'release':
        if (forced.has(step.point)) model.adopt(step.point, forced.get(step.point)!);
        forced.delete(step.point);
        frozen.delete(step.point);
        failed.delete(step.point);
        return publish(step.point);
      case 'fail':
        failed.set(step.point, step.failure === undefined ? 'device failure' : step.failure === 'timeout' ? 'timeout' : `exception ${step.failure}`);
        return publish(step.point);
      case 'drop':
        online(step.source, false);
        for (const point of site.points) if (point.source === step.source) publish(point.id, 'connection lost');
        return void dropped.add(step.source);
      case 'restore':
        dropped.delete(step.source);
        return online(step.source, true);
      case 'leak':
        return model.leak(positionOf(step.where), step.rate);
      case 'fire':
        return model.fire(step.tank, step.stage);
      case 'explosion':
        return model.explosion(positionOf(step.where));
      case 'mains':
        return model.mains(step.available);
      case 'flow':
        return model.flow(step.tank, step.m3h);
    }
  };

  const scan = () => {
    model.step(secondsPerTick);
    for (const [id, value] of forced) if (isWind(id)) model.adopt(id, value); // a held wind does not drift
    for (const point of site.points) publish(point.id);
  };

  later(0, 0, () => site.points.forEach((p) => publish(p.id))); // the collector's first read, before the first step
  for (const step of scenario.steps) later((step.at * 1000) / speed, 0, () => run(step));
  for (let ms = tickMs; ms <= untilMs; ms += tickMs) later(ms, 1, scan);

  const byTime = (a: Job, b: Job) => a.ms - b.ms || a.order - b.order || a.seq - b.seq;
  queue.sort(byTime);
  while (queue.length > 0) {
    const job = queue.shift()!;
    if (job.ms > untilMs) break;
    now = job.ms;
    job.run();
    queue.sort(byTime);
    const next = queue[0];
    // one batch per instant: everything published at the same ms goes out together
    if (out.length > 0 && (!next || next.ms !== now || next.ms > untilMs)) {
      yield { at: now, samples: out };
      out = [];
    }
  }
}
