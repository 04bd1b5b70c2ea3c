import type { Bilingual, IncidentDetails, Sample, Tank } from '../../model/index.ts';
import type { HazardDefinition } from '../../standards/index.ts';
import type { AlarmSpec } from '../alarms/alarm-book.ts';
import { alarmTimings, hazardAlarmKey } from '../alarms/alarm-keys.ts';
import { circleRing, distance, polygonFeatures } from './geo.ts';
import { hazardSpec } from './incident-parts.ts';
import type { HazardContext, HazardWatcher } from './hazard-model.ts';
import { hazardParams } from './hazard-params.ts';
import { windNow } from './wind.ts';

const HOUR_MS = 3_600_000;
const ZONE: Bilingual = { zh: '沸溢疏散区', en: 'Boilover evacuation zone' };
const MEASURED: Bilingual = { zh: '最早沸溢时间', en: 'Earliest boilover' };
const ASSUMED: Bilingual = { zh: '最早沸溢时间（罐底水层为假定值）', en: 'Earliest boilover (water bottom assumed)' };
const LATEST: Bilingual = { zh: '最晚沸溢时间', en: 'Latest boilover' };
const LATEST_ASSUMED: Bilingual = { zh: '最晚沸溢时间（罐底水层为假定值）', en: 'Latest boilover (water bottom assumed)' };

/**
 * Boilover: a full-surface fire (`<tank>.flame`) on a tank whose product has a heat-wave speed in the
 * standard (crude). The hot zone sinks from the burning surface at the heat-wave speed while the surface
 * itself falls as the oil burns (m″/ρ); when the hot zone meets the water bottom the water flashes to
 * steam and throws the burning oil out. Time to boilover = oil height above the water bottom / (heat-wave
 * speed + surface regression), counted from the detection: the fastest speed of the cited range gives the
 * earliest time, the slowest the latest — both are counted down, the window being the forecast's
 * uncertainty. The water
 * bottom is the tank's `water_bottom` reading when good, else the standard's assumed height. The
 * evacuation zone is a circle of so many tank diameters, never less than the standard's minimum.
 * A bad or stale flame reading changes nothing; the incident returns when the flame is reported out.
 */
export function createBoiloverWatchers(context: HazardContext, definition: HazardDefinition): HazardWatcher[] {
  const params = hazardParams('boilover', definition);
  const fastest = params.table('heatWaveSpeedMax');
  const slowest = params.table('heatWaveSpeedMin');
  const assumedWaterBottom = params.number('waterBottomM');
  const diameters = params.number('evacuationDiameters');
  const minRadius = params.number('minEvacuationRadiusM');
  const density = params.table('density');
  const burningRate = params.table('burningRate');
  const { site, standard } = context;
  const delayOffMs = alarmTimings(standard).incidentDelayOffMs ?? 0;
  const tanks = site.assets.filter((a): a is Tank => a.kind === 'tank');
  const watchers: HazardWatcher[] = [];

  for (const tank of tanks) {
    const { product, diameter } = tank.attributes;
    const vMax = fastest[product];
    const vMin = slowest[product] ?? vMax;
    // the burning surface's own fall, m/h: m″ (kg/m²s) / ρ (t/m³ × 1000) × 3600
    const regression = ((burningRate[product] ?? 0) / ((density[product] ?? Infinity) * 1000)) * 3600;
    const flame = site.points.find((p) => p.asset === tank.id && p.name === 'flame');
    const level = site.points.find((p) => p.asset === tank.id && p.name === 'level');
    const water = site.points.find((p) => p.asset === tank.id && p.name === 'water_bottom');
    if (!flame || vMax === undefined || vMin === undefined) continue;
    const key = hazardAlarmKey('boilover', tank.id);
    const radius = Math.max(minRadius, diameters * diameter);
    const threatened = tanks.filter((t) => t.id !== tank.id && distance(t.position, tank.position) <= radius);
    const area = (Math.PI * diameter ** 2) / 4;
    const good = (id: string | undefined) => {
      const s = id ? context.latest(id) : undefined;
      return s?.quality === 'good' && typeof s.value === 'number' ? s.value : undefined;
    };
    /** the spec while burning; `counted` once the countdown had a level to start from */
    let burning: { spec: AlarmSpec; counted: boolean } | undefined;
    /** when the flame fell: a flame back within the incident's delay-off is the same fire, its countdown unmoved */
    let outAt: number | undefined;

    const build = (at: number): { spec: AlarmSpec; counted: boolean } => {
      const oilLevel = good(level?.id);
      const measuredWater = good(water?.id);
      const waterBottom = measuredWater ?? assumedWaterBottom;
      const oil = oilLevel === undefined ? undefined : Math.max(0, oilLevel - waterBottom);
      // `at` is the detection, or the first good level after a detection without one
      const earliest = oil === undefined ? undefined : at + Math.round((oil / (vMax! + regression)) * HOUR_MS);
      const latest = oil === undefined ? undefined : at + Math.round((oil / (vMin! + regression)) * HOUR_MS);
      const minutes = (t: number | undefined) => (t === undefined ? '—' : Math.round((t - at) / 60_000));
      // drawn when an alarm is built, not held per tank: a large site has hundreds of tanks and no boilover
      const zone = polygonFeatures(site.location, circleRing(tank.position, radius), { name: ZONE, kind: 'evacuation', radiusM: Math.round(radius) });
      const incident: IncidentDetails = {
        hazard: 'boilover',
        zones: { type: 'FeatureCollection', features: [zone.wgs84] },
        planZones: { type: 'FeatureCollection', features: [zone.plan] },
        affected: [tank.id, ...threatened.map((t) => t.id)],
        inventory: oilLevel === undefined ? [] : [{ asset: tank.id, product, tonnes: Math.round(oilLevel * area * (density[product] ?? 0)) }],
        countdowns:
          earliest === undefined || latest === undefined
            ? []
            : [
                { kind: 'boilover', label: measuredWater === undefined ? ASSUMED : MEASURED, deadline: earliest },
                { kind: 'boilover-latest', label: measuredWater === undefined ? LATEST_ASSUMED : LATEST, deadline: latest },
              ],
        wind: windNow(context),
      };
      const values = {
        oil: oil === undefined ? '—' : round1(oil),
        waterBottom: round1(waterBottom),
        vMin,
        vMax,
        regression: Math.round(regression * 100) / 100,
        earliest: minutes(earliest),
        latest: minutes(latest),
        radius: Math.round(radius),
        threatened: threatened.map((t) => t.id).join(', ') || '—',
      };
      const spec: AlarmSpec = hazardSpec(definition, standard, 'boilover', { values, name: tank.name, subjects: [tank.id], incident });
      return { spec, counted: earliest !== undefined };
    };

    const onFlame = (sample: Sample) => {
      if (sample.quality !== 'good' || typeof sample.value !== 'boolean') return;
      const at = context.now();
      if (!sample.value) {
        outAt ??= at;
        return context.condition(key, undefined, false, at);
      }
      if (burning && outAt !== undefined && at - outAt >= delayOffMs) burning = undefined;
      outAt = undefined;
      burning ??= build(at);
      context.condition(key, burning.spec, true, at);
    };
    const onLevel = () => {
      // a fire detected before any good level: the countdown starts with the first good one
      if (!burning || outAt !== undefined || burning.counted || good(level?.id) === undefined) return;
      burning = build(context.now());
      context.condition(key, burning.spec, true, context.now());
    };
    watchers.push({
      points: [flame.id, ...(level ? [level.id] : [])],
      onSample: (sample) => (sample.point === flame.id ? onFlame(sample) : onLevel()),
    });
  }
  return watchers;
}

const round1 = (v: number) => Math.round(v * 10) / 10;
