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
  /**
   * Keeps the raw readings of these points of a site `days` days at least, beyond the samples policy
   * (a rule's own history duty: MEM 2022 asks a lightning warning system's history ≥ 3 years);
   * replaces what was set before for them. Creates their series if they have no reading yet.
   */
  keepSeries(site: string, points: readonly string[], days: number): Promise<void>;
  /** Deletes what `policy` no longer keeps; rows deleted per table. */
  purge(policy: RetentionPolicy, now: number): Promise<Record<RetentionTable, number>>;
}
