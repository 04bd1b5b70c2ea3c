/** What the notifier keeps across restarts (notify/journal.ts keeps it, as a log of changes). */
import type { CapMsgType, CapReference, CapStatus } from './cap/cap-document.ts';

export interface PendingDelivery {
  /** idempotency key, sent as the Idempotency-Key header */
  key: string;
  /** the rendered document in `docs` */
  doc: string;
  alertId: string;
  site: string;
  enqueuedAt: number;
  attempts: number;
  nextAt?: number;
  lastError?: string;
  /** automatic retry rounds of this delivery after it died (notify/webhook/retry.ts DeadLetterPolicy) */
  rounds?: number;
}

export interface DeadLetter extends PendingDelivery {
  deadAt: number;
  /** when it goes back to the queue by itself; undefined once it stays dead */
  retryAt?: number;
  /** why it stays dead, once the automatic rounds are spent */
  reason?: string;
}

/** The latest CAP document of one alert, for the feed and for late escalation steps. */
export interface IssuedCap {
  alertId: string;
  site: string;
  identifier: string;
  sent: number;
  msgType: CapMsgType;
  status: CapStatus;
  headline: { zh: string; en: string };
  /** keys in `docs` of the CAP and JSON renderings */
  capDoc: string;
  jsonDoc: string;
}

export interface EscalationState {
  alertId: string;
  site: string;
  raisedAt: number;
  exercise: boolean;
  /** steps of the policy reached so far */
  reached: number;
  /** subscriber keys told so far */
  told: string[];
  stopped?: { by: string; at: number; action: string };
  closed: boolean;
}

export interface JournalState {
  version: 1;
  /** last CAP sequence number used */
  sequence: number;
  /** every CAP message issued per alert, oldest first (for `references`) */
  references: Record<string, CapReference[]>;
  latest: Record<string, IssuedCap>;
  docs: Record<string, string>;
  queues: Record<string, PendingDelivery[]>;
  dead: Record<string, DeadLetter[]>;
  escalations: Record<string, EscalationState>;
  /** outbox keys already fanned out, newest last (bounded) */
  processed: string[];
}

export function emptyState(): JournalState {
  return { version: 1, sequence: 0, references: {}, latest: {}, docs: {}, queues: {}, dead: {}, escalations: {}, processed: [] };
}
