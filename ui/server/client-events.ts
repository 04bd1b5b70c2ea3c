import { type Observable, type SchedulerLike, asyncScheduler, filter, groupBy, merge, mergeMap, throttleTime } from 'rxjs';
import type { LiveEvent } from '../../model/index.ts';
import type { StampedEvent } from './event-hub.ts';

type SampleEvent = Extract<LiveEvent, { type: 'sample' }>;
interface StampedSample extends StampedEvent {
  event: SampleEvent;
}

const isSample = (e: StampedEvent): e is StampedSample => e.event.type === 'sample';

/**
 * Sample events reduced to the latest per point, each point at most once per `periodMs`:
 * the first reading goes out at once, later ones within the window collapse into the last.
 */
export function throttleSamples(periodMs: number, scheduler: SchedulerLike = asyncScheduler) {
  return (samples$: Observable<StampedSample>): Observable<StampedSample> =>
    samples$.pipe(
      groupBy((e) => e.event.data.point),
      mergeMap((point$) => point$.pipe(throttleTime(periodMs, scheduler, { leading: true, trailing: true }))),
    );
}

/**
 * What one event-stream client receives. For one site: its results, scores and alerts as they
 * happen — never throttled, never dropped — and its samples throttled. For all sites (no site
 * given): scores and alerts of the sites the client may see.
 */
export function clientEvents(
  events$: Observable<StampedEvent>,
  site: string | undefined,
  samplePeriodMs: number,
  options: { visible?: (site: string) => boolean; scheduler?: SchedulerLike } = {},
): Observable<StampedEvent> {
  const visible = options.visible ?? (() => true);
  if (site === undefined) {
    return events$.pipe(filter((e) => (e.event.type === 'score' || e.event.type === 'alert') && visible(e.event.data.site)));
  }
  const mine$ = events$.pipe(filter((e) => e.event.data.site === site));
  return merge(mine$.pipe(filter((e) => !isSample(e))), mine$.pipe(filter(isSample), throttleSamples(samplePeriodMs, options.scheduler)));
}
