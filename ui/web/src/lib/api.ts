import type { AlarmHealth, Alert, Quality, StreamMode } from '../../../../model/index.ts';
import type { ResponseStatus } from './responses.ts';
import type { Lang } from './lang.ts';
import type { ClauseHistory, Comparison, InspectionView, SiteAsOf, SiteDetail, SiteSummary, StandardSummary } from '../../../server/api-types.ts';

export type {
  SiteDetail,
  SiteSummary,
  ClauseView,
  SubjectVerdict,
  EvidenceView,
  AssetView,
  PointView,
  PlanView,
  SiteAsOf,
  ClauseHistory,
  FailurePeriodView,
  Comparison,
  CompareCell,
  CompareVerdict,
  InspectionView,
  StandardSummary,
} from '../../../server/api-types.ts';
import type { IncidentSummary, IncidentView } from '../../../server/incident-types.ts';
import type { Rescore } from '../../../server/rescore-types.ts';
import type { RankedSite, RegionMap } from '../../../server/office-types.ts';
export type { RankedSite, RegionMap, ScoreDay } from '../../../server/office-types.ts';
export type { IncidentSummary, IncidentView, ResponseRecord } from '../../../server/incident-types.ts';
export type { Rescore, RescoreClause } from '../../../server/rescore-types.ts';
export type { GeoFeature, IncidentDetails, Gate, Road } from '../../../../model/index.ts';
export type { Alert, ClauseResult, Sample, SiteScore, Verdict, RiskColour, Quality, Bilingual, StreamMode } from '../../../../model/index.ts';

/** An API answer that was not 2xx; `message` is the server's { error } text. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Called on any 401, so the app can show the sign-in page. */
let onUnauthenticated: () => void = () => undefined;
export function whenSignedOut(callback: () => void): void {
  onUnauthenticated = callback;
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await getJsonOrNone<T>(path, signal)) as T;
}

/** as getJson, and null where the server answers 204: there is none (a site's edge where the server reads the devices itself) */
export async function getJsonOrNone<T>(path: string, signal?: AbortSignal): Promise<T | null> {
  const res = await fetch(path, { headers: { accept: 'application/json' }, signal });
  if (res.status === 401) onUnauthenticated();
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    throw new ApiError(res.status, body.error ?? res.statusText);
  }
  if (res.status === 204) return null;
  return (await res.json()) as T;
}

export const fetchSites = (signal?: AbortSignal): Promise<SiteSummary[]> => getJson('/api/sites', signal);

export const fetchSite = (id: string, signal?: AbortSignal): Promise<SiteDetail> => getJson(`/api/sites/${encodeURIComponent(id)}`, signal);

/** a site's stream, light (the rescue page on a phone: risk, alerts, verdicts, weather) or full; without a site, every site's scores and alerts */
export const eventsUrl = (site?: string, mode: StreamMode = 'full'): string =>
  site === undefined ? '/api/events' : `/api/events?site=${encodeURIComponent(site)}${mode === 'light' ? '&mode=light' : ''}`;

/** GET /api/sites/:id/alarm-health: the site's alarm-system health now (404 when its standard has no alarms section) */
export const fetchAlarmHealth = (id: string, signal?: AbortSignal): Promise<AlarmHealth> => getJson(`/api/sites/${encodeURIComponent(id)}/alarm-health`, signal);
export type { AlarmHealth } from '../../../../model/index.ts';

export interface SessionUser {
  name: string;
  role: 'manager' | 'auditor' | 'rescue' | 'admin';
  sites: string[] | '*';
}

export interface SessionAnswer {
  user: SessionUser | null;
  csrf: string | null;
  authentication: 'on' | 'off';
  demo: boolean;
}

export const fetchSession = (): Promise<SessionAnswer> => getJson('/api/session');

export async function send<T>(method: 'POST' | 'DELETE', path: string, body: unknown, csrf: string | null): Promise<T | undefined> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) {
    const answer = (await res.json().catch(() => ({}))) as { error?: string };
    throw new ApiError(res.status, answer.error ?? res.statusText);
  }
  return res.status === 204 ? undefined : ((await res.json()) as T);
}

export const signIn = async (name: string, password: string): Promise<SessionAnswer> =>
  (await send<SessionAnswer>('POST', '/api/session', { name, password }, null)) as SessionAnswer;

export const signOut = (csrf: string | null): Promise<unknown> => send('DELETE', '/api/session', undefined, csrf);

export interface SeriesAnswer {
  site: string;
  point: string;
  from: number;
  to: number;
  thinned: boolean;
  points: { ts: number; value: number | boolean | string | null; quality: Quality }[];
}

export const fetchSeries = (site: string, point: string, from: number, to: number, signal?: AbortSignal): Promise<SeriesAnswer> =>
  getJson(`/api/sites/${encodeURIComponent(site)}/points/${encodeURIComponent(point)}/series?from=${Math.floor(from)}&to=${Math.ceil(to)}`, signal);

const site = (id: string) => `/api/sites/${encodeURIComponent(id)}`;

export const fetchAsOf = (id: string, at: number, signal?: AbortSignal): Promise<SiteAsOf> => getJson(`${site(id)}/as-of?at=${Math.floor(at)}`, signal);

const historyPath = (id: string, clause: string, subject: string, csv = false) =>
  `${site(id)}/clauses/${encodeURIComponent(clause)}/history${csv ? '.csv' : ''}?subject=${encodeURIComponent(subject)}`;
export const fetchClauseHistory = (id: string, clause: string, subject: string, signal?: AbortSignal): Promise<ClauseHistory> => getJson(historyPath(id, clause, subject), signal);
export const clauseHistoryCsvUrl = (id: string, clause: string, subject: string): string => historyPath(id, clause, subject, true);

export const reportUrl = (id: string, at?: number): string => `${site(id)}/report.pdf${at === undefined ? '' : `?at=${Math.floor(at)}`}`;

/** GET /api/sites/:id/risk.csv: the live risk over [from, to] with its reasons, each change a row */
export const riskCsvUrl = (id: string, from: number, to: number): string => `${site(id)}/risk.csv?from=${Math.floor(from)}&to=${Math.floor(to)}`;
export const signatureUrl = (sha256: string): string => `/api/reports/${sha256}/signature`;

export const fetchCompare = (sites: readonly string[], at?: number, signal?: AbortSignal): Promise<Comparison> =>
  getJson(`/api/compare?sites=${sites.map(encodeURIComponent).join(',')}${at === undefined ? '' : `&at=${Math.floor(at)}`}`, signal);

export const fetchEvidence = (id: string, signal?: AbortSignal): Promise<InspectionView[]> => getJson(`${site(id)}/evidence`, signal);

export interface InspectionInput {
  kind: string;
  subject: string;
  doneAt: number;
  by: string;
  validUntil?: number;
  reference?: string;
  notes?: string;
}
export const recordEvidence = async (id: string, input: InspectionInput, csrf: string | null): Promise<InspectionView> =>
  (await send<InspectionView>('POST', `${site(id)}/evidence`, input, csrf)) as InspectionView;

export const fetchStandards = (signal?: AbortSignal): Promise<StandardSummary[]> => getJson('/api/standards', signal);

export async function fetchStandardMarkdown(key: string, signal?: AbortSignal): Promise<string> {
  const res = await fetch(`/api/standards/${encodeURIComponent(key)}/clauses.md`, { signal });
  if (res.status === 401) onUnauthenticated();
  if (!res.ok) throw new ApiError(res.status, ((await res.json().catch(() => ({}))) as { error?: string }).error ?? res.statusText);
  return res.text();
}

export type AlarmCommand =
  | { command: 'ack'; body: { comment: string } }
  | { command: 'shelve'; body: { minutes: number; reason: string } }
  | { command: 'unshelve'; body: { comment?: string } }
  | { command: 'close'; body: { comment: string } }
  | { command: 'respond'; body: { status: ResponseStatus } };

/** POST /api/alerts/:id/<command>; answers the alert after the command. */
export const alarmCommand = async (alertId: string, c: AlarmCommand, csrf: string | null): Promise<Alert> =>
  (await send<Alert>('POST', `/api/alerts/${encodeURIComponent(alertId)}/${c.command}`, c.body, csrf)) as Alert;

export const fetchIncidents = (signal?: AbortSignal): Promise<IncidentSummary[]> => getJson('/api/incidents', signal);

export const fetchIncident = (alertId: string, signal?: AbortSignal): Promise<IncidentView> => getJson(`/api/incidents/${encodeURIComponent(alertId)}`, signal);

/** GET /api/sites/:id/rescore: the period's stored readings replayed under `standard` ("<id>@<version>") */
export const fetchRescore = (id: string, from: number, to: number, standard: string, signal?: AbortSignal): Promise<Rescore> =>
  getJson(`${site(id)}/rescore?from=${Math.floor(from)}&to=${Math.floor(to)}&standard=${encodeURIComponent(standard)}`, signal);

// ── duties of a major hazard (issue 26): the due list, the daily safety commitment, named responsibility ──
export type { DueItem, DueStatus } from '../../../server/duties/due-list.ts';
export type { DueSort } from '../../../server/duties/due-order.ts';
import type { DueSort } from '../../../server/duties/due-order.ts';
export type { CommitmentFacts } from '../../../server/duties/commitment-facts.ts';
export type { SafetyCommitmentView } from '../../../server/routes/commitments.ts';
import type { DueItem } from '../../../server/duties/due-list.ts';
import type { CommitmentFacts } from '../../../server/duties/commitment-facts.ts';
import type { SafetyCommitmentView } from '../../../server/routes/commitments.ts';

/** the office's view across sites: the land around them, the ranking with its trend, the due list and monthly report as files */
export const fetchRegionMap = (sites: readonly string[], signal?: AbortSignal): Promise<RegionMap> => getJson(`/api/map?sites=${sites.map(encodeURIComponent).join(',')}`, signal);
export const fetchRanking = (days: number, signal?: AbortSignal): Promise<RankedSite[]> => getJson(`/api/ranking?days=${days}`, signal);
/** the office's due list as a file, in the order the list was sorted on screen (none: the server's) */
export const dueCsvUrl = (sort: DueSort | null = null, lang: Lang = 'zh'): string =>
  sort === null ? '/api/due.csv' : `/api/due.csv?sort=${sort.key}&order=${sort.descending ? 'desc' : 'asc'}&lang=${lang}`;
export const monthlyReportUrl = (month: string, sites: readonly string[], format: 'pdf' | 'csv'): string =>
  `/api/reports/monthly?month=${month}&format=${format}${sites.length ? `&sites=${sites.map(encodeURIComponent).join(',')}` : ''}`;

/** GET /api/sites/:id/due, or GET /api/due (every site the user may see): overdue first, due within 30 days next */
export const fetchDue = (siteId?: string, signal?: AbortSignal): Promise<DueItem[]> => getJson(siteId === undefined ? '/api/due' : `${site(siteId)}/due`, signal);

export interface CommitmentToday {
  site: string;
  day: string;
  /** false: this server keeps no commitments (nothing can be signed) */
  kept: boolean;
  facts: CommitmentFacts;
  normalAllowed: boolean;
  signers: string[];
  commitment: SafetyCommitmentView | null;
}
export const fetchCommitment = (siteId: string, signal?: AbortSignal): Promise<CommitmentToday> => getJson(`${site(siteId)}/commitment`, signal);
export const signCommitment = async (siteId: string, body: { allNormal: boolean; statement: string }, csrf: string | null): Promise<SafetyCommitmentView> =>
  (await send<SafetyCommitmentView>('POST', `${site(siteId)}/commitment`, body, csrf)) as SafetyCommitmentView;

export interface SiteCommitment {
  site: string;
  siteName: { zh: string; en: string };
  day: string;
  kept: boolean;
  commitment: SafetyCommitmentView | null;
}
/** GET /api/commitments: every visible site's commitment of its today, null where none is signed */
export const fetchCommitments = (signal?: AbortSignal): Promise<SiteCommitment[]> => getJson('/api/commitments', signal);

export interface UnitResponsibility {
  unit: string;
  name: { zh: string; en: string };
  principal: string;
  technical: string;
  operations: string;
  members: string[];
}
export interface Responsibility {
  units: UnitResponsibility[];
  mine: { site: string; unit: string; role: 'principal' | 'technical' | 'operations' }[];
}
export const fetchResponsibility = (siteId: string, signal?: AbortSignal): Promise<Responsibility> => getJson(`${site(siteId)}/responsibility`, signal);

export interface MyUnit {
  site: string;
  siteName: { zh: string; en: string };
  unit: string;
  name: { zh: string; en: string };
  roles: ('principal' | 'technical' | 'operations')[];
  members: string[];
}
/** GET /api/responsibility: the units the signed-in user is named for, on every site they may see */
export const fetchMyUnits = (signal?: AbortSignal): Promise<MyUnit[]> => getJson('/api/responsibility', signal);

/** A transfer a manager declared on a tank (model's TransferDeclaration): the stuck-gauge check takes it as an open valve and a flow. */
export type { TransferDeclaration } from '../../../../model/index.ts';
import type { TransferDeclaration } from '../../../../model/index.ts';
export interface TransferInput {
  tank: string;
  direction: 'in' | 'out';
  rateM3h: number;
  /** ISO 8601 date-time with its offset */
  until: string;
}
export const fetchTransfers = (siteId: string, signal?: AbortSignal): Promise<TransferDeclaration[]> => getJson(`${site(siteId)}/transfers`, signal);
export const declareTransfer = async (siteId: string, input: TransferInput, csrf: string | null): Promise<TransferDeclaration> =>
  (await send<TransferDeclaration>('POST', `${site(siteId)}/transfers`, input, csrf)) as TransferDeclaration;
export const endTransfer = async (siteId: string, tank: string, csrf: string | null): Promise<TransferDeclaration> =>
  (await send<TransferDeclaration>('DELETE', `${site(siteId)}/transfers/${encodeURIComponent(tank)}`, undefined, csrf)) as TransferDeclaration;
