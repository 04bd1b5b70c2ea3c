import type { Bilingual, IncidentDetails, Site } from '../../model/index.ts';
import type { HazardDefinition } from '../../standards/index.ts';
import { convexHull, downwind } from './gas-cloud-extent.ts';
import { circleRing, type PlanPoint } from './geo.ts';
import type { HazardContext } from './hazard-model.ts';
import { hazardParams } from './hazard-params.ts';
import { contour, distanceTo, halfWidth, type Sigmas } from './plume.ts';
import { classOf, stabilityClass, STABILITY_CLASSES, type StabilityClass, type StabilityParams } from './stability.ts';
import { sunElevationDeg } from './sun.ts';

/** A detector in the cloud as the plume sees it: where the release is taken to be, its alarm level and the LEL of what it watches. */
export interface PlumeSource {
  position: PlanPoint;
  level: 1 | 2;
  lelKgM3: number;
}

/** The cloud's extent: to the LEL and to half of it, on the plan, and how it was reached. */
export interface Extent {
  /** to the LEL (the flammable cloud) and to ½ LEL */
  lel: PlanPoint[];
  halfLel: PlanPoint[];
  lelM: number;
  halfLelM: number;
  /** false: the wind is unknown, stale or calm — drawn as the worst case to every side */
  known: boolean;
  stability: StabilityClass;
  /** the wind speed the plume was worked out for, m/s */
  speedMs: number;
  /** where it came from, in words, for the incident */
  words: Bilingual;
}

/**
 * The gas cloud's extent from the detectors in alarm and the weather: a Gaussian plume (ground-level
 * release, Briggs open-country σy/σz) from each detector in alarm to the LEL and ½ LEL distances, the
 * release rate the standard's design release for the alarm level (not back-calculated from the
 * readings: a detector stands within ~10 m of what it watches, where the plume model does not hold,
 * and one off the plume's axis reads low — a back-calculation would make the cloud small exactly when
 * the data is poorest). The stability class comes from a measured class on the weather station if it
 * has one, else from the wind speed, the sun at the scheduler's time over the site and the cloud cover
 * (a measured cover, else the more stable of clear and overcast). A wind that is missing, not good or
 * calm gives "extent unknown": the worst case (class F at the standard's worst-case speed) to every side.
 */
export function createPlumeExtent(context: Pick<HazardContext, 'site' | 'latest'>, definition: HazardDefinition) {
  const params = hazardParams('gas-cloud', definition);
  const reachM = params.number('detectorReachM');
  const [firstKgS, secondKgS] = pair(params.list('releaseRateKgS'));
  const worstMs = params.number('worstCaseWindMs');
  const calmBelowMs = params.number('calmBelowMs');
  const lel = params.table('lelKgM3');
  const sigmas: Sigmas = { y: coefficients(params, 'sigmaY'), z: coefficients(params, 'sigmaZ') };
  const stability: StabilityParams = {
    windBandsMs: params.list('stabilityWindBandsMs'),
    insolationSunDeg: params.list('insolationSunDeg'),
    daySunElevationDeg: params.number('daySunElevationDeg'),
  };
  const worst: StabilityClass = STABILITY_CLASSES.at(-1)!;
  const { site } = context;
  const station = weatherExtras(site);
  const lowestLel = Math.min(...Object.values(lel));

  /** the LEL of what a detector watches (its tank's product), else the lowest in the table */
  const lelOf = (watches: string | undefined): number => {
    const tank = site.assets.find((a) => a.id === watches);
    return tank?.kind === 'tank' ? (lel[tank.attributes.product] ?? lowestLel) : lowestLel;
  };

  const classNow = (speedMs: number, at: number): StabilityClass => {
    const measured = station.stability ? context.latest(station.stability) : undefined;
    const cls = measured?.quality === 'good' ? classOf(measured.value) : undefined;
    if (cls) return cls;
    const cover = station.cloudCover ? context.latest(station.cloudCover) : undefined;
    const oktas = cover?.quality === 'good' && typeof cover.value === 'number' ? (Math.min(100, Math.max(0, cover.value)) * 8) / 100 : undefined;
    return stabilityClass({ speedMs, sunDeg: sunElevationDeg(at, site.location.lat, site.location.lon), cloudOktas: oktas }, stability);
  };

  const rate = (level: 1 | 2) => (level === 2 ? secondKgS : firstKgS);

  /** the inputs the last extent was made from, and it: most instants change none of them */
  let memo: { key: string; extent: Extent } | undefined;

  return {
    extent(sources: PlumeSource[], wind: IncidentDetails['wind'], at: number): Extent {
      const known = wind !== undefined && wind.speedMs >= calmBelowMs;
      const speedMs = known ? wind.speedMs : worstMs;
      const cls = known ? classNow(speedMs, at) : worst;
      const key = `${known ? wind.fromDeg : '-'}|${speedMs}|${cls}|${sources.map((s) => `${s.position.x},${s.position.y},${s.level},${s.lelKgM3}`).join(';')}`;
      if (memo?.key === key) return memo.extent;
      const reach = sources.flatMap((s) => circleRing(s.position, reachM, 16));
      const zone = (fraction: number) => {
        let longest = 0;
        const points: PlanPoint[] = [...reach];
        for (const s of sources) {
          const limit = s.lelKgM3 * fraction;
          const q = rate(s.level);
          const length = distanceTo(limit, q, speedMs, cls, sigmas);
          longest = Math.max(longest, length);
          if (known) points.push(...contour(s.position, downwind(wind.fromDeg), length, (x) => halfWidth(limit, q, speedMs, x, cls, sigmas)));
          else points.push(...circleRing(s.position, reachM + length, 16));
        }
        return { ring: round(convexHull(points)), lengthM: Math.round(longest) };
      };
      const full = zone(1);
      const half = zone(0.5);
      const words: Bilingual = known
        ? { zh: `大气稳定度 ${cls} 级、风速 ${speedMs} m/s 下的高斯烟羽`, en: `Gaussian plume, stability class ${cls}, wind ${speedMs} m/s` }
        : {
            zh: `范围未知：${wind ? '静风' : '无有效风向风速读数'}，按最不利条件（${cls} 级、${speedMs} m/s）向四周绘制`,
            en: `extent unknown: ${wind ? 'calm' : 'no good wind reading'} — drawn for the worst case (class ${cls}, ${speedMs} m/s) to every side`,
          };
      const extent: Extent = { lel: full.ring, halfLel: half.ring, lelM: full.lengthM, halfLelM: half.lengthM, known, stability: cls, speedMs, words };
      memo = { key, extent };
      return extent;
    },
    lelOf,
  };
}

/** The weather station's optional cloud cover (%) and measured stability class points. */
function weatherExtras(site: Site): { cloudCover?: string; stability?: string } {
  const out: { cloudCover?: string; stability?: string } = {};
  for (const station of site.assets.filter((a) => a.kind === 'weather-station')) {
    for (const p of site.points) {
      if (p.asset !== station.id) continue;
      if (p.name === 'cloud_cover' && !out.cloudCover) out.cloudCover = p.id;
      if (p.name === 'stability_class' && !out.stability) out.stability = p.id;
    }
  }
  return out;
}

function coefficients(params: ReturnType<typeof hazardParams>, name: string): Record<string, [number, number, number]> {
  const [a, b, c] = [params.table(`${name}a`), params.table(`${name}b`), params.table(`${name}c`)];
  return Object.fromEntries(STABILITY_CLASSES.map((k) => [k, [a[k] ?? NaN, b[k] ?? 0, c[k] ?? 0] as [number, number, number]]));
}

function pair(list: number[]): [number, number] {
  const [first, second = first] = list;
  return [first!, second!];
}

const round = (ring: PlanPoint[]) => ring.map((p) => ({ x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 }));
