/**
 * Which engine worker owns which site (DESIGN.md, "Scale"): each site is owned by exactly one worker at a
 * time. A worker holds a site while it renews the site's lease; a worker that dies stops renewing, its
 * leases run out, and the others take its sites. Implemented on a JetStream key-value bucket
 * (`jetstream/site-leases.ts`); one process alone (`ketwin start`) needs none.
 */

export interface SiteLeaseHandlers {
  /**
   * The worker holds the site now: build its twin and start taking its samples. Resolves once it does; a
   * rejection gives the lease back (another worker, or this one at the next round, tries again).
   */
  acquired(site: string): Promise<void>;
  /** The worker no longer holds the site (given back, lost, or closing): stop taking its samples. Resolves once it stopped. */
  released(site: string, why: 'rebalance' | 'lost' | 'close'): Promise<void>;
}

export interface SiteLeaseStats {
  /** this worker's id (unique per start) */
  worker: string;
  /** sites it holds now */
  owned: string[];
  /** workers seen alive at the last round, this one included */
  workers: number;
  acquired: number;
  released: number;
  lost: number;
  /** rounds that could not reach the bucket */
  failures: number;
}

export interface SiteLeases {
  stats(): SiteLeaseStats;
  /** the sites held now */
  owned(): string[];
  /** one round now (renew, count workers, take free sites, give surplus back); the timer runs them too */
  round(): Promise<void>;
  /** releases every site (handlers first, then the leases, so another worker takes them at once) */
  close(): Promise<void>;
}
