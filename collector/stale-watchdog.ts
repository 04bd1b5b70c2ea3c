import { systemClock, type Point, type Sample, type SampleValue } from '../model/index.ts';
import type { SampleSink } from './source.ts';

export interface StaleWatchdogOptions {
  /** site id stamped on the stale samples */
  site: string;
  /** the points watched, each with its staleAfterMs */
  points: Point[];
  /** where samples (and stale reports) go */
  sink: SampleSink;
  now?: () => number;
  /** how often silence is checked; default a quarter of the shortest staleAfterMs, within 50–1000 ms */
  checkEveryMs?: number;
  setInterval?: (callback: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}

/** Passes samples on, and reports a point that has gone silent past its staleAfterMs as bad/stale, once per silence. */
export interface StaleWatchdog {
  /** feed samples here; they are passed on unchanged */
  readonly sink: SampleSink;
  /** checks for silent points now (the timer calls this) */
  check(): void;
  stop(): void;
}

interface Watch {
  point: Point;
  lastArrival: number;
  lastValue: SampleValue | undefined;
  reported: boolean;
}

/**
 * Wraps a sink with staleness detection. The silence of a point that never reported counts from
 * the watchdog's creation. A stale report carries the last value (NaN, or false for a bool point,
 * if none ever came) with quality 'bad', reason 'stale' and ts = now.
 */
export function createStaleWatchdog(options: StaleWatchdogOptions): StaleWatchdog {
  const now = options.now ?? systemClock.now;
  const startedAt = now();
  const watches = new Map<string, Watch>(options.points.map((point) => [point.id, { point, lastArrival: startedAt, lastValue: undefined, reported: false }]));
  const shortest = Math.min(...options.points.map((p) => p.staleAfterMs));
  const every = options.checkEveryMs ?? Math.min(1000, Math.max(50, Number.isFinite(shortest) ? shortest / 4 : 1000));
  const schedule = options.setInterval ?? ((callback, ms) => setInterval(callback, ms));
  const cancel = options.clearInterval ?? ((handle) => clearInterval(handle as NodeJS.Timeout));

  function check() {
    const at = now();
    for (const watch of watches.values()) {
      if (watch.reported || at - watch.lastArrival < watch.point.staleAfterMs) continue;
      watch.reported = true;
      const value = watch.lastValue ?? (watch.point.unit === 'bool' ? false : Number.NaN);
      const stale: Sample = { site: options.site, point: watch.point.id, value, quality: 'bad', reason: 'stale', ts: at };
      options.sink(stale);
    }
  }

  const handle = schedule(check, every);
  let stopped = false;
  return {
    sink(sample) {
      const watch = sample.site === options.site ? watches.get(sample.point) : undefined;
      if (watch) {
        watch.lastArrival = now();
        watch.lastValue = sample.value;
        watch.reported = false;
      }
      options.sink(sample);
    },
    check,
    stop() {
      if (stopped) return;
      stopped = true;
      cancel(handle);
    },
  };
}
