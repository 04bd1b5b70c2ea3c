import type { RetentionPolicy, RetentionTable } from './retention.ts';

/** A time range of a site that retention keeps (an open audit, an incident inquiry). */
export interface Hold {
  id: number;
  site: string;
  from: number;
  to: number;
  reason: string;
}

/** What is kept and for how long: holds, and the purge of what the policy no longer keeps (db/retention.ts). */
export interface RetentionStore {
  addHold(hold: Omit<Hold, 'id'>): Promise<Hold>;
  releaseHold(id: number): Promise<void>;
  /** Open holds of a site. */
  holds(site: string): Promise<Hold[]>;
  /** Deletes what `policy` no longer keeps; rows deleted per table. */
  purge(policy: RetentionPolicy, now: number): Promise<Record<RetentionTable, number>>;
}
