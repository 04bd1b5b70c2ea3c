import type { SiteDetail, SiteSummary } from '../../../server/api-types.ts';

export type {
  SiteDetail, SiteSummary, ClauseView, SubjectVerdict, EvidenceView, AssetView,
} from '../../../server/api-types.ts';
export type { Alert, ClauseResult, Sample, SiteScore, Verdict, RiskColour, Quality, Bilingual } from '../../../../model/index.ts';

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

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' }, signal });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    throw new ApiError(res.status, body.error ?? res.statusText);
  }
  return (await res.json()) as T;
}

export const fetchSites = (signal?: AbortSignal): Promise<SiteSummary[]> => getJson('/api/sites', signal);

export const fetchSite = (id: string, signal?: AbortSignal): Promise<SiteDetail> =>
  getJson(`/api/sites/${encodeURIComponent(id)}`, signal);

export const eventsUrl = (site?: string): string =>
  site === undefined ? '/api/events' : `/api/events?site=${encodeURIComponent(site)}`;
