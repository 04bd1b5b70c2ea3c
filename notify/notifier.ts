/**
 * The notifier: claims alert transitions from db/'s outbox, issues their CAP messages, fans each
 * one out to the subscribers that should hear it (always-on subscribers of the site, and the
 * contacts its escalation policy has reached), queues them durably per subscriber, then marks
 * the outbox rows delivered. Per-subscriber workers push the queued documents; escalation
 * steps fire on the injected clock until somebody acknowledges.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { responsibleFor, responsiblePersons, type Alert, type Bilingual, type EscalationPolicy, type SiteUnits } from '../model/index.ts';
import type { QueueStats } from '../queue/index.ts';
import type { SitePlace } from './cap/area.ts';
import { issueCap, isCleared } from './cap/cap-issuer.ts';
import { capFeedOf, pruneClosed, type CapFeedRequest } from './cap/feed.ts';
import { DEFAULT_AGENCY_CODE, DEFAULT_REGION_CODE, isAgencyCode } from './cap/identifier.ts';
import { systemClock, type NotifyClock } from './clock.ts';
import { NotifyError } from './errors.ts';
import { acknowledgement, active, dueAt, newEscalation, notifiable, reachDueSteps } from './escalation/escalation.ts';
import { createMemoryJournal, openFileJournal, type EscalationState, type IssuedCap, type Journal } from './journal.ts';
import { DEFAULT_DEAD_LETTER_RETRY, DEFAULT_RETRY, type DeadLetterPolicy, type RetryPolicy } from './webhook/retry.ts';
import { createSubscriberWorker, type SubscriberStatus, type SubscriberWorker } from './webhook/subscriber-worker.ts';
import { hears, resolveSubscribers, type Subscriber, type SubscriberConfig } from './webhook/subscribers.ts';

/** What the notifier needs of db/'s store: its OutboxStore and an audit sink shaped like AuditStore.appendAudit. */
export interface NotifyStore {
  claimOutbox(limit: number, leaseMs?: number): Promise<{ id: number; topic: string; key: string; payload: unknown }[]>;
  markDelivered(ids: readonly number[]): Promise<void>;
  appendAudit(entry: { actor: string; action: string; subject: string; site?: string; details?: Record<string, unknown>; at?: number }): Promise<unknown>;
}

/** What the notifier needs of a site definition. */
export interface NotifySite extends SitePlace {
  id: string;
  escalation?: EscalationPolicy;
  /** the assets and major hazard units with their named responsible persons (包保责任人): told of their units' alerts */
  assets?: SiteUnits['assets'];
  majorHazard?: SiteUnits['majorHazard'];
}

export interface NotifierOptions {
  store: NotifyStore;
  /** subscribers told of every notifiable alert of their sites (see webhook/subscribers.ts) */
  subscribers?: readonly SubscriberConfig[];
  sites?: readonly NotifySite[];
  /** escalation policies by site id; default each site's `escalation` */
  policies?: Record<string, EscalationPolicy | undefined>;
  clock?: NotifyClock;
  logger?: Logger;
  fetch?: typeof fetch;
  /** where secrets are read from; default process.env */
  env?: Record<string, string | undefined>;
  /** keeps queues, dead letters, CAP sequence and escalations in <dataDir>/notify/journal/ (a log of changes); in memory without it */
  dataDir?: string;
  /** CAP sender; default ketwin@<host name> */
  sender?: string;
  senderName?: Bilingual;
  /** GB/T 35965.1 agency code (8 characters) */
  agencyCode?: string;
  /** status Test on every message (a test installation) */
  test?: boolean;
  retry?: Partial<RetryPolicy>;
  /** dead letters retry themselves on this schedule (with jitter), then stay dead with a reason */
  deadLetters?: Partial<DeadLetterPolicy>;
  /** [0, 1) for the jitter; default Math.random */
  random?: () => number;
  /** outbox poll period when idle, ms; default 100 */
  pollMs?: number;
  batchSize?: number;
  leaseMs?: number;
  /** how long a cancelled alert stays in the feed, ms; default 24 h */
  feedKeepMs?: number;
}

export interface Notifier {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** one outbox cycle: claim, issue, queue, mark delivered; resolves with the messages handled */
  poll(): Promise<number>;
  /** per subscriber: pending, delivered, retrying, dead letters */
  deliveryStatus(): SubscriberStatus[];
  retryDeadLetters(subscriberKey: string): number;
  escalations(): EscalationState[];
  /** Atom feed of the latest CAP message of each alert of `sites` */
  capFeed(request: CapFeedRequest): string;
  /** the journal's log on disk (rows since its snapshot, bytes, segment files, damaged records); none in memory */
  journalStats(): QueueStats | undefined;
}

const DAY = 86_400_000;
const PROCESSED_KEPT = 20_000;

export function createNotifier(options: NotifierOptions): Notifier {
  const logger = options.logger ?? pino({ level: 'silent' });
  const clock = options.clock ?? systemClock();
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const agencyCode = options.agencyCode ?? DEFAULT_AGENCY_CODE;
  if (!isAgencyCode(agencyCode)) throw new NotifyError('INVALID_OPTIONS', `agencyCode ${JSON.stringify(agencyCode)} must be 8 characters of digits and capital letters (DDDUUUXX)`);
  const sender = options.sender ?? `ketwin@${hostname()}`;
  if (/[\s,]/.test(sender)) throw new NotifyError('INVALID_OPTIONS', 'sender may not contain spaces or commas (CAP 1.2)');
  const sites = new Map((options.sites ?? []).map((s) => [s.id, s]));
  const policies: Record<string, EscalationPolicy | undefined> = { ...Object.fromEntries([...sites].map(([id, s]) => [id, s.escalation])), ...options.policies };
  const subscribers = resolveSubscribers(options.subscribers ?? [], policies, options.env ?? process.env);
  const pollMs = options.pollMs ?? 100;
  const batchSize = options.batchSize ?? 200;
  const feedKeepMs = options.feedKeepMs ?? DAY;
  const fetchFn = options.fetch ?? globalThis.fetch;

  /** step contact ids resolve to the site's contacts first, then file subscribers */
  const stepSubscriber = (site: string, id: string): Subscriber | undefined => subscribers.get(`${site}/${id}`) ?? subscribers.get(id);
  for (const [site, policy] of Object.entries(policies)) {
    for (const step of policy?.steps ?? [])
      for (const id of step.notify)
        if (!stepSubscriber(site, id))
          throw new NotifyError('INVALID_OPTIONS', `escalation policy of ${site} names ${id}, which is neither a contact of the policy nor a subscriber`);
  }
  const inPolicy = (site: string, key: string): boolean => (policies[site]?.steps ?? []).some((s) => s.notify.some((id) => stepSubscriber(site, id)?.key === key));

  let journal: Journal | undefined;
  let opening: Promise<Journal> | undefined;
  const workers = new Map<string, SubscriberWorker>();
  const timers = new Map<string, () => void>();
  let processed = new Set<string>();
  let running = false;
  let loop: Promise<void> | undefined;
  let cancelSleep: (() => void) | undefined;
  let cycle: Promise<unknown> = Promise.resolve();
  const audits: Promise<unknown>[] = [];

  const audit = (entry: Parameters<NotifyStore['appendAudit']>[0]) => {
    audits.push(options.store.appendAudit(entry).catch((error: unknown) => logger.error({ err: error, audit: entry }, 'audit entry not recorded')));
  };

  const open = (): Promise<Journal> =>
    (opening ??= (async () => {
      journal = options.dataDir ? await openFileJournal(join(options.dataDir, 'notify'), { logger }) : createMemoryJournal();
      processed = new Set(journal.state.processed);
      for (const s of subscribers.values()) {
        workers.set(
          s.key,
          createSubscriberWorker({
            subscriber: s,
            journal,
            clock,
            retry,
            fetch: fetchFn,
            logger: logger.child({ subscriber: s.key }),
            deadLetters: { ...DEFAULT_DEAD_LETTER_RETRY, ...options.deadLetters },
            random: options.random,
          }),
        );
      }
      return journal;
    })());

  const place = (site: string): SitePlace | undefined => sites.get(site);

  const enqueue = (j: Journal, subscriber: Subscriber, issued: IssuedCap, key: string): void => {
    if (!subscriber.url) return; // told by phone: recorded in the escalation and the audit log
    if (issued.status === 'Exercise' && subscriber.liveOnly) return;
    const queue = (j.state.queues[subscriber.key] ??= []);
    if (queue.some((d) => d.key === key)) return;
    queue.push({ key, doc: subscriber.format === 'cap' ? issued.capDoc : issued.jsonDoc, alertId: issued.alertId, site: issued.site, enqueuedAt: clock.now(), attempts: 0 });
  };

  const escalate = (j: Journal, escalation: EscalationState, steps: number[]): Subscriber[] => {
    const policy = policies[escalation.site];
    const told: Subscriber[] = [];
    for (const index of steps) {
      const step = policy!.steps[index]!;
      const now = step.notify.map((id) => stepSubscriber(escalation.site, id)!).filter((s) => !escalation.told.includes(s.key));
      escalation.told.push(...now.map((s) => s.key));
      told.push(...now);
      if (index > 0) {
        audit({
          actor: 'system:notify',
          action: 'alert.escalate',
          subject: escalation.alertId,
          site: escalation.site,
          at: clock.now(),
          details: { step: index, afterMinutes: step.afterMinutes, notified: now.map((s) => s.key) },
        });
        logger.warn({ alert: escalation.alertId, step: index, notified: now.map((s) => s.key) }, 'nobody acknowledged; escalated');
      }
    }
    j.changed();
    return told;
  };

  const schedule = (j: Journal, escalation: EscalationState): void => {
    timers.get(escalation.alertId)?.();
    timers.delete(escalation.alertId);
    const policy = policies[escalation.site];
    if (!policy || !active(escalation)) return;
    const at = dueAt(escalation, policy, escalation.reached);
    if (at === undefined) return;
    timers.set(
      escalation.alertId,
      clock.setTimeout(() => {
        timers.delete(escalation.alertId);
        const latest = j.state.latest[escalation.alertId];
        const told = escalate(j, escalation, reachDueSteps(escalation, policy, clock.now()));
        if (latest) for (const s of told) enqueue(j, s, latest, `${latest.identifier}|${s.key}`);
        for (const s of told) workers.get(s.key)?.wake();
        schedule(j, escalation);
      }, at - clock.now()),
    );
  };

  /**
   * The named responsible persons of the units the alert's assets belong to are told at once, in ketwin:
   * the web app shows each of them their units' alerts and a banner for every new one; the audit log
   * records who was told (alert.notify). They are users, not webhook endpoints.
   */
  const tellResponsible = (alert: Alert): void => {
    const site = sites.get(alert.site);
    if (!site?.assets || !site.majorHazard) return;
    const units = { id: site.id, assets: site.assets, majorHazard: site.majorHazard };
    const persons = responsiblePersons(units, alert.subjects);
    if (persons.length === 0) return;
    const named = responsibleFor(units, alert.subjects).map((r) => ({ unit: r.unit, principal: r.principal, technical: r.technical, operations: r.operations }));
    audit({
      actor: 'system:notify',
      action: 'alert.notify',
      subject: alert.id,
      site: alert.site,
      at: clock.now(),
      details: { persons, units: named, kind: alert.kind, severity: alert.severity },
    });
  };

  const handle = (j: Journal, alert: Alert, outboxKey: string): void => {
    const policy = policies[alert.site];
    if (!notifiable(alert, policy)) return;
    const site = place(alert.site);
    const issued = issueCap(j.state, alert, {
      sender,
      agencyCode,
      regionCode: policy?.regionCode ?? DEFAULT_REGION_CODE,
      now: clock.now(),
      test: options.test,
      site,
      senderName: options.senderName,
    });
    const first = j.state.escalations[alert.id] === undefined;
    const escalation = (j.state.escalations[alert.id] ??= newEscalation(alert));
    if (first) tellResponsible(alert);
    const ack = acknowledgement(alert);
    if (ack && active(escalation)) {
      escalation.stopped = ack;
      audit({
        actor: ack.by,
        action: 'escalation.stop',
        subject: alert.id,
        site: alert.site,
        at: ack.at,
        details: { by: ack.by, transition: ack.action, reachedSteps: escalation.reached, told: escalation.told },
      });
      logger.info({ alert: alert.id, by: ack.by }, 'acknowledged; escalation stopped');
    }
    if (isCleared(alert)) escalation.closed = true;
    if (policy) escalate(j, escalation, reachDueSteps(escalation, policy, clock.now()));
    schedule(j, escalation);
    if (!issued) return;
    for (const s of subscribers.values()) {
      const always = s.origin === 'subscribers' && hears(s, alert.site) && !inPolicy(alert.site, s.key);
      if (always || escalation.told.includes(s.key)) enqueue(j, s, issued, `${outboxKey}|${s.key}`);
    }
    j.changed();
  };

  const pollOnce = async (): Promise<number> => {
    const j = await open();
    const messages = await options.store.claimOutbox(batchSize, options.leaseMs);
    if (messages.length === 0) return 0;
    for (const m of messages) {
      if (m.topic !== 'alert' || processed.has(m.key)) continue;
      const alert = m.payload as Alert;
      if (typeof alert?.id !== 'string' || typeof alert.site !== 'string') {
        logger.error({ key: m.key }, 'outbox message is not an alert; skipped');
        continue;
      }
      try {
        handle(j, alert, m.key);
      } catch (error) {
        logger.error({ err: error, alert: alert.id }, 'alert could not be turned into notifications; skipped');
      }
      processed.add(m.key);
      j.state.processed.push(m.key);
    }
    if (j.state.processed.length > PROCESSED_KEPT) {
      j.state.processed.splice(0, j.state.processed.length - PROCESSED_KEPT);
      processed = new Set(j.state.processed);
    }
    pruneClosed(j.state, clock.now(), feedKeepMs);
    await j.flush();
    await options.store.markDelivered(messages.map((m) => m.id));
    for (const w of workers.values()) w.wake();
    await Promise.all(audits.splice(0));
    return messages.length;
  };

  const notifier: Notifier = {
    poll() {
      const next = cycle.then(pollOnce, pollOnce);
      cycle = next.catch(() => undefined);
      return next;
    },
    async start() {
      if (running) return;
      const j = await open();
      running = true;
      for (const e of Object.values(j.state.escalations)) schedule(j, e);
      for (const w of workers.values()) w.wake();
      loop = (async () => {
        while (running) {
          let handled = 0;
          try {
            handled = await notifier.poll();
          } catch (error) {
            logger.warn({ err: error }, 'outbox poll failed; will retry');
          }
          if (!running) break;
          if (handled < batchSize) {
            await new Promise<void>((resolve) => {
              const cancel = clock.setTimeout(resolve, pollMs);
              cancelSleep = () => {
                cancel();
                resolve();
              };
            });
          }
          cancelSleep = undefined;
        }
      })();
      logger.info({ subscribers: subscribers.size, sites: sites.size }, 'notifier started');
    },
    async stop() {
      running = false;
      cancelSleep?.();
      await loop;
      loop = undefined;
      await cycle;
      for (const cancel of timers.values()) cancel();
      timers.clear();
      await Promise.all([...workers.values()].map((w) => w.stop()));
      await Promise.all(audits.splice(0));
      await journal?.close();
    },
    deliveryStatus: () => [...workers.values()].map((w) => w.status()),
    retryDeadLetters(key) {
      return workers.get(key)?.retryDeadLetters() ?? 0;
    },
    escalations: () => Object.values(journal?.state.escalations ?? {}),
    journalStats: () => journal?.stats?.(),
    capFeed(request) {
      return capFeedOf(journal?.state ?? ({ latest: {}, docs: {} } as never), request, clock.now(), feedKeepMs);
    },
  };
  return notifier;
}
