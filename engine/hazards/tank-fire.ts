import type { Bilingual, IncidentDetails, Sample, Tank } from '../../model/index.ts';
import type { HazardDefinition } from '../../standards/index.ts';
import type { AlarmSpec } from '../alarms/alarm-book.ts';
import { alarmTimings, hazardAlarmKey } from '../alarms/alarm-keys.ts';
import { polygonFeatures } from './geo.ts';
import type { HazardContext, HazardWatcher } from './hazard-model.ts';
import { hazardParams } from './hazard-params.ts';
import { inventoryOf, joinBilingual, zonesOf, hazardSpec } from './incident-parts.ts';
import { atmosphereNow, atmospherePoints } from './atmosphere.ts';
import { describeFlame, describeNeighbours, describeZones } from './radiation-words.ts';
import { fuelOf, poolFlame, radiationParams, radiationZones, rimSealFlame, shellFlux, type FlameWind, type RadiationZone, type SolidFlame } from './tank-fire-radiation.ts';
import { ringAroundCircle } from './zone-rings.ts';
import { flameWindMoved, windNow, windPoints } from './wind.ts';

const MINUTE_MS = 60_000;

type Stage = 'rim-seal' | 'full-surface';
const STAGE_WORDS: Record<Stage, Bilingual> = {
  'rim-seal': { zh: '密封圈火灾', en: 'rim-seal fire' },
  'full-surface': { zh: '全液面火灾', en: 'full-surface fire' },
};

/** What one stage of fire on one tank does around it in the wind and air it was computed for. */
interface StageModel {
  key: string;
  flame: SolidFlame;
  zones: RadiationZone[];
  /** flux on each neighbour's nearest shell, kW/m², largest first */
  shells: { tank: Tank; kWm2: number }[];
  /** neighbours whose nearest shell receives more than the exposure flux */
  exposed: Tank[];
}

/** One tank's fire as its detectors tell it, and the incident it holds. */
interface TankFire {
  tank: Tank;
  key: string;
  flamePoint: string;
  rimPoint?: string;
  /** latest good readings; a detector that went bad keeps its last word (missing data is not "out") */
  flame: boolean;
  rim: boolean;
  stage?: Stage;
  /** the stage's model as last computed (a new wind or air computes it again) */
  model?: StageModel;
  /** when the fire was first detected (the burning tank's cooling deadline counts from it) */
  since: number;
  /** when the detectors last fell: a fire back within the incident's delay-off is the same fire, its deadlines unmoved */
  outAt?: number;
  /** when each neighbour became exposed (its cooling deadline counts from it) */
  exposedSince: Map<string, number>;
  /** stage, exposed and burning neighbours: the incident is re-issued when it changes */
  signature?: string;
  /** the wind the held incident was drawn in: re-issued when it moves by more than the standard's redraw limits */
  heldWind?: FlameWind;
  held?: AlarmSpec;
  /** a smaller stage waiting for the detectors to settle */
  shrinking?: { stage: Stage; timer: { unsubscribe(): void } };
}

const SIZE: Record<Stage, number> = { 'rim-seal': 1, 'full-surface': 2 };

/**
 * Tank fire, staged as a depot senses it: the linear heat detector on a floating roof's seal
 * (`<tank>.rim_seal_fire`) alone is a rim-seal fire — a ring fire along the shell (rimSealFlame); the
 * flame detectors over the tank (`<tank>.flame`) are a full-surface fire, the solid-flame pool fire
 * (pool-fire.ts: Thomas flame length and tilt in the wind, Mudan or Shokri–Beyler emissive power,
 * Mudan's view factor of the tilted cylinder, Bagster's transmissivity). Each burning tank holds one
 * incident with its radiation zones measured from the tank shell (the flame's edge; plan metres and
 * WGS84), the flux on each neighbour's shell, the neighbours exposed above the exposure flux with
 * cooling deadlines (GB 50074 §12.5.4), inventory and the wind. The incident is re-issued when the
 * fire spreads — rim-seal to full-surface, a neighbour newly exposed, another tank catching fire
 * (its own incident; this one then names it as burning instead of exposed) — and returns when both
 * detectors read false. A fire that shrinks (full-surface back to the seal) is re-issued only once the
 * detectors have agreed for the settle time: when a fire goes out the flame detectors usually report
 * before the seal's, and "rim-seal fire" would be the wrong last word. The flame leans in the wind
 * read when the incident is (re)issued; with no good wind it leans towards every target. The zones
 * follow the wind: a turn by more than `windShiftDeg`, a speed change of more than `windSpeedShiftMs`,
 * or the wind coming up or dropping out re-issues every burning tank's incident.
 */
export function createTankFireWatchers(context: HazardContext, definition: HazardDefinition): HazardWatcher[] {
  const params = hazardParams('tank-fire', definition);
  const radiation = radiationParams(definition);
  const exposureFlux = params.number('exposureFlux');
  const coolBurningMs = params.number('coolBurningMinutes') * MINUTE_MS;
  const coolNeighbourMs = params.number('coolNeighbourMinutes') * MINUTE_MS;
  const settleMs = params.number('shrinkSettleSeconds') * 1000;
  const density = params.table('density');
  const { site, standard } = context;
  const delayOffMs = alarmTimings(standard).incidentDelayOffMs ?? 0;
  const tanks = site.assets.filter((a): a is Tank => a.kind === 'tank');
  const pointOf = (tank: Tank, name: string) => site.points.find((p) => p.asset === tank.id && p.name === name)?.id;
  const winds = windPoints(site);
  const air = atmospherePoints(site);

  /** the stage's flame, zones and neighbours' shell fluxes in this wind and air; kept while they do not change */
  const modelOf = (fire: TankFire, stage: Stage, wind: FlameWind): StageModel => {
    const atmosphere = atmosphereNow(context, air, radiation.atmosphere);
    const key = [stage, wind?.speedMs, wind?.fromDeg, atmosphere.relativeHumidity, atmosphere.airTemperatureC].join('|');
    if (fire.model?.key === key) return fire.model;
    const { tank } = fire;
    const fuel = fuelOf(tank.attributes.product, radiation)!;
    const d = tank.attributes.diameter;
    const flame = stage === 'full-surface' ? poolFlame(d, fuel, wind, radiation) : rimSealFlame(d, radiation.sealWidthM, fuel, wind, radiation);
    const shells = tanks
      .filter((t) => t !== tank)
      .map((t) => ({ tank: t, kWm2: shellFlux(flame, atmosphere, tank.position, t.position, t.attributes.diameter / 2, radiation) }))
      .sort((a, b) => b.kWm2 - a.kWm2);
    fire.model = { key, flame, zones: radiationZones(flame, atmosphere, radiation), shells, exposed: shells.filter((s) => s.kWm2 > exposureFlux).map((s) => s.tank) };
    return fire.model;
  };

  const fires: TankFire[] = [];
  for (const tank of tanks) {
    const flamePoint = pointOf(tank, 'flame');
    const rimPoint = tank.attributes.roof === 'fixed' ? undefined : pointOf(tank, 'rim_seal_fire');
    if (!flamePoint || radiation.burningRate[tank.attributes.product] === undefined) continue;
    fires.push({ tank, key: hazardAlarmKey('tank-fire', tank.id), flamePoint, rimPoint, flame: false, rim: false, since: 0, exposedSince: new Map() });
  }

  const specOf = (fire: TankFire, stage: Stage, model: StageModel, exposed: Tank[], burning: Tank[], wind: FlameWind, at: number): AlarmSpec => {
    const { tank } = fire;
    const R = tank.attributes.diameter / 2;
    const zoneParts = model.zones.map((z) =>
      polygonFeatures(site.location, ringAroundCircle(tank.position, R, z.reachAt), {
        name: { zh: `热辐射 ${z.kWm2} kW/m² 区`, en: `${z.kWm2} kW/m² radiation zone` },
        kind: 'thermal-radiation',
        radiusM: Math.round(R + z.maxM),
        beyondEdgeM: [Math.round(z.minM) + 0, Math.round(z.maxM) + 0],
        kWm2: z.kWm2,
        stage,
      }),
    );
    const names = (list: Tank[]) => joinBilingual(list.map((t) => ({ zh: t.id, en: t.id })));
    const values = {
      stage: STAGE_WORDS[stage],
      edge: { zh: '罐壁', en: 'tank shell' },
      zones: describeZones(radiation.zoneFluxes, model.zones),
      flame: describeFlame(model.flame),
      neighbours: describeNeighbours(model.shells.map((s) => ({ id: s.tank.id, kWm2: s.kWm2 }))),
      exposureFlux,
      exposed: names(exposed),
      burning: names(burning),
    };
    const incident: IncidentDetails = {
      hazard: 'tank-fire',
      ...zonesOf(zoneParts),
      affected: [tank.id, ...exposed.map((t) => t.id)],
      inventory: inventoryOf(context, [tank, ...exposed], density),
      ...(wind ? { wind } : {}),
      countdowns: [
        { kind: 'cooling', label: { zh: `${tank.id} 冷却`, en: `Cool ${tank.id}` }, deadline: fire.since + coolBurningMs },
        ...exposed.map((t) => ({ kind: 'cooling', label: { zh: `${t.id} 冷却`, en: `Cool ${t.id}` }, deadline: (fire.exposedSince.get(t.id) ?? at) + coolNeighbourMs })),
      ],
    };
    return hazardSpec(definition, standard, 'tank-fire', { values, name: tank.name, subjects: [tank.id], incident });
  };

  /** brings every burning tank's incident up to date: a stage change anywhere can change each one's neighbours */
  const evaluate = (at: number) => {
    const burning = fires.filter((f) => f.stage !== undefined);
    const wind = windNow(context, winds);
    for (const fire of burning) {
      const stage = fire.stage!;
      const others = burning.filter((f) => f !== fire).map((f) => f.tank);
      const model = modelOf(fire, stage, wind);
      const exposed = model.exposed.filter((t) => !others.includes(t));
      for (const id of [...fire.exposedSince.keys()]) if (!exposed.some((t) => t.id === id)) fire.exposedSince.delete(id);
      for (const t of exposed) if (!fire.exposedSince.has(t.id)) fire.exposedSince.set(t.id, at);
      const signature = [stage, exposed.map((t) => t.id).join(','), others.map((t) => t.id).join(',')].join('|');
      if (signature !== fire.signature || windMoved(fire, wind)) {
        fire.signature = signature;
        fire.heldWind = wind;
        fire.held = specOf(fire, stage, model, exposed, others, wind, at);
      }
      context.condition(fire.key, fire.held, true, at);
    }
  };

  const onSample = (fire: TankFire, sample: Sample) => {
    if (sample.quality !== 'good' || typeof sample.value !== 'boolean') return;
    if (sample.point === fire.flamePoint) fire.flame = sample.value;
    else fire.rim = sample.value;
    const at = context.now();
    const stage: Stage | undefined = fire.flame ? 'full-surface' : fire.rim ? 'rim-seal' : undefined;
    if (stage && fire.stage && SIZE[stage] < SIZE[fire.stage]) {
      if (fire.shrinking?.stage !== stage) {
        fire.shrinking?.timer.unsubscribe();
        const settled = () => {
          fire.shrinking = undefined;
          moveTo(fire, stage, context.now());
        };
        fire.shrinking = { stage, timer: context.schedule(settled, settleMs) };
      }
      return;
    }
    fire.shrinking?.timer.unsubscribe();
    fire.shrinking = undefined;
    if (stage === fire.stage) {
      if (!fire.stage) return context.condition(fire.key, undefined, false, at); // also returns an alarm restored from before a restart
      // the same reading again changes no neighbour: only this fire's condition is asserted (O(1), not every fire's)
      return context.condition(fire.key, fire.held, true, at);
    }
    moveTo(fire, stage, at);
  };

  const moveTo = (fire: TankFire, stage: Stage | undefined, at: number) => {
    if (!fire.stage && (fire.outAt === undefined || at - fire.outAt >= delayOffMs)) {
      fire.since = at;
      fire.exposedSince.clear();
    }
    fire.outAt = stage ? undefined : at;
    fire.stage = stage;
    if (!stage) {
      fire.signature = undefined;
      fire.heldWind = undefined;
      fire.held = undefined;
      context.condition(fire.key, undefined, false, at);
    }
    evaluate(at);
  };

  const windMoved = (fire: TankFire, wind: FlameWind) => flameWindMoved(fire.heldWind, wind, radiation.redraw.turnDeg, radiation.redraw.speedMs);
  /** a wind reading: once per instant (speed and direction come together), and only when a burning tank's wind moved */
  let pending: { unsubscribe(): void } | undefined;
  const onWind = () => {
    pending ??= context.schedule(() => {
      pending = undefined;
      const wind = windNow(context, winds);
      if (fires.some((f) => f.stage !== undefined && windMoved(f, wind))) evaluate(context.now());
    }, 0);
  };

  return [
    ...fires.map((fire) => ({ points: fire.rimPoint ? [fire.flamePoint, fire.rimPoint] : [fire.flamePoint], onSample: (s: Sample) => onSample(fire, s) })),
    ...(winds && fires.length > 0 ? [{ points: [winds.speed, winds.direction], onSample: onWind }] : []),
  ];
}
