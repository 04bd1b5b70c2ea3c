import type { Bilingual, Dike, IncidentDetails, Sample, Tank } from '../../model/index.ts';
import type { HazardDefinition } from '../../standards/index.ts';
import type { AlarmSpec } from '../alarms/alarm-book.ts';
import { alarmTimings, hazardAlarmKey } from '../alarms/alarm-keys.ts';
import { EngineError } from '../engine-errors.ts';
import { atmosphereNow, atmospherePoints } from './atmosphere.ts';
import { polygonFeatures } from './geo.ts';
import type { HazardContext, HazardWatcher } from './hazard-model.ts';
import { hazardParams } from './hazard-params.ts';
import { hazardSpec, inventoryOf, joinBilingual, zonesOf } from './incident-parts.ts';
import { centroid, distanceToOutline, insidePolygon } from './polygon.ts';
import { describeFlame, describeNeighbours, describeZones } from './radiation-words.ts';
import { flameFlux, fuelOf, poolFlame, radiationParams, type Fuel, radiationZones, type FlameWind, type RadiationZone, type SolidFlame } from './tank-fire-radiation.ts';
import { flameWindMoved, windNow, windPoints } from './wind.ts';
import { ringAroundPolygon } from './zone-rings.ts';

const MINUTE_MS = 60_000;
const DIKE_FLAME: Bilingual = { zh: '防火堤内火焰探测器报警', en: 'the flame detector over the dike floor' };
const PRODUCT: Bilingual = { zh: '防火堤油品检测器报警', en: 'product in the dike (its hydrocarbon detector)' };

/** A dike's pool fire as last drawn: its flame, zones, and the flux on each tank outside the dike. */
interface DikeModel {
  flame: SolidFlame;
  diameterM: number;
  zones: RadiationZone[];
  shells: { tank: Tank; kWm2: number }[];
  exposed: Tank[];
}

/**
 * Dike (bund) fire: product spread over a dike floor and burning. It is seen as the dike's own flame
 * detector (`<dike>.flame`), or as product in the dike (`<dike>.hydrocarbon_detected`) while a tank
 * of the dike burns full-surface — spilt product beside a burning tank is taken as alight, never as a
 * spill that waits. The pool is the dike floor: a circle of the same area, D = √(4A/π) (the usual
 * equivalent diameter of a non-circular pool, TNO Yellow Book CPR 14E §6), burning at the highest
 * burning rate of the dike's products (which tank leaked is not known). The flame, its emissive
 * power, view factor and transmissivity are the tank fire's (tank-fire-radiation.ts, the same
 * standard parameters); the zones are measured from the dike wall on every bearing, the flux on a
 * tank outside the dike from its shell's distance to the wall. Every tank inside the dike stands in
 * the flame: each is cooled as a burning tank (GB 50074 §12.5.4), the tanks outside above the
 * exposure flux as neighbours. The zones follow the wind as the tank fire's do. Once product has
 * burnt with a tank the pool is taken as alight until no tank of the dike burns: a sump detector
 * that clears (the leak stopped, the detector burnt) does not put a pool fire out. The incident
 * returns once neither holds (after the alarm book's delay-off); a reading that goes bad keeps its
 * last word.
 */
export function createDikeFireWatchers(context: HazardContext, definition: HazardDefinition): HazardWatcher[] {
  const tankFire = context.standard.hazards['tank-fire'];
  if (!tankFire) throw new EngineError('ENGINE_HAZARD_PARAM', 'hazard dike-fire burns as the tank fire does: the standard must give the tank-fire hazard its radiation parameters');
  const radiation = radiationParams(tankFire);
  const fireParams = hazardParams('tank-fire', tankFire);
  const exposureFlux = fireParams.number('exposureFlux');
  const coolBurningMs = fireParams.number('coolBurningMinutes') * MINUTE_MS;
  const coolNeighbourMs = fireParams.number('coolNeighbourMinutes') * MINUTE_MS;
  const density = hazardParams('dike-fire', definition).table('density');
  const { site, standard } = context;
  const delayOffMs = alarmTimings(standard).incidentDelayOffMs ?? 0;
  const pointOf = (asset: string, name: string) => site.points.find((p) => p.asset === asset && p.name === name)?.id;
  const tanks = site.assets.filter((a): a is Tank => a.kind === 'tank');
  const winds = windPoints(site);
  const air = atmospherePoints(site);
  const watchers: HazardWatcher[] = [];

  for (const dike of site.assets.filter((a): a is Dike => a.kind === 'dike')) {
    const inside = tanks.filter((t) => t.attributes.dike === dike.id);
    const flamePoint = pointOf(dike.id, 'flame');
    const productPoint = pointOf(dike.id, 'hydrocarbon_detected');
    const tankFlames = new Map(inside.flatMap((t) => (pointOf(t.id, 'flame') ? [[pointOf(t.id, 'flame')!, t] as const] : [])));
    if (!flamePoint && !(productPoint && tankFlames.size > 0)) continue;
    const fuels = inside.map((t) => fuelOf(t.attributes.product, radiation)).filter((f): f is Fuel => f !== undefined);
    const candidates = fuels.length > 0 ? fuels : Object.keys(radiation.burningRate).map((product) => fuelOf(product, radiation)!);
    const fuel = candidates.reduce((a, b) => (b.burningRate > a.burningRate ? b : a));
    const diameterM = Math.sqrt((4 * dike.attributes.floorArea) / Math.PI);
    const outline = dike.attributes.outline;
    const centre = centroid(outline);
    const outside = tanks.filter((t) => t.attributes.dike !== dike.id && !insidePolygon(t.position, outline));
    const key = hazardAlarmKey('dike-fire', dike.id);

    let flame = false;
    let product = false;
    /** product has burnt with a tank: the pool stays alight while a tank of the dike burns, whatever the sump reads after */
    let pooled = false;
    const burning = new Set<Tank>();
    let since = 0;
    /** when the fire was last seen out: back within the incident's delay-off it is the same fire, its deadlines unmoved */
    let outAt: number | undefined;
    let held: { signature: string; wind: FlameWind; spec: AlarmSpec; exposedSince: Map<string, number> } | undefined;

    const modelIn = (wind: FlameWind): DikeModel => {
      const atmosphere = atmosphereNow(context, air, radiation.atmosphere);
      const pool = poolFlame(diameterM, fuel, wind, radiation);
      const shells = outside
        .map((t) => {
          const gap = Math.max(0, distanceToOutline(t.position, outline) - t.attributes.diameter / 2);
          const bearing = (Math.atan2(t.position.x - centre.x, t.position.y - centre.y) * 180) / Math.PI;
          // the flame's edge stands at the wall nearest the tank: the cylinder's axis one radius further in
          return { tank: t, kWm2: flameFlux(pool, atmosphere, pool.radiusM + gap, bearing, radiation).vertical };
        })
        .sort((a, b) => b.kWm2 - a.kWm2);
      return { flame: pool, diameterM, zones: radiationZones(pool, atmosphere, radiation), shells, exposed: shells.filter((s) => s.kWm2 > exposureFlux).map((s) => s.tank) };
    };

    const build = (model: DikeModel, wind: FlameWind, evidence: Bilingual[], exposedSince: Map<string, number>): AlarmSpec => {
      const zoneParts = [
        polygonFeatures(site.location, outline, { name: dike.name, kind: 'dike' }),
        ...model.zones.map((z) => {
          const ring = ringAroundPolygon(centre, outline, z.reachAt);
          return polygonFeatures(site.location, ring, {
            name: { zh: `热辐射 ${z.kWm2} kW/m² 区`, en: `${z.kWm2} kW/m² radiation zone` },
            kind: 'thermal-radiation',
            radiusM: Math.round(Math.max(...ring.map((p) => Math.hypot(p.x - centre.x, p.y - centre.y)))),
            beyondEdgeM: [Math.round(z.minM) + 0, Math.round(z.maxM) + 0],
            kWm2: z.kWm2,
            stage: 'dike',
          });
        }),
      ];
      const names = (list: Tank[]) => joinBilingual(list.map((t) => ({ zh: t.id, en: t.id })));
      const values = {
        evidence: joinBilingual(evidence),
        diameter: Math.round(model.diameterM),
        area: dike.attributes.floorArea,
        edge: { zh: '防火堤', en: 'dike wall' },
        zones: describeZones(radiation.zoneFluxes, model.zones),
        flame: describeFlame(model.flame),
        inFlame: names(inside),
        neighbours: describeNeighbours(model.shells.map((s) => ({ id: s.tank.id, kWm2: s.kWm2 }))),
        exposureFlux,
        exposed: names(model.exposed),
      };
      const incident: IncidentDetails = {
        hazard: 'dike-fire',
        ...zonesOf(zoneParts),
        affected: [dike.id, ...inside.map((t) => t.id), ...model.exposed.map((t) => t.id)],
        inventory: inventoryOf(context, [...inside, ...model.exposed], density),
        ...(wind ? { wind } : {}),
        countdowns: [
          ...inside.map((t) => ({ kind: 'cooling', label: { zh: `${t.id} 冷却`, en: `Cool ${t.id}` }, deadline: since + coolBurningMs })),
          ...model.exposed.map((t) => ({ kind: 'cooling', label: { zh: `${t.id} 冷却`, en: `Cool ${t.id}` }, deadline: (exposedSince.get(t.id) ?? since) + coolNeighbourMs })),
        ],
      };
      return hazardSpec(definition, standard, 'dike-fire', { values, name: dike.name, subjects: [dike.id], incident });
    };

    const update = (at: number) => {
      if (product && burning.size > 0) pooled = true;
      else if (burning.size === 0) pooled = false;
      const evidence = [
        ...(flame ? [DIKE_FLAME] : []),
        ...(pooled ? [PRODUCT, { zh: `${[...burning].map((t) => t.id).join('、')} 着火`, en: `${[...burning].map((t) => t.id).join(', ')} burning` }] : []),
      ];
      if (evidence.length === 0) {
        if (held) outAt = at;
        held = undefined;
        return context.condition(key, undefined, false, at);
      }
      const wind = windNow(context, winds);
      const model = modelIn(wind);
      const exposedSince = new Map(model.exposed.map((t) => [t.id, held?.exposedSince.get(t.id) ?? at] as const));
      if (!held && (outAt === undefined || at - outAt >= delayOffMs)) since = at;
      const signature = [evidence.map((e) => e.en).join(), model.exposed.map((t) => t.id).join()].join('|');
      if (!held || held.signature !== signature || flameWindMoved(held.wind, wind, radiation.redraw.turnDeg, radiation.redraw.speedMs))
        held = { signature, wind, exposedSince, spec: build(model, wind, evidence, exposedSince) };
      context.condition(key, held.spec, true, at);
    };

    /** once per instant: a scan's several readings (or the wind's two) make one decision */
    let pending: { unsubscribe(): void } | undefined;
    const soon = () => {
      pending ??= context.schedule(() => {
        pending = undefined;
        update(context.now());
      }, 0);
    };

    const onSample = (sample: Sample) => {
      if (winds && (sample.point === winds.speed || sample.point === winds.direction)) {
        if (held && flameWindMoved(held.wind, windNow(context, winds), radiation.redraw.turnDeg, radiation.redraw.speedMs)) soon();
        return;
      }
      if (sample.quality !== 'good' || typeof sample.value !== 'boolean') return; // a lost reading neither lights nor puts out the fire
      if (sample.point === flamePoint) flame = sample.value;
      else if (sample.point === productPoint) product = sample.value;
      else {
        const tank = tankFlames.get(sample.point);
        if (!tank) return;
        if (sample.value) burning.add(tank);
        else burning.delete(tank);
      }
      if (held || flame || (product && burning.size > 0)) soon();
    };
    const points = [...(flamePoint ? [flamePoint] : []), ...(productPoint ? [productPoint, ...tankFlames.keys()] : []), ...(winds ? [winds.speed, winds.direction] : [])];
    watchers.push({ points, onSample });
  }
  return watchers;
}
