/**
 * A process's own health on the bus, per site, every `everyMs`: `<prefix>.<site>.health`, a message
 * `{ type, data: { ...report(site), ts } }`. A beat that cannot be published (the link is down) is
 * skipped, not queued: the next one tells the state as it is then. Silence is the signal a receiver
 * alarms on.
 */
import { pino, type Logger } from 'pino';
import { systemClock } from '../model/index.ts';
import type { TelemetryBus } from './bus.ts';

export interface HealthBeaconOptions {
  bus: TelemetryBus;
  sites: readonly string[];
  /** the message type, e.g. "edge-health" */
  type: string;
  /** who is beating (an edge's name): in each message and its id */
  from: string;
  everyMs: number;
  report(site: string): Record<string, unknown>;
  now?: () => number;
  logger?: Logger;
}

export interface HealthBeacon {
  /** beats published and skipped (link down) so far */
  stats(): { published: number; skipped: number };
  /** publishes one beat for every site now (also what the timer does) */
  beat(): Promise<void>;
  stop(): Promise<void>;
}

export function startHealthBeacon(options: HealthBeaconOptions): HealthBeacon {
  const logger = options.logger ?? pino({ level: 'silent' });
  const now = options.now ?? systemClock.now;
  const counts = { published: 0, skipped: 0 };
  let seq = 0;
  let beating: Promise<void> | undefined;
  async function beatOnce(): Promise<void> {
    seq++;
    await Promise.all(
      options.sites.map((site) =>
        options.bus.publish(site, 'health', { type: options.type, data: { ...options.report(site), from: options.from, ts: now() } }, `${options.from}:health:${site}:${seq}`).then(
          () => void counts.published++,
          (error: unknown) => {
            counts.skipped++;
            logger.debug({ err: error, site }, 'health beat not published');
          },
        ),
      ),
    );
  }
  const beat = (): Promise<void> => (beating ??= beatOnce().finally(() => (beating = undefined)));
  const timer = setInterval(() => void beat(), options.everyMs);
  timer.unref();
  return {
    stats: () => ({ ...counts }),
    beat,
    async stop() {
      clearInterval(timer);
      await beating;
    },
  };
}
