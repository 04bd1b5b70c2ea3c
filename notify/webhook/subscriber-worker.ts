/**
 * One subscriber's queue, drained in order by its own loop: one request at a time with a
 * timeout, exponential back-off after a failure, dead letter after the retry budget. Each
 * subscriber has its own worker, so a slow or dead endpoint only ever delays itself.
 */
import type { Logger } from 'pino';
import type { NotifyClock } from '../clock.ts';
import type { DeadLetter, Journal, PendingDelivery } from '../journal.ts';
import { backoffMs, deadLetterWaitMs, DEFAULT_DEAD_LETTER_RETRY, retryable, type DeadLetterPolicy, type RetryPolicy } from './retry.ts';
import { SUBSCRIBER_ID_HEADER, signHeaders } from './signature.ts';
import type { Subscriber } from './subscribers.ts';

export const DELIVERY_ATTEMPT_HEADER = 'x-ketwin-delivery-attempt';
export const SUBSCRIBER_HEADER = SUBSCRIBER_ID_HEADER;

export interface SubscriberStatus {
  subscriber: string;
  url?: string;
  format: 'json' | 'cap';
  liveOnly: boolean;
  state: 'idle' | 'delivering' | 'retrying' | 'dead-letters';
  pending: number;
  delivered: number;
  failedAttempts: number;
  deadLetters: { key: string; alertId: string; site: string; attempts: number; lastError?: string; deadAt: number; rounds: number; retryAt?: number; reason?: string }[];
  /** dead letters put back in the queue by their schedule since start */
  autoRetries: number;
  lastDeliveredAt?: number;
  lastError?: string;
  nextAttemptAt?: number;
}

export interface WorkerOptions {
  subscriber: Subscriber;
  journal: Journal;
  clock: NotifyClock;
  retry: RetryPolicy;
  /** automatic retry of dead letters; default DEFAULT_DEAD_LETTER_RETRY */
  deadLetters?: DeadLetterPolicy;
  /** [0, 1), for the jitter; default Math.random */
  random?: () => number;
  fetch: typeof fetch;
  logger: Logger;
  onDeadLetter?: (subscriber: Subscriber, letter: DeadLetter) => void;
}

export interface SubscriberWorker {
  /** new deliveries were queued */
  wake(): void;
  status(): SubscriberStatus;
  /** puts its dead letters back in the queue with a fresh budget */
  retryDeadLetters(): number;
  stop(): Promise<void>;
}

export function createSubscriberWorker(options: WorkerOptions): SubscriberWorker {
  const { subscriber, journal, clock, retry, logger } = options;
  const state = journal.state;
  const queue = (): PendingDelivery[] => (state.queues[subscriber.key] ??= []);
  let stopped = false;
  let running: Promise<void> | undefined;
  let cancelTimer: (() => void) | undefined;
  let inFlight: AbortController | undefined;
  let delivered = 0;
  let failedAttempts = 0;
  let lastDeliveredAt: number | undefined;
  let lastError: string | undefined;
  const deadPolicy = options.deadLetters ?? DEFAULT_DEAD_LETTER_RETRY;
  const random = options.random ?? Math.random;
  let autoRetries = 0;
  let cancelRound: (() => void) | undefined;
  let roundAt: number | undefined;

  /** a timer for the earliest dead letter due to go back to the queue */
  const scheduleRound = (): void => {
    const due = (state.dead[subscriber.key] ?? []).map((d) => d.retryAt).filter((t): t is number => t !== undefined);
    const next = due.length ? Math.min(...due) : undefined;
    if (next === roundAt) return;
    cancelRound?.();
    cancelRound = undefined;
    roundAt = next;
    if (next === undefined || stopped) return;
    cancelRound = clock.setTimeout(() => {
      cancelRound = undefined;
      roundAt = undefined;
      requeueDue();
    }, next - clock.now());
  };
  const requeueDue = (): void => {
    const dead = state.dead[subscriber.key] ?? [];
    const due = dead.filter((d) => d.retryAt !== undefined && d.retryAt <= clock.now());
    if (due.length > 0) {
      state.dead[subscriber.key] = dead.filter((d) => !due.includes(d));
      queue().push(...due.map(({ deadAt: _d, retryAt: _r, reason: _x, ...d }) => ({ ...d, attempts: 0, nextAt: undefined, rounds: (d.rounds ?? 0) + 1 })));
      autoRetries += due.length;
      logger.info({ subscriber: subscriber.key, keys: due.map((d) => d.key) }, 'dead letters retried on their schedule');
      journal.changed();
      worker.wake();
    }
    scheduleRound();
  };

  const attempt = async (item: PendingDelivery): Promise<{ ok: boolean; retry: boolean; error?: string }> => {
    const body = state.docs[item.doc];
    if (body === undefined) return { ok: false, retry: false, error: 'document lost' };
    inFlight = new AbortController();
    const timeout = setTimeout(() => inFlight?.abort(new Error(`timed out after ${subscriber.timeoutMs ?? retry.timeoutMs} ms`)), subscriber.timeoutMs ?? retry.timeoutMs);
    try {
      const response = await options.fetch(subscriber.url!, {
        method: 'POST',
        body,
        signal: inFlight.signal,
        headers: {
          'content-type': subscriber.format === 'cap' ? 'application/cap+xml; charset=utf-8' : 'application/json; charset=utf-8',
          'user-agent': 'ketwin-notify',
          [DELIVERY_ATTEMPT_HEADER]: String(item.attempts + 1),
          // Idempotency-Key (the delivery id) and X-Ketwin-Subscriber, both inside the signature
          ...signHeaders(subscriber.secret ?? '', body, clock.now(), { delivery: item.key, subscriber: subscriber.id }),
        },
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { ok: true, retry: false };
      return { ok: false, retry: retryable(response.status), error: `HTTP ${response.status}` };
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return { ok: false, retry: true, error: cause?.code ?? cause?.message ?? (error as Error).message };
    } finally {
      clearTimeout(timeout);
      inFlight = undefined;
    }
  };

  const drain = async (): Promise<void> => {
    while (!stopped) {
      const item = queue()[0];
      if (!item) return;
      const wait = (item.nextAt ?? 0) - clock.now();
      if (wait > 0) {
        cancelTimer = clock.setTimeout(() => {
          cancelTimer = undefined;
          worker.wake();
        }, wait);
        return;
      }
      const result = await attempt(item);
      if (stopped && !result.ok) return;
      if (queue()[0] !== item) continue; // dropped meanwhile
      item.attempts += 1;
      if (result.ok) {
        queue().shift();
        delivered += 1;
        lastDeliveredAt = clock.now();
        logger.debug({ subscriber: subscriber.key, key: item.key, attempts: item.attempts }, 'delivered');
      } else {
        failedAttempts += 1;
        item.lastError = result.error;
        lastError = result.error;
        if (!result.retry || item.attempts >= retry.maxAttempts) {
          queue().shift();
          const rounds = item.rounds ?? 0;
          const letter: DeadLetter = { ...item, nextAt: undefined, deadAt: clock.now() };
          if (rounds < deadPolicy.maxRounds) letter.retryAt = clock.now() + deadLetterWaitMs(deadPolicy, rounds + 1, random());
          else letter.reason = `gave up after ${rounds} automatic retries of ${item.attempts} attempts each; last: ${result.error ?? 'unknown error'}`;
          (state.dead[subscriber.key] ??= []).push(letter);
          logger.error(
            { subscriber: subscriber.key, key: item.key, attempts: item.attempts, rounds, retryAt: letter.retryAt, error: result.error },
            letter.retryAt ? 'delivery dead-lettered; retried on its schedule' : 'delivery dead-lettered for good',
          );
          options.onDeadLetter?.(subscriber, letter);
          scheduleRound();
        } else {
          item.nextAt = clock.now() + backoffMs(retry, item.attempts);
          logger.warn({ subscriber: subscriber.key, key: item.key, attempts: item.attempts, error: result.error, retryAt: item.nextAt }, 'delivery failed; will retry');
        }
      }
      journal.changed();
    }
  };

  const worker: SubscriberWorker = {
    wake() {
      if (stopped || running || !subscriber.url) return;
      cancelTimer?.();
      cancelTimer = undefined;
      running = drain()
        .catch((error: unknown) => logger.error({ err: error, subscriber: subscriber.key }, 'delivery loop failed'))
        .finally(() => {
          running = undefined;
          // work queued while the loop was finishing
          const head = queue()[0];
          if (!stopped && head && !cancelTimer && (head.nextAt ?? 0) <= clock.now()) worker.wake();
        });
    },
    status() {
      const q = queue();
      const dead = state.dead[subscriber.key] ?? [];
      const head = q[0];
      return {
        subscriber: subscriber.key,
        url: subscriber.url,
        format: subscriber.format,
        liveOnly: subscriber.liveOnly,
        state: head?.nextAt !== undefined ? 'retrying' : q.length > 0 ? 'delivering' : dead.length > 0 ? 'dead-letters' : 'idle',
        pending: q.length,
        delivered,
        failedAttempts,
        deadLetters: dead.map((d) => ({
          key: d.key,
          alertId: d.alertId,
          site: d.site,
          attempts: d.attempts,
          lastError: d.lastError,
          deadAt: d.deadAt,
          rounds: d.rounds ?? 0,
          retryAt: d.retryAt,
          reason: d.reason,
        })),
        autoRetries,
        lastDeliveredAt,
        lastError,
        nextAttemptAt: head?.nextAt,
      };
    },
    retryDeadLetters() {
      const dead = state.dead[subscriber.key] ?? [];
      delete state.dead[subscriber.key];
      // a person's retry starts the automatic rounds afresh
      queue().push(...dead.map(({ deadAt: _d, retryAt: _r, reason: _x, ...d }) => ({ ...d, attempts: 0, nextAt: undefined, rounds: 0 })));
      journal.changed();
      worker.wake();
      scheduleRound();
      return dead.length;
    },
    async stop() {
      stopped = true;
      cancelTimer?.();
      cancelTimer = undefined;
      cancelRound?.();
      cancelRound = undefined;
      inFlight?.abort(new Error('notifier stopping'));
      await running;
    },
  };
  scheduleRound(); // dead letters of an earlier run keep their schedule
  return worker;
}
