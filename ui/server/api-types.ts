/** Shapes of the JSON the API returns; the web app imports these as types only. */
import type {
  Alert, Bilingual, ClauseInfo, Evidence, Sample, SiteScore, Verdict, RiskColour, Unit,
} from '../../model/index.ts';

export interface SiteSummary {
  id: string;
  name: Bilingual;
  location: { lat: number; lon: number };
  score: number | null;
  grade: string | null;
  risk: RiskColour | null;
  /** 0..1, null before the first score */
  coverage: number | null;
  counts: Record<Verdict, number> | null;
  /** alerts neither cleared nor shelved */
  activeAlerts: number;
  standard: string | null;
}

export interface AssetView {
  id: string;
  kind: string;
  name: Bilingual;
  position: { x: number; y: number };
  attributes: Record<string, unknown>;
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
}

export interface ClauseView extends ClauseInfo {
  subjects: SubjectVerdict[];
}

export interface SiteDetail {
  site: {
    id: string;
    name: Bilingual;
    location: { lat: number; lon: number };
    plan: { width: number; height: number };
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
