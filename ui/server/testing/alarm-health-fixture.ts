import type { AlarmHealth } from '../../../model/index.ts';

/** The health figures of a site where no alarm has come yet, under the 1.0.0 standard's thresholds (what engine.health answers at start). */
export function quietAlarmHealth(site: string, at: number): AlarmHealth {
  return {
    site,
    at,
    since: at,
    thresholds: {
      windowMs: 600_000,
      floodAlarms: 10,
      floodEndBelow: 5,
      chatterWindowMs: 60_000,
      chatterCount: 3,
      standingAfterMs: 86_400_000,
      topContributors: 10,
      periodMs: 86_400_000,
      source: 'EEMUA 191 / ISA-18.2 (test fixture)',
    },
    lastWindow: 0,
    period: { annunciations: 0, averagePerWindow: 0, peakPerWindow: 0, windows: 1, floodedWindows: 0, floodShare: 0 },
    flood: { active: false },
    floods: [],
    chattering: [],
    standing: [],
    top: [],
  };
}
