import { ApiError, type IncidentSummary, eventsUrl, fetchIncidents } from './api.ts';
import type { Connection } from './site-live.svelte.ts';

/** The open incidents of the user's sites, fetched again whenever an alert changes on the all-sites stream. */
export class IncidentList {
  #incidents = $state<IncidentSummary[] | null>(null);
  #error = $state<string | null>(null);
  #connection = $state<Connection>('connecting');
  #source: EventSource | null = null;
  #loading: Promise<void> | null = null;
  #again = false;

  get incidents(): IncidentSummary[] | null {
    return this.#incidents;
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
    source.addEventListener('snapshot', () => {
      this.#connection = 'live';
      void this.reload();
    });
    source.addEventListener('alert', () => void this.reload());
    source.addEventListener('error', () => {
      this.#connection = source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting';
    });
  }

  /** one request at a time: alerts that change while it runs ask for one more, not one each */
  reload(): Promise<void> {
    if (this.#loading) {
      this.#again = true;
      return this.#loading;
    }
    this.#loading = (async () => {
      do {
        this.#again = false;
        try {
          this.#incidents = await fetchIncidents();
          this.#error = null;
        } catch (err) {
          this.#error = err instanceof ApiError ? err.message : String(err);
        }
      } while (this.#again);
    })().finally(() => (this.#loading = null));
    return this.#loading;
  }

  close(): void {
    this.#source?.close();
    this.#source = null;
    this.#connection = 'closed';
  }
}
