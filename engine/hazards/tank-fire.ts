import type { Bilingual, GeoFeature, IncidentDetails, Sample, Tank } from '../../model/index.ts';
import { renderTemplate, type HazardDefinition } from '../../standards/index.ts';
import type { AlarmSpec } from '../alarms/alarm-book.ts';
import { hazardAlarmKey } from '../alarms/alarm-keys.ts';
import { circleRing, distance, polygonFeatures } from './geo.ts';
import type { HazardContext, HazardWatcher } from './hazard-model.ts';
import { hazardParams } from './hazard-params.ts';

const MINUTE_MS = 60_000;

/** Thermal radiation of a burning tank, point-source model: Q = m″ · πD²/4 · ΔHc, q(r) = χ · Q / (4π r²). */
export interface PoolFire {
  /** heat release, kW */
  heatReleaseKw: number;
  /** distance from the tank's centre at which the flux falls to q (kW/m²), m */
  radiusAt(fluxKwM2: number): number;
  /** flux at r metres from the centre, kW/m² */
  fluxAt(r: number): number;
}

export function poolFire(diameterM: number, burningRateKgM2s: number, heatOfCombustionMJkg: number, radiativeFraction: number): PoolFire {
  const heatReleaseKw = burningRateKgM2s * ((Math.PI * diameterM ** 2) / 4) * heatOfCombustionMJkg * 1000;
  const radiated = radiativeFraction * heatReleaseKw;
  return {
    heatReleaseKw,
    radiusAt: (q) => Math.sqrt(radiated / (4 * Math.PI * q)),
    fluxAt: (r) => radiated / (4 * Math.PI * r * r),
  };
}

/**
 * Tank fire: while `<tank>.flame` is true, an incident with the 37.5 / 12.5 / 4 kW/m² radiation
 * zones (circles in plan metres and WGS84), the neighbouring tanks whose nearest shell receives more
 * than the exposure flux, and cooling deadlines counted from the detection (GB 50074 §12.5.4).
 */
export function createTankFireWatchers(context: HazardContext, definition: HazardDefinition): HazardWatcher[] {
  const params = hazardParams('tank-fire', definition);
  const burningRate = params.table('burningRate');
  const heat = params.table('heatOfCombustion');
  const chi = params.number('radiativeFraction');
  const fluxes = params.list('zoneFluxes');
  const exposureFlux = params.number('exposureFlux');
  const coolBurningMs = params.number('coolBurningMinutes') * MINUTE_MS;
  const coolNeighbourMs = params.number('coolNeighbourMinutes') * MINUTE_MS;
  const density = params.table('density');
  const { site, standard } = context;
  const tanks = site.assets.filter((a): a is Tank => a.kind === 'tank');
  const watchers: HazardWatcher[] = [];

  for (const tank of tanks) {
    const point = site.points.find((p) => p.asset === tank.id && p.name === 'flame');
    const rate = burningRate[tank.attributes.product];
    const hc = heat[tank.attributes.product];
    if (!point || rate === undefined || hc === undefined) continue;
    const fire = poolFire(tank.attributes.diameter, rate, hc, chi);
    const radii = fluxes.map((q) => ({ q, r: fire.radiusAt(q) }));
    // a neighbour is exposed by the flux at its nearest shell
    const exposed = tanks.filter((t) => t.id !== tank.id && fire.fluxAt(Math.max(1, distance(tank.position, t.position) - t.attributes.diameter / 2)) > exposureFlux);
    const key = hazardAlarmKey('tank-fire', tank.id);
    const zoneParts = radii.map(({ q, r }) => {
      const name: Bilingual = { zh: `热辐射 ${q} kW/m² 区`, en: `${q} kW/m² radiation zone` };
      return polygonFeatures(site.location, circleRing(tank.position, r), { name, kind: 'thermal-radiation', radiusM: Math.round(r), kWm2: q });
    });
    const values = {
      r37: Math.round(radii[0]?.r ?? 0),
      r12: Math.round(radii[1]?.r ?? 0),
      r4: Math.round(radii[2]?.r ?? 0),
      exposed: exposed.map((t) => t.id).join(', ') || '—',
    };
    let held: AlarmSpec | undefined;
    /** tonnes in the burning and exposed tanks, from their latest level readings (tanks without one are left out) */
    const inventoryOf = (list: Tank[]) =>
      list.flatMap((t) => {
        const level = site.points.find((p) => p.asset === t.id && p.name === 'level');
        const value = level ? context.latest(level.id)?.value : undefined;
        if (typeof value !== 'number') return [];
        const tonnes = Math.round(value * ((Math.PI * t.attributes.diameter ** 2) / 4) * (density[t.attributes.product] ?? 0));
        return [{ asset: t.id, product: t.attributes.product, tonnes }];
      });

    const onSample = (sample: Sample) => {
      if (sample.quality !== 'good' || typeof sample.value !== 'boolean') return;
      const at = context.now();
      if (!sample.value) {
        held = undefined;
        return context.condition(key, undefined, false, at);
      }
      if (!held) {
        const features = (pick: 'plan' | 'wgs84'): GeoFeature[] => zoneParts.map((z) => z[pick]);
        const incident: IncidentDetails = {
          hazard: 'tank-fire',
          zones: { type: 'FeatureCollection', features: features('wgs84') },
          planZones: { type: 'FeatureCollection', features: features('plan') },
          affected: [tank.id, ...exposed.map((t) => t.id)],
          inventory: inventoryOf([tank, ...exposed]),
          countdowns: [
            { kind: 'cooling', label: { zh: `${tank.id} 冷却`, en: `Cool ${tank.id}` }, deadline: at + coolBurningMs },
            ...exposed.map((t) => ({ kind: 'cooling', label: { zh: `${t.id} 冷却`, en: `Cool ${t.id}` }, deadline: at + coolNeighbourMs })),
          ],
        };
        held = {
          kind: 'hazard-tank-fire',
          severity: definition.severity,
          message: renderTemplate(definition.message, values, tank.name),
          actions: definition.actions.map((a) => renderTemplate(a, values, tank.name)),
          subjects: [tank.id],
          standard: standard.key,
          incident,
        };
      }
      context.condition(key, held, true, at);
    };
    watchers.push({ points: [point.id], onSample });
  }
  return watchers;
}
