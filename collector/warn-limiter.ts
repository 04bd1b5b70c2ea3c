import type { Logger } from 'pino';
import { systemClock } from '../model/index.ts';

export interface WarnLimiterOptions {
  /** how long repeats of one cause are only counted (default a minute) */
  periodMs?: number;
  now?: () => number;
  setInterval?: (callback: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}

/**
 * Warnings of one source, each cause logged the first time it happens and then as a count once per
 * period, so that a device that flaps or refuses every poll writes a line a minute, not a line a
 * poll. A cause is any string that names what went wrong (e.g. `read failed: timeout`).
 */
export interface WarnLimiter {
  info(cause: string, fields: Record<string, unknown>, message: string): void;
  warn(cause: string, fields: Record<string, unknown>, message: string): void;
  error(cause: string, fields: Record<string, unknown>, message: string): void;
  /** logs the counts still held, and stops the timer */
  stop(): void;
}

interface Held {
  level: 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  message: string;
  /** repeats since the last line */
  repeats: number;
  /** when the last line for this cause was written */
  loggedAt: number;
}

export function createWarnLimiter(logger: Logger, options: WarnLimiterOptions = {}): WarnLimiter {
  const periodMs = options.periodMs ?? 60_000;
  const now = options.now ?? systemClock.now;
  const schedule = options.setInterval ?? ((callback, ms) => setInterval(callback, ms).unref());
  const cancel = options.clearInterval ?? ((handle) => clearInterval(handle as NodeJS.Timeout));
  const causes = new Map<string, Held>();
  let timer: unknown;

  const summarise = (held: Held, at: number) => {
    logger[held.level](
      { ...held.fields, repeats: held.repeats, periodMs: at - held.loggedAt },
      `${held.message} (${held.repeats} more times in the last ${Math.round((at - held.loggedAt) / 1000)} s)`,
    );
    held.repeats = 0;
    held.loggedAt = at;
  };
  const flush = () => {
    const at = now();
    for (const [cause, held] of causes) {
      if (at - held.loggedAt < periodMs) continue;
      if (held.repeats > 0) summarise(held, at);
      else causes.delete(cause); // quiet for a whole period: the next one is news again
    }
    if (causes.size === 0 && timer !== undefined) {
      cancel(timer);
      timer = undefined;
    }
  };
  const log = (level: Held['level'], cause: string, fields: Record<string, unknown>, message: string) => {
    const held = causes.get(cause);
    if (held) {
      held.repeats++;
      held.fields = fields;
      return;
    }
    causes.set(cause, { level, fields, message, repeats: 0, loggedAt: now() });
    logger[level](fields, message);
    timer ??= schedule(flush, Math.max(10, Math.floor(periodMs / 4)));
  };
  return {
    info: (cause, fields, message) => log('info', cause, fields, message),
    warn: (cause, fields, message) => log('warn', cause, fields, message),
    error: (cause, fields, message) => log('error', cause, fields, message),
    stop() {
      const at = now();
      for (const held of causes.values()) if (held.repeats > 0) summarise(held, at);
      causes.clear();
      if (timer !== undefined) cancel(timer);
      timer = undefined;
    },
  };
}
