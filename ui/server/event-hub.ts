import { randomBytes } from 'node:crypto';
import { Observable, Subject, type Subscription } from 'rxjs';
import { systemClock, type LiveEvent } from '../../model/index.ts';

/** A live event with its id: global to this server and increasing. */
export interface StampedEvent {
  id: number;
  event: LiveEvent;
}

export interface EventHubOptions {
  /** how many results, scores and alerts are kept for clients that reconnect; default 10,000 */
  capacity?: number;
}

/**
 * Numbers every live event once for the whole server, keeps the recent results, scores and alerts
 * in a ring (and the latest sample of each point), so a client reconnecting with Last-Event-ID
 * gets exactly what it missed: every alert transition, and the latest value of each point.
 * Ids are written `<epoch>-<n>`; an id from an earlier server process is recognised as such.
 */
export interface EventHub {
  readonly epoch: string;
  /** id of the latest event, 0 before the first */
  readonly lastId: number;
  formatId(id: number): string;
  /** the number in an id this server wrote; undefined for anything else */
  parseId(text: string | undefined): number | undefined;
  /**
   * What came after `afterId` (samples coalesced to the latest per point), then everything live.
   * undefined when events after `afterId` have already left the ring: send a fresh snapshot instead.
   */
  since(afterId: number): Observable<StampedEvent> | undefined;
  /** stops following the live events */
  close(): void;
}

export function createEventHub(events$: Observable<LiveEvent>, options: EventHubOptions = {}): EventHub {
  const capacity = options.capacity ?? 10_000;
  const epoch = `${systemClock.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const ring: (StampedEvent | undefined)[] = new Array<StampedEvent | undefined>(capacity);
  let head = 0; // next slot
  let evictedUpTo = 0; // highest id that left the ring
  const latestSample = new Map<string, StampedEvent>();
  const out$ = new Subject<StampedEvent>();
  let lastId = 0;

  const subscription: Subscription = events$.subscribe({
    next(event) {
      const stamped: StampedEvent = { id: ++lastId, event };
      if (event.type === 'sample') {
        latestSample.set(`${event.data.site}\u0000${event.data.point}`, stamped);
      } else {
        const old = ring[head];
        if (old) evictedUpTo = old.id;
        ring[head] = stamped;
        head = (head + 1) % capacity;
      }
      out$.next(stamped);
    },
    error: (err: unknown) => out$.error(err),
    complete: () => out$.complete(),
  });

  const missed = (afterId: number): StampedEvent[] => {
    const list: StampedEvent[] = [];
    for (let i = 0; i < capacity; i++) {
      const e = ring[(head + i) % capacity];
      if (e && e.id > afterId) list.push(e);
    }
    for (const e of latestSample.values()) if (e.id > afterId) list.push(e);
    return list.sort((a, b) => a.id - b.id);
  };

  return {
    epoch,
    get lastId() {
      return lastId;
    },
    formatId: (id) => `${epoch}-${id}`,
    parseId(text) {
      const match = /^([0-9a-z]+)-(\d{1,15})$/.exec(text?.trim() ?? '');
      if (!match || match[1] !== epoch) return undefined;
      const id = Number(match[2]);
      return id <= lastId ? id : undefined;
    },
    since(afterId) {
      if (afterId < evictedUpTo) return undefined;
      return new Observable<StampedEvent>((subscriber) => {
        for (const e of missed(afterId)) subscriber.next(e);
        return out$.subscribe(subscriber);
      });
    },
    close: () => subscription.unsubscribe(),
  };
}
