import type { SchedulerLike, Subscription } from 'rxjs';
import { figurePointsRef, ONLINE_RATE_KIND, type EvidenceRecord, type Sample, type Site } from '../model/index.ts';

const HOUR_MS = 3_600_000;

/** One safety point's day: whether its latest reading is good, since when, and the good time counted so far. */
interface PointDay {
  id: string;
  good: boolean;
  since: number;
  goodMs: number;
  /** good readings today */
  readings: number;
  /** the smallest |source time − receive time| of today's good readings after the first, ms (Infinity: none yet) */
  skewMs: number;
  /** the most a good reading's source time was ahead of its receive time today, ms */
  aheadMs: number;
}

export interface OnlineRate {
  /** the reader a safety point's cell calls with each of its samples (bound to the point's day: no lookup per sample) */
  readerOf(pointId: string): (sample: Sample, at?: number) => void;
  dispose(): void;
}

/**
 * The day's online rate of a site's safety-critical points (the national monitoring system asks
 * ≥ 99.5 % per point): the share of the site's day — from its local midnight, or from the first
 * reading the twin got — during which each point's latest reading was good. A point with no reading yet,
 * or whose last one is bad (stale, link lost, a device fault), counts as offline. Every hour of the
 * site's clock the day so far is recorded as a `data-quality-day` evidence record of the site (its
 * worst point's rate, how many points are below the standard's threshold are the clause's to judge —
 * and how far the worst safety point's clock is from the twin's, `clockSkewS`, see worstClock),
 * and at midnight the whole day; then the count starts over. Less than an hour watched records nothing. On the scheduler's time: a replay
 * records the same figures. Reads only quality changes on the per-sample path.
 */
export function createOnlineRate(site: Site, pointIds: readonly string[], scheduler: SchedulerLike, record: (entry: EvidenceRecord) => void): OnlineRate {
  const days = new Map<string, PointDay>(pointIds.map((id) => [id, { id, good: false, since: scheduler.now(), goodMs: 0, readings: 0, skewMs: Infinity, aheadMs: 0 }]));
  /** from the first reading of any safety point (a twin starting up is not the site offline), then each midnight */
  let dayStart: number | undefined;
  let timer: Subscription | undefined;
  const hourParts = new Intl.DateTimeFormat('en-GB', { timeZone: site.timeZone, minute: '2-digit', second: '2-digit', hour: '2-digit', hourCycle: 'h23' });
  const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

  /** the next full hour of the site's clock after `ms` (time zones are whole or half hours off UTC: minutes and seconds tell) */
  const nextHour = (ms: number) => {
    const parts = Object.fromEntries(hourParts.formatToParts(ms).map((p) => [p.type, p.value]));
    const intoHour = (Number(parts['minute']) * 60 + Number(parts['second'])) * 1000 + (ms % 1000);
    return { at: ms - intoHour + HOUR_MS, midnight: Number(parts['hour']) === 23 };
  };

  const settle = (day: PointDay, at: number) => {
    if (day.good) day.goodMs += at - day.since;
    day.since = at;
  };

  const take = (at: number, final: boolean) => {
    if (dayStart === undefined) return;
    const span = at - dayStart;
    // under an hour watched is no figure for a day yet (the clause reads unknown until there is one)
    if (span <= 0 || days.size === 0 || (!final && span < HOUR_MS)) return;
    const rates = [...days.values()].map((d) => {
      settle(d, at);
      return { id: d.id, rate: d.goodMs / span };
    });
    const worst = rates.reduce((a, b) => (b.rate < a.rate ? b : a));
    const clock = worstClock();
    record({
      kind: ONLINE_RATE_KIND,
      date: dateOf(at - 1), // the day it covers ends at `at`: a record taken at midnight belongs to the day before
      by: 'ketwin (measured)',
      // which point each figure is about, as ids (model/figure-points): each page says it in its own language
      ref: figurePointsRef({ onlineRate: worst.id, ...(clock ? { clockSkewS: clock.id } : {}) }),
      passed: true,
      values: {
        onlineRate: Math.round(worst.rate * 10_000) / 10_000,
        observedHours: Math.round((span / HOUR_MS) * 100) / 100,
        points: rates.length,
        ...(clock ? { clockSkewS: clock.s } : {}),
      },
    });
    if (final) {
      dayStart = at;
      for (const d of days.values()) {
        d.goodMs = 0;
        d.readings = 0;
        d.skewMs = Infinity;
        d.aheadMs = 0;
      }
    }
  };

  /**
   * The safety point whose clock disagrees most with the twin's: a reading's source time against when it
   * arrived. Delivery delay and a buffer's backlog make readings late, never early, and a first reading may
   * carry the time the value last changed (OPC-UA's source timestamp), so a point's clock is judged on its
   * closest reading after the first of the day; a reading from the future counts at once. None judged: undefined.
   */
  const worstClock = (): { id: string; s: number } | undefined => {
    let worst: { id: string; ms: number } | undefined;
    for (const d of days.values()) {
      const ms = Math.max(d.aheadMs, Number.isFinite(d.skewMs) ? d.skewMs : 0);
      if ((Number.isFinite(d.skewMs) || d.aheadMs > 0) && (!worst || ms > worst.ms)) worst = { id: d.id, ms };
    }
    return worst && { id: worst.id, s: Math.round(worst.ms / 100) / 10 };
  };

  const arm = () => {
    const next = nextHour(scheduler.now());
    timer = scheduler.schedule(() => {
      take(next.at, next.midnight);
      arm();
    }, next.at - scheduler.now());
  };
  arm();

  return {
    readerOf(pointId) {
      const day = days.get(pointId);
      if (!day) throw new RangeError(`online rate: ${pointId} is not one of the site's safety points`);
      return (sample, now = scheduler.now()) => {
        if (dayStart === undefined) {
          dayStart = now;
          for (const d of days.values()) d.since = dayStart;
        }
        const good = sample.quality === 'good';
        if (good) {
          const skew = sample.ts - now;
          if (skew > day.aheadMs) day.aheadMs = skew;
          if (day.readings++ > 0 && Math.abs(skew) < day.skewMs) day.skewMs = Math.abs(skew);
        }
        if (good === day.good) return;
        settle(day, now);
        day.good = good;
      };
    },
    dispose: () => timer?.unsubscribe(),
  };
}
