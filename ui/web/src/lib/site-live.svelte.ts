import { ApiError, type AlarmHealth, type Alert, type SiteDetail, type StreamMode, eventsUrl, fetchSite } from './api.ts';
import { applyEvent, type StreamEvent } from './apply-event.ts';
import { systemClock } from './clock.svelte.ts';

export type Connection = 'connecting' | 'live' | 'reconnecting' | 'closed';

const LIVE_EVENTS = ['result', 'score', 'alert', 'sample'] as const;

/**
 * One site kept current from the event stream: the `snapshot` event replaces the detail,
 * later events are folded in. The browser's EventSource reconnects by itself; each
 * reconnection starts with a fresh snapshot.
 */
export class SiteLive {
  #detail = $state<SiteDetail | null>(null);
  #connection = $state<Connection>('connecting');
  #error = $state<{ status: number; message: string } | null>(null);
  #health = $state<AlarmHealth | null>(null);
  #pausedSince = $state<number | null>(null);
  #source: EventSource | null = null;
  readonly id: string;
  /** light: only what the rescue page shows (its snapshot holds only the weather stations' readings) */
  readonly mode: StreamMode;

  constructor(id: string, mode: StreamMode = 'full') {
    this.id = id;
    this.mode = mode;
  }

  get detail(): SiteDetail | null {
    return this.#detail;
  }

  /** the latest alarm-system health figures from the stream (`health` events); null until one comes */
  get health(): AlarmHealth | null {
    return this.#health;
  }

  get connection(): Connection {
    return this.#connection;
  }

  /** when the stream last dropped, while it is down (what the page shows stopped being live then); null while live */
  get pausedSince(): number | null {
    return this.#pausedSince;
  }

  get error(): { status: number; message: string } | null {
    return this.#error;
  }

  connect(): void {
    this.close();
    this.#connection = 'connecting';
    const source = new EventSource(eventsUrl(this.id, this.mode));
    this.#source = source;
    source.addEventListener('open', () => {
      this.#connection = 'live';
      this.#pausedSince = null;
    });
    source.addEventListener('snapshot', (e) => {
      this.#detail = JSON.parse((e as MessageEvent<string>).data) as SiteDetail;
      this.#error = null;
      this.#connection = 'live';
      this.#pausedSince = null;
    });
    for (const type of LIVE_EVENTS) {
      source.addEventListener(type, (e) => {
        if (!this.#detail) return;
        applyEvent(this.#detail, { type, data: JSON.parse((e as MessageEvent<string>).data) } as StreamEvent);
      });
    }
    source.addEventListener('health', (e) => {
      this.#health = JSON.parse((e as MessageEvent<string>).data) as AlarmHealth;
    });
    source.addEventListener('error', () => {
      // only what the page shows can be paused: a stream that never brought the site (refused, not found) is the page's error, not a pause
      if (this.#detail !== null) this.#pausedSince ??= systemClock.now();
      if (source.readyState === EventSource.CLOSED) {
        this.#connection = 'closed';
        void this.#explainFailure();
      } else {
        this.#connection = 'reconnecting';
      }
    });
  }

  /** Folds in an alert a command answered with, before its event arrives on the stream. */
  applyAlert(alert: Alert): void {
    if (!this.#detail) return;
    const known = this.#detail.alerts.find((a) => a.id === alert.id);
    const at = (a: Alert) => a.transition?.at ?? a.changedAt;
    if (known && at(known) > at(alert)) return; // the stream brought a newer version already
    applyEvent(this.#detail, { type: 'alert', data: alert });
  }

  close(): void {
    this.#source?.close();
    this.#source = null;
    this.#connection = 'closed';
  }

  /** The stream gave up (for instance on a 404): ask the API why. */
  async #explainFailure(): Promise<void> {
    try {
      this.#detail = await fetchSite(this.id);
    } catch (err) {
      this.#error = err instanceof ApiError ? { status: err.status, message: err.message } : { status: 0, message: String(err) };
    }
  }
}
