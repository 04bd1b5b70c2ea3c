/** A message waiting in the outbox. */
export interface OutboxMessage {
  id: number;
  topic: string;
  key: string;
  payload: unknown;
  createdAt: number;
  /** deliveries tried so far, this one included */
  attempts: number;
}

/**
 * Messages for notify/, written in the same transaction as what they announce (AlertStore.writeAlerts)
 * and delivered at least once: a claim is a lease, and an expired lease is claimed again.
 */
export interface OutboxStore {
  /** Claims up to `limit` undelivered messages for `leaseMs` (default 30 s), oldest first. */
  claimOutbox(limit: number, leaseMs?: number): Promise<OutboxMessage[]>;
  markDelivered(ids: readonly number[]): Promise<void>;
}
