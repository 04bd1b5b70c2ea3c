import type { Alert, Bilingual } from './results.ts';

/** The alarm-system health thresholds a site is measured against (the standard's `alarms.health`), in ms where a time. */
export interface AlarmHealthThresholds {
  /** the rolling window annunciations are counted over (EEMUA 191: 10 min) */
  windowMs: number;
  /** a flood starts at this many annunciations in the window (EEMUA 191 / ISA-18.2: 10) */
  floodAlarms: number;
  /** and ends when the window holds fewer than this */
  floodEndBelow: number;
  /** chattering: the same alarm at least chatterCount times within chatterWindowMs */
  chatterWindowMs: number;
  chatterCount: number;
  /** standing (stale): active longer than this */
  standingAfterMs: number;
  /** how many contributors the top list names */
  topContributors: number;
  /** the period averages, flood share, chattering and top contributors are taken over */
  periodMs: number;
  /** where the numbers come from */
  source: string;
}

/** One alarm (one condition: a clause or hazard on a subject) as the health figures name it. */
export interface AlarmContributor {
  /** the condition key: "<clause or hazard>:<subject>" */
  key: string;
  kind: string;
  subjects: string[];
  message: Bilingual;
  severity: Alert['severity'];
}

export interface FloodPeriod {
  start: number;
  /** absent while the flood lasts */
  end?: number;
  /** annunciations in it, counting the window that started it */
  count: number;
}

/**
 * Alarm-system health of one site (EEMUA 191 / ISA-18.2 KPIs), as of `at` on the engine's clock.
 * An annunciation is an alarm raised, or raised again after it returned.
 */
export interface AlarmHealth {
  site: string;
  at: number;
  /** when counting began (the engine started); the period figures cover max(since, at − period) .. at */
  since: number;
  thresholds: AlarmHealthThresholds;
  /** annunciations in the last window (at − window, at] */
  lastWindow: number;
  period: {
    annunciations: number;
    /** annunciations per window, averaged over the part of the period covered */
    averagePerWindow: number;
    /** the most annunciations in one fixed window (windows aligned on the epoch) */
    peakPerWindow: number;
    /** fixed windows covered, and how many of them held a flood's worth of annunciations */
    windows: number;
    floodedWindows: number;
    /** floodedWindows / windows (EEMUA 191 target: under 1 %) */
    floodShare: number;
  };
  flood: { active: boolean; since?: number; count?: number };
  /** flood periods in the period, oldest first */
  floods: FloodPeriod[];
  /** alarms that chattered in the period; `active` while they still do */
  chattering: (AlarmContributor & { count: number; lastChatterAt: number; active: boolean })[];
  /** open alarms whose condition has been active longer than standingAfter, longest first */
  standing: (AlarmContributor & { id: string; state: Alert['state']; activeSince: number; forMs: number })[];
  /** the alarms annunciated most often in the period, most first */
  top: (AlarmContributor & { count: number })[];
}
