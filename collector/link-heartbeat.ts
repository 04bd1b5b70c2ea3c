import { systemClock, type Sample } from '../model/index.ts';
import { onlinePointId, type SampleSink } from './source.ts';

export interface LinkHeartbeatOptions {
  /** site id of the sources */
  site: string;
  /** the site's sources, each with its staleAfterMs */
  sources: readonly { id: string; staleAfterMs: number }[];
  /** where samples and heartbeats go */
  sink: SampleSink;
  now?: () => number;
  /** how often heartbeats are due; default a sixth of the shortest staleAfterMs, within 50–1000 ms */
  checkEveryMs?: number;
  setInterval?: (callback: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}

/** Passes samples on, and keeps each source's link alive with its `<source>.online` sent again. */
export interface LinkHeartbeat {
  /** feed samples here; they are passed on unchanged */
  readonly sink: SampleSink;
  /** sends the heartbeats due now (the timer calls this) */
  beat(): void;
  stop(): void;
}

interface Beat {
  /** the source's latest `<source>.online` report; none before its first */
  report: Sample | undefined;
  everyMs: number;
  lastAt: number;
}

/**
 * The link's heartbeat. A source reports `<source>.online` on change (online-signal.ts); this sends
 * the latest report again, as it stands (ts = now), every third of the source's staleAfterMs. So a
 * feed that is alive carries something of every source well within its staleAfterMs, even from a
 * source that is quiet (offline, or with no points), and a consumer that hears nothing of a source
 * for that long knows the feed itself is gone (engine/link-watch.ts): the collector's process
 * died, the link from an edge collector dropped. After a loss, the next heartbeat also tells the
 * consumer the source's state again. Nothing is sent for a source before its first report.
 */
export function createLinkHeartbeat(options: LinkHeartbeatOptions): LinkHeartbeat {
  const now = options.now ?? systemClock.now;
  const beats = new Map<string, Beat>(
    options.sources.map((source) => [onlinePointId(source.id), { report: undefined, everyMs: source.staleAfterMs / 3, lastAt: Number.NEGATIVE_INFINITY }]),
  );
  const shortest = Math.min(...options.sources.map((s) => s.staleAfterMs));
  const every = options.checkEveryMs ?? Math.min(1000, Math.max(50, Number.isFinite(shortest) ? shortest / 6 : 1000));
  const schedule = options.setInterval ?? ((callback, ms) => setInterval(callback, ms));
  const cancel = options.clearInterval ?? ((handle) => clearInterval(handle as NodeJS.Timeout));

  let stopped = false;
  function beat() {
    if (stopped) return;
    const at = now();
    for (const b of beats.values()) {
      if (!b.report || at - b.lastAt < b.everyMs) continue;
      b.lastAt = at;
      options.sink({ ...b.report, ts: at });
    }
  }

  const handle = beats.size > 0 ? schedule(beat, every) : undefined;
  return {
    sink(sample) {
      // only a boolean can be an online report: a lookup for those alone
      const b = typeof sample.value === 'boolean' && sample.site === options.site ? beats.get(sample.point) : undefined;
      if (b) {
        b.report = sample;
        b.lastAt = now();
      }
      options.sink(sample);
    },
    beat,
    stop() {
      if (stopped) return;
      stopped = true;
      if (handle !== undefined) cancel(handle);
    },
  };
}
