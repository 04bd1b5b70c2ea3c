import { type Observable, type SchedulerLike, asyncScheduler, filter, groupBy, merge, mergeMap, throttleTime } from 'rxjs';
import type { LiveEvent, Sample } from '../../model/index.ts';

type SampleEvent = Extract<LiveEvent, { type: 'sample' }>;

const isSample = (e: LiveEvent): e is SampleEvent => e.type === 'sample';

/**
 * Sample events reduced to the latest per point, each point at most once per `periodMs`:
 * the first reading goes out at once, later ones within the window collapse into the last.
 */
export function throttleSamples(periodMs: number, scheduler: SchedulerLike = asyncScheduler) {
  return (samples$: Observable<SampleEvent>): Observable<SampleEvent> =>
    samples$.pipe(
      groupBy((e) => (e.data as Sample).point),
      mergeMap((point$) => point$.pipe(throttleTime(periodMs, scheduler, { leading: true, trailing: true }))),
    );
}

/**
 * What one event-stream client receives. For one site: its results, scores and alerts as they
 * happen and its samples throttled. For all sites (no site given): scores and alerts only.
 */
export function clientEvents(
  events$: Observable<LiveEvent>,
  site: string | undefined,
  samplePeriodMs: number,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<LiveEvent> {
  if (site === undefined) return events$.pipe(filter((e) => e.type === 'score' || e.type === 'alert'));
  const mine$ = events$.pipe(filter((e) => e.data.site === site));
  return merge(
    mine$.pipe(filter((e) => !isSample(e))),
    mine$.pipe(filter(isSample), throttleSamples(samplePeriodMs, scheduler)),
  );
}
