import type { Alert } from '../model/index.ts';

/** One stored transition of an alert: the whole alert as it was then. */
export interface AlertTransition {
  state: Alert['state'];
  at: number;
  alert: Alert;
}

/** Alerts and every transition of each (the rescue teams' reports are respond transitions). */
export interface AlertStore {
  /** Upserts each alert, appends its transition and an outbox row (topic `alert`), all in one transaction. */
  writeAlerts(alerts: readonly Alert[]): Promise<void>;
  /** Alerts of a site that are not cleared, newest first, whole as their latest transition holds them. */
  openAlerts(site: string): Promise<Alert[]>;
  /** Every transition of one alert, oldest first. */
  alertHistory(alertId: string): Promise<AlertTransition[]>;
  /**
   * Every transition of the alerts of one kind on a site raised within [from, to] (a history review:
   * the lightning warnings of the last 3 years), by raise time, each alert's oldest first.
   */
  alertTransitionsOf(site: string, kind: string, from: number, to: number): Promise<AlertTransition[]>;
}
