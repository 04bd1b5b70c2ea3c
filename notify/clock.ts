import { systemClock as wallClock, type Clock } from '../model/index.ts';

/**
 * Time as notify/ sees it: model's Clock and one-shot timers. The notifier never reads the wall clock
 * directly, so escalation and back-off run on virtual time in tests (createManualClock).
 */
export interface NotifyClock extends Clock {
  /** runs `fn` once after `ms`; returns a function that cancels it */
  setTimeout(fn: () => void, ms: number): () => void;
}

export function systemClock(): NotifyClock {
  return {
    now: wallClock.now,
    setTimeout(fn, ms) {
      const handle = setTimeout(fn, Math.max(0, ms));
      return () => clearTimeout(handle);
    },
  };
}

export interface ManualClock extends NotifyClock {
  /** moves time forward by `ms`, running due timers in order and letting the async work they start settle */
  advance(ms: number): Promise<void>;
  /** timers not yet run */
  pending(): number;
}

/** A clock that only moves when told: for tests and replays. */
export function createManualClock(start = 0): ManualClock {
  let now = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++seq;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return () => timers.delete(id);
    },
    async advance(ms) {
      const until = now + ms;
      for (;;) {
        await settle();
        let next: [number, { at: number; fn: () => void }] | undefined;
        for (const entry of timers) if (entry[1].at <= until && (!next || entry[1].at < next[1].at)) next = entry;
        if (!next) break;
        timers.delete(next[0]);
        now = next[1].at;
        next[1].fn();
      }
      now = until;
      await settle();
    },
    pending: () => timers.size,
  };
}
