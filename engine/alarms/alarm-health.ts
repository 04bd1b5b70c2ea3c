import type { SchedulerLike, Subscription } from 'rxjs';
import type { AlarmContributor, AlarmHealth, AlarmHealthThresholds, Alert, FloodPeriod } from '../../model/index.ts';
import { parseDuration, type Standard } from '../../standards/index.ts';
import { EngineError } from '../engine-errors.ts';
import { alarmKeyOf } from './alarm-keys.ts';

/** The health thresholds of a standard's `alarms.health` section; undefined when it has none. */
export function alarmHealthThresholds(standard: Standard): AlarmHealthThresholds | undefined {
  const alarms = standard.alarms;
  if (!alarms) return undefined;
  const h = alarms.health;
  const ms = (text: string, field: string) => {
    const d = parseDuration(text);
    if (!d || d.years || d.months || d.ms <= 0)
      throw new EngineError(
        'ENGINE_ALARM_PARAM',
        `${standard.key} alarms.health.${field}: ${JSON.stringify(text)} must be an exact positive duration (weeks, days, hours, minutes, seconds)`,
      );
    return d.ms;
  };
  return {
    windowMs: ms(h.window, 'window'),
    floodAlarms: h.floodAlarms,
    floodEndBelow: h.floodEndBelow,
    chatterWindowMs: ms(h.chatterWindow, 'chatterWindow'),
    chatterCount: h.chatterCount,
    standingAfterMs: ms(h.standingAfter, 'standingAfter'),
    topContributors: h.topContributors,
    periodMs: ms(h.period, 'period'),
    source: alarms.source,
  };
}

export interface AlarmHealthOptions {
  site: string;
  scheduler: SchedulerLike;
  thresholds: AlarmHealthThresholds;
  /** the figures, each time they change: on an annunciation or alarm transition, and when a window rolls */
  emit: (health: AlarmHealth) => void;
}

interface OpenAlarm {
  contributor: AlarmContributor;
  state: Alert['state'];
  /** when its condition became active; absent once it returned */
  activeSince?: number;
}

interface Chatter {
  count: number;
  lastChatterAt: number;
}

/** the one bound on memory that is not time: a pathological alarm storm keeps this many annunciations */
const MAX_ANNUNCIATIONS = 100_000;

/**
 * Alarm-system health of one site (EEMUA 191 / ISA-18.2), kept from the alarm book's transitions on
 * the scheduler's clock: annunciations (raise and re-alarm) per rolling window, flood periods,
 * chattering, standing alarms and the top contributors over the period. Old annunciations are pruned
 * as the windows roll, so memory stays bounded and counts decay without new alarms.
 */
export function createAlarmHealth(options: AlarmHealthOptions) {
  const { site, scheduler, thresholds: t } = options;
  const since = scheduler.now();
  // annunciations in the period, oldest first; `head` is the first still in the period, `inWindow` the first in the rolling window
  const times: number[] = [];
  const keys: string[] = [];
  let head = 0;
  let inWindow = 0;
  const perKey = new Map<string, number>();
  const recent = new Map<string, number[]>(); // per key, annunciations within chatterWindow
  const chatter = new Map<string, Chatter>();
  const described = new Map<string, AlarmContributor>();
  const bins = new Map<number, number>(); // fixed windows (aligned on the epoch) → annunciations
  const open = new Map<string, OpenAlarm>();
  const floods: FloodPeriod[] = [];
  let flood: FloodPeriod | undefined;
  let timer: Subscription | undefined;
  let timerAt = Infinity;
  let lastDigest = '';
  let disposed = false;

  const binOf = (at: number) => Math.floor(at / t.windowMs);

  const roll = (now: number) => {
    while (inWindow < times.length && times[inWindow]! <= now - t.windowMs) {
      inWindow++;
      if (flood && times.length - inWindow < t.floodEndBelow) {
        flood.end = times[inWindow - 1]! + t.windowMs; // the instant the window fell below the end threshold
        flood = undefined;
      }
    }
    while (head < times.length && (times[head]! <= now - t.periodMs || times.length - head > MAX_ANNUNCIATIONS)) {
      const key = keys[head]!;
      const left = (perKey.get(key) ?? 1) - 1;
      if (left > 0) perKey.set(key, left);
      else perKey.delete(key);
      head++;
    }
    if (inWindow < head) inWindow = head;
    if (head > 1024 && head * 2 > times.length) {
      times.splice(0, head);
      keys.splice(0, head);
      inWindow -= head;
      head = 0;
    }
    for (const [key, list] of recent) {
      while (list.length > 0 && list[0]! <= now - t.chatterWindowMs) list.shift();
      if (list.length === 0) recent.delete(key);
    }
    for (const [key, c] of chatter) if (c.lastChatterAt <= now - t.periodMs) chatter.delete(key);
    for (const bin of bins.keys()) if ((bin + 1) * t.windowMs <= now - t.periodMs) bins.delete(bin);
    while (floods.length > 0 && floods[0]!.end !== undefined && floods[0]!.end <= now - t.periodMs) floods.shift();
    const openKeys = new Set([...open.values()].map((o) => o.contributor.key));
    for (const key of described.keys()) if (!perKey.has(key) && !chatter.has(key) && !openKeys.has(key)) described.delete(key);
  };

  /** the next instant a figure changes without a new alarm: an annunciation leaves a window, or an alarm starts standing */
  const nextChange = (now: number): number => {
    let next = Infinity;
    if (inWindow < times.length) next = Math.min(next, times[inWindow]! + t.windowMs);
    if (head < times.length) next = Math.min(next, times[head]! + t.periodMs);
    for (const list of recent.values()) if (list.length > 0) next = Math.min(next, list[0]! + t.chatterWindowMs);
    for (const c of chatter.values()) next = Math.min(next, c.lastChatterAt + t.periodMs);
    for (const bin of bins.keys()) next = Math.min(next, (bin + 1) * t.windowMs + t.periodMs);
    if (floods[0]?.end !== undefined) next = Math.min(next, floods[0].end + t.periodMs);
    for (const o of open.values()) {
      const standingAt = o.activeSince === undefined ? Infinity : o.activeSince + t.standingAfterMs;
      if (standingAt > now) next = Math.min(next, standingAt);
    }
    return next;
  };

  const figures = (now: number): AlarmHealth => {
    const annunciations = times.length - head;
    const firstBin = binOf(Math.max(since, now - t.periodMs));
    const windows = binOf(now) - firstBin + 1;
    let peak = 0;
    let flooded = 0;
    for (const [bin, count] of bins) {
      if (bin < firstBin) continue;
      peak = Math.max(peak, count);
      if (count >= t.floodAlarms) flooded++;
    }
    const covered = Math.max(t.windowMs, Math.min(t.periodMs, now - since));
    const contributor = (key: string) => described.get(key)!;
    return {
      site,
      at: now,
      since,
      thresholds: t,
      lastWindow: times.length - inWindow,
      period: {
        annunciations,
        averagePerWindow: Math.round((annunciations / (covered / t.windowMs)) * 100) / 100,
        peakPerWindow: peak,
        windows,
        floodedWindows: flooded,
        floodShare: windows > 0 ? flooded / windows : 0,
      },
      flood: flood ? { active: true, since: flood.start, count: flood.count } : { active: false },
      floods: floods.map((f) => ({ ...f })),
      chattering: [...chatter]
        .map(([key, c]) => ({ ...contributor(key), count: c.count, lastChatterAt: c.lastChatterAt, active: (recent.get(key)?.length ?? 0) >= t.chatterCount }))
        .sort((a, b) => b.lastChatterAt - a.lastChatterAt || a.key.localeCompare(b.key)),
      standing: [...open]
        .filter(([, o]) => o.activeSince !== undefined && now - o.activeSince >= t.standingAfterMs)
        .map(([id, o]) => ({ ...o.contributor, id, state: o.state, activeSince: o.activeSince!, forMs: now - o.activeSince! }))
        .sort((a, b) => a.activeSince - b.activeSince || a.id.localeCompare(b.id)),
      top: [...perKey]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, t.topContributors)
        .map(([key, count]) => ({ ...contributor(key), count })),
    };
  };

  /** what, when it changes, is worth telling: counts and lists, not the clock, the figures that only drift with it, or a message's new wording */
  const digest = (h: AlarmHealth) =>
    JSON.stringify([
      h.lastWindow,
      h.period.annunciations,
      h.period.peakPerWindow,
      h.period.floodedWindows,
      h.flood,
      h.floods,
      h.chattering.map((c) => [c.key, c.count, c.active]),
      h.standing.map((s) => [s.id, s.state]),
      h.top.map((c) => [c.key, c.count]),
    ]);

  const publish = () => {
    const now = scheduler.now();
    roll(now);
    const h = figures(now);
    const d = digest(h);
    if (d !== lastDigest) {
      lastDigest = d;
      options.emit(h);
    }
    arm(now);
  };

  // a burst of alarm transitions at one instant (a fire re-issuing every incident, a flood) is published once
  let publishPending = false;
  const publishSoon = () => {
    if (publishPending || disposed) return;
    publishPending = true;
    scheduler.schedule(() => {
      publishPending = false;
      if (!disposed) publish();
    }, 0);
  };

  const arm = (now: number) => {
    const next = nextChange(now);
    if (next === timerAt && timer) return;
    timer?.unsubscribe();
    timer = undefined;
    timerAt = next;
    if (!Number.isFinite(next) || disposed) return;
    timer = scheduler.schedule(
      () => {
        timer = undefined;
        timerAt = Infinity;
        publish();
      },
      Math.max(0, next - now),
    );
  };

  const annunciate = (key: string, now: number) => {
    times.push(now);
    keys.push(key);
    perKey.set(key, (perKey.get(key) ?? 0) + 1);
    const bin = binOf(now);
    bins.set(bin, (bins.get(bin) ?? 0) + 1);
    const list = recent.get(key) ?? [];
    list.push(now);
    recent.set(key, list);
    if (list.length >= t.chatterCount) {
      const c = chatter.get(key);
      chatter.set(key, { count: (c?.count ?? 0) + 1, lastChatterAt: now });
    }
    if (flood) flood.count++;
    else if (times.length - inWindow >= t.floodAlarms) {
      flood = { start: now, count: times.length - inWindow };
      floods.push(flood);
      return true;
    }
    return false;
  };

  return {
    /**
     * Takes one new version of an alert (as the alarm book emits it). Answers true when alarms should
     * be grouped under their incidents again: a flood just began, or an incident came or changed during one.
     */
    observe(alert: Alert): boolean {
      const now = scheduler.now();
      roll(now);
      const key = alarmKeyOf(alert).replaceAll('\u0000', ':');
      const contributor: AlarmContributor = { key, kind: alert.kind, subjects: alert.subjects, message: alert.message, severity: alert.severity };
      described.set(key, contributor);
      const raised = alert.transition?.action === 'raise';
      let regroup = false;
      if (raised) regroup = annunciate(key, now);
      if (alert.state === 'cleared') open.delete(alert.id);
      else {
        const was = open.get(alert.id);
        const active = alert.lifecycle ? alert.lifecycle.condition === 'active' : true;
        const activeSince = !active ? undefined : raised ? (alert.transition?.at ?? now) : (was?.activeSince ?? alert.raisedAt);
        open.set(alert.id, { contributor, state: alert.state, ...(activeSince === undefined ? {} : { activeSince }) });
      }
      publishSoon();
      return regroup || (flood !== undefined && alert.incident !== undefined && (raised || alert.transition?.action === 'update'));
    },
    /** takes back an open alert restored after a restart: it may be standing, but it is no new annunciation */
    restore(alert: Alert): void {
      if (alert.state === 'cleared' || open.has(alert.id)) return;
      const key = alarmKeyOf(alert).replaceAll('\u0000', ':');
      const contributor: AlarmContributor = { key, kind: alert.kind, subjects: alert.subjects, message: alert.message, severity: alert.severity };
      described.set(key, contributor);
      const active = alert.lifecycle ? alert.lifecycle.condition === 'active' : true;
      open.set(alert.id, { contributor, state: alert.state, ...(active ? { activeSince: alert.raisedAt } : {}) });
      arm(scheduler.now());
    },
    flooded: () => flood !== undefined,
    /** the figures now */
    figures(): AlarmHealth {
      const now = scheduler.now();
      roll(now);
      return figures(now);
    },
    dispose() {
      disposed = true;
      timer?.unsubscribe();
      timer = undefined;
    },
  };
}

export type AlarmHealthTracker = ReturnType<typeof createAlarmHealth>;

/** One tracker per site for the engine's life, so a site's new definition keeps its alarm history. */
export function createSiteHealths(scheduler: SchedulerLike, emit: (health: AlarmHealth) => void) {
  const trackers = new Map<string, AlarmHealthTracker | undefined>();
  return {
    /** the site's tracker, made on first use; undefined when its standard has no alarms section */
    of(site: string, standard: Standard): AlarmHealthTracker | undefined {
      if (!trackers.has(site)) {
        const thresholds = alarmHealthThresholds(standard);
        trackers.set(site, thresholds && createAlarmHealth({ site, scheduler, thresholds, emit }));
      }
      return trackers.get(site);
    },
    figures: (site: string): AlarmHealth | undefined => trackers.get(site)?.figures(),
    dispose() {
      for (const tracker of trackers.values()) tracker?.dispose();
      trackers.clear();
    },
  };
}
