/** Shapes of the JSON the API returns; the web app imports these as types only. */
import type { Alert, Bilingual, ClauseInfo, Evidence, Gate, Road, Sample, SiteScore, Verdict, RiskColour, Unit } from '../../model/index.ts';
import type { RecordedEvidence } from '../../db/index.ts';
import type { EdgeStatus } from './edge-types.ts';

export interface SiteSummary {
  id: string;
  name: Bilingual;
  location: { lat: number; lon: number };
  score: number | null;
  grade: string | null;
  /** live risk, shown first: the worst of compliance (held while data is lost), open incidents and comms loss on safety-critical points */
  risk: RiskColour | null;
  /** what drives the live risk, in words */
  riskReason: Bilingual | null;
  /** the colour from compliance alone, shown beside the live risk */
  complianceRisk: RiskColour | null;
  /** 0..1, null before the first score */
  coverage: number | null;
  counts: Record<Verdict, number> | null;
  /** alerts neither cleared nor shelved */
  activeAlerts: number;
  standard: string | null;
  /**
   * the day's online rate of the safety-critical points as the twin measured it (its newest
   * data-quality-day record: the worst point's rate, 0..1), with the verdict its clause reached;
   * null where the standard does not judge it or nothing is measured yet (shown as "not measured yet")
   */
  onlineRate: OnlineRateView | null;
  /**
   * under `ketwin central`: the edge reading the site's devices at the depot, as its last health beat said
   * (silent or not, its link, its backlog not yet on the bus); absent where this server reads the devices itself
   */
  edge?: SiteEdgeView;
}

/** the part of EdgeStatus the site list carries */
export type SiteEdgeView = Pick<EdgeStatus, 'silent' | 'heardAt' | 'link' | 'backlog'>;

export interface OnlineRateView {
  /** 0..1, the worst safety point's share of the day online */
  rate: number;
  /** the site's day it covers (YYYY-MM-DD) */
  date: string;
  /** hours of that day watched so far */
  observedHours: number | null;
  verdict: Verdict;
  /** the clause that judges it */
  clause: string;
}

export interface AssetView {
  id: string;
  kind: string;
  name: Bilingual;
  position: { x: number; y: number };
  attributes: Record<string, unknown>;
}

/** The site plan's extent with its roads and gates; older clients and fixtures may leave the lists out. */
export interface PlanView {
  width: number;
  height: number;
  roads?: Road[];
  gates?: Gate[];
}

export interface PointView {
  id: string;
  asset: string;
  name: string;
  unit: Unit;
}

export interface EvidenceView extends Evidence {
  unit: Unit | null;
}

/** The current verdict of one clause on one subject. */
export interface SubjectVerdict {
  subject: string;
  subjectName: Bilingual;
  verdict: Verdict;
  since: number;
  evidence: EvidenceView[];
  thresholds: Record<string, unknown>;
  standard: string;
  /** why the verdict is unknown ("not monitored: D1.drain_valve_open is not mapped") */
  reason?: Bilingual;
}

export interface ClauseView extends ClauseInfo {
  subjects: SubjectVerdict[];
}

export interface SiteDetail {
  site: {
    id: string;
    name: Bilingual;
    location: { lat: number; lon: number };
    /** IANA zone the site's times are shown in (Asia/Shanghai) */
    timeZone: string;
    plan: PlanView;
    standards: string[];
    assets: AssetView[];
    points: PointView[];
  };
  score: SiteScore | null;
  clauses: ClauseView[];
  alerts: Alert[];
  values: Record<string, Sample>;
}

export interface ApiError {
  error: string;
}

/** GET /api/sites/:id/as-of?at= — the site's verdicts and score in force at `at`. */
export interface SiteAsOf {
  site: string;
  at: number;
  score: SiteScore | null;
  /** the standard versions the verdicts then in force were reached under */
  standards: string[];
  clauses: ClauseView[];
}

export interface FailurePeriodView {
  from: number;
  /** undefined while it still fails */
  to?: number;
  durationMs: number;
  evidence: Evidence[];
  standard: string;
}

/** GET /api/sites/:id/clauses/:clause/history?subject= */
export interface ClauseHistory {
  site: string;
  clause: string;
  subject: string;
  /** the server's clock when answering: an open failure lasts until now */
  now: number;
  history: SubjectVerdict[];
  failures: FailurePeriodView[];
}

export type CompareVerdict = Verdict | 'none';

/** One site's standing on one clause: the worst verdict over its subjects, the count of each, and the subjects behind the worst with their evidence. */
export interface CompareCell {
  verdict: CompareVerdict;
  counts: Record<Verdict, number>;
  /** the subjects of the worst verdict (at most 5), each with the evidence and thresholds it was reached on */
  subjects: SubjectVerdict[];
}

/** GET /api/compare?sites=a,b[&at=] */
export interface Comparison {
  /** null: live */
  at: number | null;
  sites: SiteSummary[];
  clauses: { id: string; title: Bilingual; category: string; source: { standard: string; clause: string }; cells: Record<string, CompareCell> }[];
}

/** A drill, siren test or inspection on record: db's RecordedEvidence (version, uploader and hash when recorded through ketwin). */
export interface InspectionView extends RecordedEvidence {
  /** entered through ketwin, or from the site definition file */
  source: 'recorded' | 'site-file';
}

export interface StandardSummary {
  key: string;
  title?: Bilingual;
}
