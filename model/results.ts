import type { Quality } from './sample.ts';
import type { Sample } from './sample.ts';

export const VERDICTS = ['pass', 'fail', 'unknown', 'not-applicable'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** 1 most severe .. 4 least: of a clause, and of the alert it raises */
export const SEVERITIES = [1, 2, 3, 4] as const;
export type Severity = (typeof SEVERITIES)[number];

/** how sure the standard is of a clause's source (unconfirmed: a secondary copy, a number of its own) */
export const CONFIDENCES = ['confirmed', 'unconfirmed'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** One reading or static value a verdict was reached on. */
export interface Evidence {
  point: string;
  value: unknown;
  quality: Quality;
  ts: number;
}

/** The verdict of one clause on one subject; emitted on change only. */
export interface ClauseResult {
  site: string;
  clause: string;
  /** asset id, or the site id for site-wide clauses */
  subject: string;
  verdict: Verdict;
  since: number;
  evidence: Evidence[];
  /** thresholds and static values the expression was evaluated with */
  thresholds: Record<string, unknown>;
  /** "<standard id>@<version>" the verdict was reached under */
  standard: string;
  /** why the verdict is unknown: a point not mapped ("not monitored"), no reading yet, a bad or stale reading */
  reason?: Bilingual;
}

/** worst first */
export const RISK_COLOURS = ['red', 'orange', 'yellow', 'blue'] as const;
export type RiskColour = (typeof RISK_COLOURS)[number];

/** The worse of two colours (red is worst). */
export function worseRisk(a: RiskColour, b: RiskColour): RiskColour {
  return RISK_COLOURS.indexOf(a) <= RISK_COLOURS.indexOf(b) ? a : b;
}

/** A site's live risk with what drives it (DESIGN.md "Live risk is not the compliance score"). */
export interface LiveRisk {
  risk: RiskColour;
  /** what drives it, in words */
  reason: Bilingual;
}

export interface SiteScore {
  site: string;
  ts: number;
  /** 0..100; unknown clauses earn nothing */
  score: number;
  grade: string;
  /**
   * The site's live risk, shown first everywhere: the worst of its compliance colour (held while the
   * data of a failing severity-1/2 clause is lost), every open incident's severity (by the standard's
   * table), and communications loss on a safety-critical point.
   */
  risk: RiskColour;
  /** what drives `risk`, in words */
  riskReason: Bilingual;
  /** the colour from compliance alone (score band; red when a clause of a force-red severity fails), held while data is lost */
  complianceRisk: RiskColour;
  counts: Record<Verdict, number>;
  /** share of applicable clauses whose verdict is not unknown, 0..1 */
  coverage: number;
  standard: string;
}

export const ALERT_STATES = ['active', 'acknowledged', 'shelved', 'cleared'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
export type Bilingual = { zh: string; en: string };

export interface Alert {
  id: string;
  site: string;
  kind: string;
  /** 1 most severe .. 4 least */
  severity: Severity;
  state: AlertState;
  raisedAt: number;
  /** set when the state changed last */
  changedAt: number;
  subjects: string[];
  message: Bilingual;
  actions: Bilingual[];
  /** clause whose failure raised it, as "<clause id>" */
  clause?: string;
  standard?: string;
  /** ISA-18.2 lifecycle detail behind `state` (issue 5): is the condition still present, acknowledged, shelved, suppressed */
  lifecycle?: AlertLifecycle;
  /** the transition that produced this version of the alert: who, when, why */
  transition?: AlertTransition;
  /** present when the alert is a secondary-disaster incident (engine/hazards) */
  incident?: IncidentDetails;
  /** raised by a drill or scenario in exercise mode: never reaches live-only subscribers */
  exercise?: boolean;
  /** id of the open incident this alarm is consequential to, marked during an alarm flood so it is shown under its cause */
  cause?: string;
  /** the site's live risk when this version of the alert was made (CAP, webhooks and the rescue page show it) */
  siteRisk?: LiveRisk;
}

/** An incident whose condition has cleared and that waits for a person to close it (engine/alarms/alarm-book.ts). */
export function awaitingClose(alert: Pick<Alert, 'lifecycle'>): boolean {
  return alert.lifecycle?.condition === 'returned' && alert.lifecycle.closeRequired === true;
}

export interface AlertLifecycle {
  /** the condition is present ('active') or has returned to normal ('returned') */
  condition: 'active' | 'returned';
  acknowledged: boolean;
  shelved?: { by: string; until: number; reason: string };
  /** suppressed by design, e.g. asset out of service */
  suppressed?: { reason: string };
  /** how many times the alarm escalated for want of an acknowledgement */
  escalations: number;
  /** an incident: once its condition has cleared it awaits closing by a person with a comment, and only then clears */
  closeRequired?: boolean;
  /** why this alarm may never be shelved nor suppressed (severity 1, an incident; the standard's alarms.neverShelve) */
  neverShelve?: string;
}

export interface AlertTransition {
  at: number;
  /** a user name, or "system:<part>" */
  by: string;
  action: 'raise' | 'update' | 'return' | 'acknowledge' | 'shelve' | 'unshelve' | 'suppress' | 'unsuppress' | 'escalate' | 'clear' | 'close' | 'respond';
  comment?: string;
  /** for 'respond': en-route, on-scene, … (rescue team progress) */
  status?: string;
}

/** What a rescue team needs on the way to a secondary-disaster incident. */
export interface IncidentDetails {
  hazard:
    | 'overfill'
    | 'gas-cloud'
    | 'vce'
    | 'tank-fire'
    | 'dike-fire'
    | 'domino'
    | 'boilover'
    | 'spill-to-sea'
    | 'protection-lost'
    | 'suspected-attack'
    | 'lightning'
    | 'stuck-gauge'
    | 'flood';
  /** hazard zones as GeoJSON features in WGS84 (lon, lat); properties: { name: Bilingual, kind, radiusM?, kWm2? } */
  zones: { type: 'FeatureCollection'; features: GeoFeature[] };
  /** the same zones on the site plan, metres (x east, y north) */
  planZones?: { type: 'FeatureCollection'; features: GeoFeature[] };
  affected: string[];
  inventory: { asset: string; product: string; tonnes: number }[];
  wind?: { speedMs: number; fromDeg: number };
  countdowns: IncidentCountdown[];
  /**
   * countdowns the hazard model would run but cannot tell now, each with why (the reading it runs on is not good,
   * too few readings yet): shown as "unknown" with the reason, never left out — missing data never reads as no danger
   */
  unknownCountdowns?: UnknownCountdown[];
  /** id of the incident this one is consequential to (grouping during a flood) */
  cause?: string;
}

/** A countdown of an incident: what it counts to (`kind`, `label`) and when that is reached (ms since the epoch). */
export interface IncidentCountdown {
  kind: string;
  label: Bilingual;
  deadline: number;
}

/** A countdown that cannot run now: what it would count to, and why no time can be told. */
export interface UnknownCountdown {
  kind: string;
  label: Bilingual;
  reason: Bilingual;
}

export interface GeoFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] } | { type: 'Polygon'; coordinates: [number, number][][] };
  properties: Record<string, unknown>;
}

/** What the UI needs to show a clause: from the standard, not the verdict. */
export interface ClauseInfo {
  id: string;
  title: Bilingual;
  requirement: Bilingual;
  source: { standard: string; clause: string };
  confidence: Confidence;
  category: string;
  severity: Severity;
  weight: number;
  appliesTo: string;
  check: 'live' | 'design' | 'evidence';
  /** "<standard id>@<version>" */
  standard: string;
}

/** Everything live about one site at one instant. */
export interface SiteSnapshot {
  site: string;
  score: SiteScore | undefined;
  /** the current verdict of every clause on every subject */
  results: ClauseResult[];
  /** alerts not yet cleared */
  alerts: Alert[];
  /** latest sample of every point that has reported */
  values: Record<string, Sample>;
}
