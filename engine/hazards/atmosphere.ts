import type { Site } from '../../model/index.ts';
import type { HazardContext } from './hazard-model.ts';
import type { Atmosphere } from './pool-fire.ts';

/** The humidity (`relative_humidity`, %) and air temperature (`air_temperature`, °C) points of the site's weather stations, where mapped. */
export function atmospherePoints(site: Site): { humidity?: string; temperature?: string } {
  const stations = new Set(site.assets.filter((a) => a.kind === 'weather-station').map((a) => a.id));
  const find = (name: string) => site.points.find((p) => stations.has(p.asset) && p.name === name)?.id;
  const humidity = find('relative_humidity');
  const temperature = find('air_temperature');
  return { ...(humidity ? { humidity } : {}), ...(temperature ? { temperature } : {}) };
}

/** The air now: each good reading where the site has one, else the standard's value. */
export function atmosphereNow(context: Pick<HazardContext, 'latest'>, points: { humidity?: string; temperature?: string }, assumed: Atmosphere): Atmosphere {
  const good = (id: string | undefined) => {
    const s = id ? context.latest(id) : undefined;
    return s?.quality === 'good' && typeof s.value === 'number' && Number.isFinite(s.value) ? s.value : undefined;
  };
  const rh = good(points.humidity);
  const t = good(points.temperature);
  return {
    relativeHumidity: rh !== undefined && rh >= 0 && rh <= 100 ? rh / 100 : assumed.relativeHumidity,
    airTemperatureC: t ?? assumed.airTemperatureC,
  };
}
