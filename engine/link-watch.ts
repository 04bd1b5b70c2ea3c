import type { SchedulerLike, Subscription } from 'rxjs';
import type { Point, Sample, Site } from '../model/index.ts';
import { onlinePoint } from './comms-loss.ts';

/** what a reading left showing by a silent feed says it is */
export const LINK_LOST = 'link-lost';

/**
 * The feed from one source: when the engine last heard anything of it (a reading of any of its
 * points, bad ones included, or its `<source>.online` report or heartbeat) and whether it has gone
 * silent. One per source, shared by the cells of its points, so a sample records it without a lookup.
 */
export interface SourceLink {
  readonly source: string;
  /** silence after which the feed is taken for lost: the source's staleAfterMs */
  readonly timeoutMs: number;
  heardAt: number;
  silent: boolean;
}

/** Watches every source's feed of a site with one timer, armed for the earliest deadline. */
export interface LinkWatch {
  /** the link of each source, by source id */
  readonly links: ReadonlyMap<string, SourceLink>;
  /** something of `link`'s source arrived at `at` (scheduler time) */
  heard(link: SourceLink, at: number): void;
  dispose(): void;
}

/**
 * Liveness of the feed, not staleness of a point: the collector decides when a point is stale
 * (collector/stale-watchdog.ts, the OPC-UA subscription's health) and says so in a sample, and it
 * keeps each source's link alive with a heartbeat (collector/link-heartbeat.ts). What the collector
 * cannot say is that the feed itself is gone — the collector's process died, the link from an edge
 * collector dropped, the buffer between them stalled. When nothing at all of a source has arrived
 * for its `staleAfterMs` (on the scheduler's time), `onSilent` is called once, until the source is
 * heard again. A source is watched from the first sample of it.
 */
export function createLinkWatch(site: Site, scheduler: SchedulerLike, onSilent: (link: SourceLink) => void): LinkWatch {
  const links = new Map<string, SourceLink>();
  const timeoutOf = new Map(site.sources.map((s) => [s.id, s.staleAfterMs]));
  // a point naming a source the site does not list (hand-built sites): its own staleness bounds the link
  for (const p of site.points) if (!timeoutOf.has(p.source)) timeoutOf.set(p.source, p.staleAfterMs);
  for (const [source, timeoutMs] of timeoutOf) links.set(source, { source, timeoutMs, heardAt: Number.NEGATIVE_INFINITY, silent: false });

  // the links heard at least once, in the order they were first heard
  const watched: SourceLink[] = [];
  let timer: Subscription | undefined;
  let armedFor = Infinity;
  const arm = (at: number) => {
    timer?.unsubscribe();
    armedFor = at;
    timer = scheduler.schedule(check, Math.max(0, at - scheduler.now()));
  };
  const check = () => {
    timer = undefined;
    armedFor = Infinity;
    const now = scheduler.now();
    let next = Infinity;
    const silent: SourceLink[] = [];
    for (const link of watched) {
      if (link.silent) continue;
      const due = link.heardAt + link.timeoutMs;
      if (due <= now) {
        link.silent = true;
        silent.push(link);
      } else if (due < next) next = due;
    }
    if (next < Infinity) arm(next);
    for (const link of silent) onSilent(link);
  };

  return {
    links,
    heard(link, at) {
      if (link.heardAt === Number.NEGATIVE_INFINITY) watched.push(link);
      link.heardAt = at;
      link.silent = false;
      // a timer already armed for an earlier deadline re-arms itself from there
      if (at + link.timeoutMs < armedFor) arm(at + link.timeoutMs);
    },
    dispose() {
      timer?.unsubscribe();
      timer = undefined;
      armedFor = Infinity;
      watched.length = 0;
    },
  };
}

/**
 * What a silent feed leaves the twin showing: each reading of the source's points that is not bad
 * already turned bad (reason `link-lost`, the reading's own value and time kept) — as the collector
 * marks a silent point stale whatever its quality — and then, by the collector's own rule
 * (`<source>.online` is true while a point of the source reads good, collector/online-signal.ts),
 * a `<source>.online` that said true now false at `at`, if a good reading was among them; the
 * communications-loss alarm reads it. The source's next samples and the collector's next heartbeat
 * say how it really is.
 */
export function silencedReadings(link: SourceLink, cells: readonly { point: Point; sample?: Sample }[], at: number): Sample[] {
  const online = onlinePoint(link.source);
  const out: Sample[] = [];
  let report: Sample | undefined;
  let good = false;
  for (const { point, sample } of cells) {
    if (!sample || sample.quality === 'bad') continue;
    if (point.id === online) {
      report = sample;
      continue;
    }
    if (sample.quality === 'good') good = true;
    out.push({ ...sample, quality: 'bad', reason: LINK_LOST });
  }
  if (good && report?.quality === 'good' && report.value === true) out.push({ ...report, value: false, reason: LINK_LOST, ts: at });
  return out;
}
