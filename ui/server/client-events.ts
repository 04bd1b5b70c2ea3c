import { type Observable, type SchedulerLike, asyncScheduler, filter, groupBy, merge, mergeMap, throttleTime } from 'rxjs';
import type { LiveEvent, Site, StreamMode } from '../../model/index.ts';
import type { StampedEvent } from './event-hub.ts';

/** the readings of a weather station the rescue page works with (ui/web/src/lib/station-wind.ts) */
const RESCUE_PAGE_READINGS = new Set(['wind_speed', 'wind_direction']);

/**
 * The points a light stream keeps live: the weather stations' wind, which the rescue page's safe
 * approach rests on. Its snapshot carries only their readings, so a phone shows no reading it does
 * not keep current.
 */
export function lightStreamPoints(site: Pick<Site, 'assets' | 'points'>): Set<string> {
  const stations = new Set(site.assets.filter((a) => a.kind === 'weather-station').map((a) => a.id));
  return new Set(site.points.filter((p) => stations.has(p.asset) && RESCUE_PAGE_READINGS.has(p.name)).map((p) => p.id));
}

type SampleEvent = Extract<LiveEvent, { type: 'sample' }>;
interface StampedSample extends StampedEvent {
  event: SampleEvent;
}

const isSample = (e: StampedEvent): e is StampedSample => e.event.type === 'sample';

/**
 * Sample events reduced to the latest per point, each point at most once per `periodMs`: the first
 * reading goes out at once, later ones within the window collapse into the last. Only changes go
 * out: a reading with the value, quality and reason the client was last sent is held back, unless
 * `refreshMs` has passed since then (so a steady reading is still seen to be current).
 */
export function throttleSamples(periodMs: number, scheduler: SchedulerLike = asyncScheduler, refreshMs = 60_000) {
  return (samples$: Observable<StampedSample>): Observable<StampedSample> =>
    samples$.pipe(
      groupBy((e) => e.event.data.point),
      mergeMap((point$) => {
        let sent: StampedSample['event']['data'] | undefined;
        let sentAt = -Infinity;
        return point$.pipe(
          throttleTime(periodMs, scheduler, { leading: true, trailing: true }),
          filter(({ event: { data } }) => {
            const now = scheduler.now();
            if (sent && sent.value === data.value && sent.quality === data.quality && sent.reason === data.reason && now - sentAt < refreshMs) return false;
            sent = data;
            sentAt = now;
            return true;
          }),
        );
      }),
    );
}

export interface ClientEventOptions {
  visible?: (site: string) => boolean;
  scheduler?: SchedulerLike;
  /** default full */
  mode?: StreamMode;
  /** a light stream's live points (lightStreamPoints) */
  lightPoints?: ReadonlySet<string>;
  /** a steady reading is sent again after this long, ms; default 60 s */
  refreshMs?: number;
}

/** A site detail as a light stream's snapshot carries it: only the readings of its live points. */
export function lightSnapshot<T extends { values: Record<string, unknown> }>(detail: T, lightPoints: ReadonlySet<string>): T {
  return { ...detail, values: Object.fromEntries(Object.entries(detail.values).filter(([point]) => lightPoints.has(point))) };
}

/** the kinds of event a light stream carries besides its points' samples: the site's risk, its alerts and incidents, and its verdicts (the plan's colours) */
const LIGHT_TYPES: ReadonlySet<LiveEvent['type']> = new Set(['result', 'score', 'alert']);

/**
 * What one event-stream client receives. For one site: its results, scores and alerts as they
 * happen — never throttled, never dropped — and its samples throttled, only when they change (and
 * a light stream: no alarm-system health or evidence events, and only its live points' samples).
 * For all sites (no site given): scores and alerts of the sites the client may see.
 */
export function clientEvents(events$: Observable<StampedEvent>, site: string | undefined, samplePeriodMs: number, options: ClientEventOptions = {}): Observable<StampedEvent> {
  const visible = options.visible ?? (() => true);
  if (site === undefined) {
    return events$.pipe(filter((e) => (e.event.type === 'score' || e.event.type === 'alert') && visible(e.event.data.site)));
  }
  const mine$ = events$.pipe(filter((e) => e.event.data.site === site));
  const light = options.mode === 'light';
  const points = options.lightPoints ?? new Set<string>();
  return merge(
    mine$.pipe(filter((e) => !isSample(e) && (!light || LIGHT_TYPES.has(e.event.type)))),
    mine$.pipe(
      filter(isSample),
      filter((e) => !light || points.has(e.event.data.point)),
      throttleSamples(samplePeriodMs, options.scheduler, options.refreshMs),
    ),
  );
}
