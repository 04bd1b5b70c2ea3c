import { ApiError, type SiteScore, type SiteSummary, eventsUrl, fetchSites } from './api.ts';
import type { Connection } from './site-live.svelte.ts';

/** All sites with their scores, kept current from the all-sites event stream. */
export class SiteList {
  #sites = $state<SiteSummary[] | null>(null);
  #error = $state<string | null>(null);
  #connection = $state<Connection>('connecting');
  #source: EventSource | null = null;

  get sites(): SiteSummary[] | null {
    return this.#sites;
  }

  get error(): string | null {
    return this.#error;
  }

  get connection(): Connection {
    return this.#connection;
  }

  connect(): void {
    this.close();
    this.#connection = 'connecting';
    const source = new EventSource(eventsUrl());
    this.#source = source;
    source.addEventListener('snapshot', (e) => {
      this.#sites = JSON.parse((e as MessageEvent<string>).data) as SiteSummary[];
      this.#error = null;
      this.#connection = 'live';
    });
    source.addEventListener('score', (e) => this.#applyScore(JSON.parse((e as MessageEvent<string>).data) as SiteScore));
    // alert counts depend on every alert's state; a fresh list is simplest and cheap
    source.addEventListener('alert', () => void this.reload());
    source.addEventListener('error', () => {
      this.#connection = source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting';
      if (source.readyState === EventSource.CLOSED) void this.reload();
    });
  }

  async reload(): Promise<void> {
    try {
      this.#sites = await fetchSites();
      this.#error = null;
    } catch (err) {
      this.#error = err instanceof ApiError ? err.message : String(err);
    }
  }

  close(): void {
    this.#source?.close();
    this.#source = null;
    this.#connection = 'closed';
  }

  #applyScore(score: SiteScore): void {
    const site = this.#sites?.find((s) => s.id === score.site);
    if (!site) return;
    site.score = score.score;
    site.grade = score.grade;
    site.risk = score.risk;
    site.riskReason = score.riskReason;
    site.complianceRisk = score.complianceRisk;
    site.coverage = score.coverage;
    site.counts = score.counts;
    site.standard = score.standard;
  }
}
