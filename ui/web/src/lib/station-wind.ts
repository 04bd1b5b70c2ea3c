import type { SiteDetail } from './api.ts';

/** The wind from the site's first weather station with good readings of both speed and direction. */
export function stationWind(detail: SiteDetail | null): { speedMs: number; fromDeg: number } | undefined {
  if (!detail) return undefined;
  for (const station of detail.site.assets.filter((a) => a.kind === 'weather-station')) {
    const speed = detail.values[`${station.id}.wind_speed`];
    const from = detail.values[`${station.id}.wind_direction`];
    if (speed?.quality === 'good' && from?.quality === 'good' && typeof speed.value === 'number' && typeof from.value === 'number') {
      return { speedMs: speed.value, fromDeg: from.value };
    }
  }
  return undefined;
}
