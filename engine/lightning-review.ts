import type { Alert, AlertState, EvidenceRecord, Site } from '../model/index.ts';
import type { CompiledClause, Standard } from '../standards/index.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The evidence kind the lightning warning review is recorded under (the standard's clause reads it). */
export const LIGHTNING_REVIEW_KIND = 'lightning-warning-review';
/** The alert kind of a lightning warning (engine/hazards/lightning.ts through incident-parts' hazard spec). */
export const LIGHTNING_ALERT_KIND = 'hazard-lightning';

/** One stored transition of an alert, as the store keeps it (db's AlertTransition has this shape). */
export interface StoredTransition {
  state: AlertState;
  at: number;
  alert: Alert;
}

/** One stored reading of a strike feed (db's SeriesPoint has this shape). */
export interface StoredReading {
  ts: number;
  value: unknown;
  quality: string;
}

/** What the review reads from history: the alarm store and the telemetry store. */
export interface LightningHistory {
  /** every transition of the alerts of `kind` on `site` raised within [from, to], oldest first per alert */
  alertTransitionsOf(site: string, kind: string, from: number, to: number): Promise<StoredTransition[]>;
  /** the stored readings of one point within [from, to] */
  series(site: string, point: string, from: number, to: number): Promise<StoredReading[]>;
}

/** The figures the rule asks for, from the clause's params (each with its source in the standard). */
export interface LightningReviewParams {
  /** the area a warning is about: a strike within this many km is one the warning was for (level 3's ring) */
  warnedRadiusKm: number;
  /** how far back the review reads, and how long the feed's readings are kept */
  historyDays: number;
}

/** One warning as history tells it. */
export interface ReviewedWarning {
  alertId: string;
  detector: string;
  start: number;
  /** when its condition returned (all clear); none: it stands still */
  end?: number;
  /** the first strike within the warned radius at or after the start and before the end */
  firstStrikeAt?: number;
  /** firstStrikeAt − start, minutes */
  leadMinutes?: number;
}

export interface LightningReview {
  warnings: ReviewedWarning[];
  /** warnings decided: ended, or already followed by a strike within the radius */
  decided: number;
  valid: number;
  /** valid / decided; undefined when nothing is decided */
  validShare?: number;
  /** mean lead of the valid warnings, minutes */
  meanLeadMinutes?: number;
  minLeadMinutes?: number;
}

/** The standard's clause that judges the review, if it has one, and its params. */
export function lightningReviewClause(standard: Standard): { clause: CompiledClause; params: LightningReviewParams } | undefined {
  const clause = standard.clauses.find((c) => c.evidence?.kind === LIGHTNING_REVIEW_KIND);
  if (!clause) return undefined;
  const number = (name: string): number => {
    const value = clause.params[name]?.value;
    if (typeof value !== 'number' || !(value > 0)) throw new RangeError(`clause ${clause.id}: params.${name} must be a positive number`);
    return value;
  };
  return { clause, params: { warnedRadiusKm: number('warnedRadiusKm'), historyDays: number('historyDays') } };
}

/** The points of a site's lightning detectors: their readings are history the rule keeps ≥ 3 years. */
export function lightningHistoryPoints(site: Site): string[] {
  const detectors = new Set(site.assets.filter((a) => a.kind === 'lightning-detector').map((a) => a.id));
  return site.points.filter((p) => detectors.has(p.asset)).map((p) => p.id);
}

/**
 * Each lightning warning's span from its stored transitions: from its raise until its condition
 * returned (the all clear), or still standing. A warning whose condition came back before it was
 * closed is one warning (the engine reopens the same incident); exercises are left out (a drill is
 * no warning of a real storm).
 */
export function warningSpans(transitions: readonly StoredTransition[]): { alertId: string; detector: string; start: number; end?: number }[] {
  const byAlert = new Map<string, StoredTransition[]>();
  for (const t of transitions) byAlert.set(t.alert.id, [...(byAlert.get(t.alert.id) ?? []), t]);
  const spans: { alertId: string; detector: string; start: number; end?: number }[] = [];
  for (const [alertId, list] of byAlert) {
    const sorted = [...list].sort((a, b) => a.at - b.at);
    const first = sorted[0]!.alert;
    if (first.exercise === true) continue;
    let end: number | undefined;
    for (const t of sorted) {
      const over = t.state === 'cleared' || t.alert.lifecycle?.condition === 'returned';
      if (over) end ??= t.at;
      else end = undefined;
    }
    spans.push({ alertId, detector: first.subjects[0] ?? '', start: first.raisedAt, ...(end === undefined ? {} : { end }) });
  }
  return spans.sort((a, b) => a.start - b.start);
}

/**
 * The lead time and the share of valid lightning warnings over the kept history (MEM 2022,
 * 大型油气储存基地雷电预警系统基本要求: lead ≥ 10 min, ≥ 80 % valid). A warning is valid when a strike
 * within the warned radius (level 3's ring, 0–5 km: the area whose people the warning withdraws)
 * follows it while it stands — from its raise to its all clear; its lead time is from the raise to that
 * first strike (0 when the warning was raised by that strike itself: no warning ahead of it). A warning
 * still standing with no such strike yet is not decided and not counted. Pure: history is read through
 * `history`, at `now`.
 */
export async function reviewLightningWarnings(site: Site, params: LightningReviewParams, history: LightningHistory, now: number): Promise<LightningReview> {
  const from = now - params.historyDays * DAY_MS;
  const spans = warningSpans(await history.alertTransitionsOf(site.id, LIGHTNING_ALERT_KIND, from, now));
  const strikePoint = (detector: string) => site.points.find((p) => p.asset === detector && p.name === 'strike_distance')?.id;
  const warnings: ReviewedWarning[] = [];
  for (const span of spans) {
    const point = strikePoint(span.detector);
    const warning: ReviewedWarning = { ...span };
    if (point) {
      const readings = await history.series(site.id, point, span.start, span.end ?? now);
      const strike = readings.find((r) => r.quality === 'good' && typeof r.value === 'number' && r.value <= params.warnedRadiusKm && r.ts >= span.start);
      if (strike) {
        warning.firstStrikeAt = strike.ts;
        warning.leadMinutes = Math.round(((strike.ts - span.start) / MINUTE_MS) * 10) / 10;
      }
    }
    warnings.push(warning);
  }
  const decided = warnings.filter((w) => w.end !== undefined || w.firstStrikeAt !== undefined);
  const valid = decided.filter((w) => w.firstStrikeAt !== undefined);
  const leads = valid.map((w) => w.leadMinutes!);
  return {
    warnings,
    decided: decided.length,
    valid: valid.length,
    ...(decided.length > 0 ? { validShare: Math.round((valid.length / decided.length) * 1000) / 1000 } : {}),
    ...(leads.length > 0 ? { meanLeadMinutes: Math.round((leads.reduce((a, b) => a + b, 0) / leads.length) * 10) / 10, minLeadMinutes: Math.min(...leads) } : {}),
  };
}

/**
 * The review as the site's evidence record, measured by the twin. With no decided warning in the
 * history the record carries only the counts: the clause cannot judge lead or validity on nothing and
 * reads unknown, never a pass.
 */
export function lightningReviewRecord(review: LightningReview, params: LightningReviewParams, now: number): EvidenceRecord {
  const since = new Date(now - params.historyDays * DAY_MS).toISOString().slice(0, 10);
  const values: Record<string, number> = { warnings: review.warnings.length, decided: review.decided, valid: review.valid, warnedRadiusKm: params.warnedRadiusKm };
  if (review.validShare !== undefined) values['validShare'] = review.validShare;
  if (review.meanLeadMinutes !== undefined) values['meanLeadMinutes'] = review.meanLeadMinutes;
  if (review.minLeadMinutes !== undefined) values['minLeadMinutes'] = review.minLeadMinutes;
  const date = new Date(now).toISOString().slice(0, 10);
  // the reference is the span reviewed (ISO 8601 interval), the same in either language: the figures are in values,
  // and the pages say them in their own words
  const ref = `${since}/${date}`;
  return { kind: LIGHTNING_REVIEW_KIND, date, by: 'ketwin (measured)', ref, passed: true, values };
}
