import type { Sample, SiteDetail } from './api.ts';

/**
 * Below this speed the wind is calm and its direction is not to be trusted, m/s. The same figure as
 * the standard's `hazards.gas-cloud.calmBelowMs` (0.5 m/s, Beaufort 0–1), where the engine stops
 * stretching a vapour cloud downwind: at force 0 smoke rises straight up, at force 1 smoke drift
 * shows the direction and a wind vane does not (WMO Beaufort scale).
 */
export const CALM_BELOW_MS = 0.5;

/** why the page does not know the wind */
export type WindUnknownReason = 'no-station' | 'no-reading' | 'bad' | 'uncertain' | 'stale' | 'feed-lost' | 'link-lost';

/** The wind as the rescue page may use it: known, calm (no reliable direction) or unknown. */
export type WindNow =
  | { state: 'known'; speedMs: number; fromDeg: number; ts: number }
  | { state: 'calm'; speedMs: number; fromDeg: number; ts: number }
  | { state: 'unknown'; reason: WindUnknownReason; last?: { speedMs: number; fromDeg: number } };

/** the page's own link to the live stream: while it is down, the readings it holds are not current */
export type LinkState = 'connecting' | 'live' | 'reconnecting' | 'closed';

const unknown = (reason: WindUnknownReason, speed?: Sample, from?: Sample): WindNow => {
  const last =
    typeof speed?.value === 'number' && typeof from?.value === 'number' && Number.isFinite(speed.value) && Number.isFinite(from.value)
      ? { speedMs: speed.value, fromDeg: from.value }
      : undefined;
  return last ? { state: 'unknown', reason, last } : { state: 'unknown', reason };
};

/**
 * The wind now, from the site's first weather station that has both wind points, as the live view
 * holds them. Only good readings count: a reading the collector marked stale (quality bad, reason
 * "stale"), bad or uncertain, or any reading while the page's stream is down, makes the wind
 * unknown — never the wind of some minutes ago passed off as now. The incident's own `wind` is the
 * wind its zones were computed with when it was issued, with no age: it is shown, not used for access.
 */
export function assessWind(detail: SiteDetail | null, link: LinkState = 'live'): WindNow {
  if (!detail) return { state: 'unknown', reason: 'no-reading' };
  const station = detail.site.assets.find(
    (a) => a.kind === 'weather-station' && detail.site.points.some((p) => p.id === `${a.id}.wind_speed`) && detail.site.points.some((p) => p.id === `${a.id}.wind_direction`),
  );
  if (!station) return { state: 'unknown', reason: 'no-station' };
  const speed = detail.values[`${station.id}.wind_speed`];
  const from = detail.values[`${station.id}.wind_direction`];
  if (!speed || !from) return unknown('no-reading', speed, from);
  if (link !== 'live') return unknown('link-lost', speed, from);
  for (const s of [speed, from]) {
    // the collector's word (stale) and the twin's (its feed from the station's source lost) are said as they are
    if (s.quality !== 'good') return unknown(s.reason === 'stale' ? 'stale' : s.reason === 'link-lost' ? 'feed-lost' : s.quality, speed, from);
  }
  if (typeof speed.value !== 'number' || typeof from.value !== 'number' || !Number.isFinite(speed.value) || !Number.isFinite(from.value)) {
    return unknown('bad', speed, from);
  }
  const fromDeg = ((from.value % 360) + 360) % 360;
  const ts = Math.min(speed.ts, from.ts);
  return speed.value < CALM_BELOW_MS ? { state: 'calm', speedMs: speed.value, fromDeg, ts } : { state: 'known', speedMs: speed.value, fromDeg, ts };
}

/** The wind's bearing for access: only a known wind has one. */
export const windFrom = (wind: WindNow): number | undefined => (wind.state === 'known' ? wind.fromDeg : undefined);
