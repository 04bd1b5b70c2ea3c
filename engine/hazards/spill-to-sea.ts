import type { Bilingual, Dike, IncidentDetails, Sample, Tank } from '../../model/index.ts';
import type { HazardDefinition } from '../../standards/index.ts';
import type { AlarmSpec } from '../alarms/alarm-book.ts';
import { hazardAlarmKey } from '../alarms/alarm-keys.ts';
import { circleRing, distance, planToWgs84, polygonFeatures } from './geo.ts';
import type { HazardContext, HazardWatcher } from './hazard-model.ts';
import { hazardParams } from './hazard-params.ts';
import { inventoryOf, joinBilingual, zonesOf, hazardSpec } from './incident-parts.ts';
import { TrendWindow } from './trend-window.ts';
import { windNow } from './wind.ts';

const DETECTOR: Bilingual = { zh: '防火堤油品检测器报警', en: 'the dike hydrocarbon detector' };

/**
 * Spill to sea: product in a dike WHILE its rainwater drain valve is open. Product in the dike is
 * the dike's hydrocarbon detector, or a tank of the dike losing level without outflow (a trend over
 * at least `minTrendSpanSeconds` that has lost `minLossMetres`, so gauge noise is not a leak): falling
 * faster than `minLossRate` while its outlet valve reads shut, or faster than any transfer could
 * (`transferMargin` × its maxFillRate over its cross-section). A tank seen losing stays evidence
 * until the drain valve is shut. The incident has the dike outline, the outfall (if the site gives
 * one) with the boom area and the drain route, and the inventory of the tanks involved.
 */
export function createSpillToSeaWatchers(context: HazardContext, definition: HazardDefinition): HazardWatcher[] {
  const params = hazardParams('spill-to-sea', definition);
  const windowMs = params.number('trendWindowSeconds') * 1000;
  const minSamples = params.number('minTrendSamples');
  const minSpanMs = params.number('minTrendSpanSeconds') * 1000;
  const minLossMetres = params.number('minLossMetres');
  const minLossRate = params.number('minLossRate');
  const transferMargin = params.number('transferMargin');
  const boomRadius = params.number('boomRadiusMetres');
  const density = params.table('density');
  const { site, standard } = context;
  const pointOf = (asset: string, name: string) => site.points.find((p) => p.asset === asset && p.name === name)?.id;
  const watchers: HazardWatcher[] = [];

  for (const dike of site.assets.filter((a): a is Dike => a.kind === 'dike')) {
    const drain = pointOf(dike.id, 'drain_valve_open');
    if (!drain) continue;
    const detector = pointOf(dike.id, 'hydrocarbon_detected');
    const tanks = site.assets
      .filter((a): a is Tank => a.kind === 'tank' && a.attributes.dike === dike.id)
      .flatMap((tank) => {
        const level = pointOf(tank.id, 'level');
        if (!level) return [];
        const area = (Math.PI * tank.attributes.diameter ** 2) / 4;
        // m/h a transfer cannot exceed: the tank's largest rate (m³/h) over its cross-section
        const maxTransfer = tank.attributes.maxFillRate !== undefined ? (transferMargin * tank.attributes.maxFillRate) / area : Infinity;
        return [{ tank, level, outlet: pointOf(tank.id, 'outlet_valve_open'), maxTransfer, trend: new TrendWindow() }];
      });
    const key = hazardAlarmKey('spill-to-sea', dike.id);
    const outfall = dike.attributes.drainOutfall;
    // the drain leaves the dike at the outline's vertex nearest the outfall
    const exit = outfall ? dike.attributes.outline.reduce((a, b) => (distance(b, outfall) < distance(a, outfall) ? b : a)) : undefined;
    const outfallText: Bilingual = outfall
      ? { zh: `（排海口位于平面 ${outfall.x}, ${outfall.y} m）`, en: ` (outfall at ${outfall.x}, ${outfall.y} m on the plan)` }
      : { zh: '', en: '' };

    let drainOpen = false;
    let detected = false;
    const losing = new Set<Tank>();
    let held: { evidence: string; spec: AlarmSpec } | undefined;

    const update = (at: number) => {
      if (!drainOpen || (!detected && losing.size === 0)) {
        held = undefined;
        return context.condition(key, undefined, false, at);
      }
      const lost = tanks.filter((t) => losing.has(t.tank)).map((t) => t.tank);
      const evidence = [...lost.map((t): Bilingual => ({ zh: `${t.id} 液位异常下降`, en: `${t.id} level falling without outflow` })), ...(detected ? [DETECTOR] : [])];
      const signature = evidence.map((e) => e.en).join();
      if (held?.evidence !== signature) {
        const involved = lost.length > 0 ? lost : tanks.map((t) => t.tank);
        const values = { evidence: joinBilingual(evidence), outfall: outfallText };
        const wind = windNow(context);
        // drawn when an alarm is built, not held per dike
        const zoneParts = [
          polygonFeatures(site.location, dike.attributes.outline, { name: dike.name, kind: 'dike' }),
          ...(outfall && exit
            ? [
                polygonFeatures(site.location, circleRing(outfall, boomRadius), {
                  name: { zh: `排海口围油栏布设区（${boomRadius} m）`, en: `Boom area at the sea outfall (${boomRadius} m)` },
                  kind: 'boom-area',
                  // not radiusM: the incident's centre is the dike, not the outfall
                  boomRadiusM: boomRadius,
                  route: [
                    [exit.x, exit.y],
                    [outfall.x, outfall.y],
                  ],
                  routeWgs84: [planToWgs84(site.location, exit), planToWgs84(site.location, outfall)],
                }),
              ]
            : []),
        ];
        const incident: IncidentDetails = {
          hazard: 'spill-to-sea',
          ...zonesOf(zoneParts),
          affected: [dike.id, ...involved.map((t) => t.id)],
          inventory: inventoryOf(context, involved, density),
          ...(wind ? { wind } : {}),
          countdowns: [],
        };
        held = {
          evidence: signature,
          spec: hazardSpec(definition, standard, 'spill-to-sea', { values, name: dike.name, subjects: [dike.id], incident }),
        };
      }
      context.condition(key, held.spec, true, at);
    };

    const onSample = (sample: Sample, at = context.now()) => {
      if (sample.quality !== 'good') return; // a lost reading neither shows nor clears product in the dike
      if (sample.point === drain) {
        if (typeof sample.value !== 'boolean') return;
        drainOpen = sample.value;
        if (!drainOpen) losing.clear(); // shut: nothing more reaches the sea
        return update(at);
      }
      if (sample.point === detector) {
        if (typeof sample.value !== 'boolean') return;
        detected = sample.value;
        return update(at);
      }
      const watched = tanks.find((t) => t.level === sample.point);
      if (!watched || typeof sample.value !== 'number') return;
      watched.trend.push(at, sample.value);
      watched.trend.evictBefore(at - windowMs);
      // a few seconds of gauge noise is no trend: the window must span long enough and show a real drop
      const span = watched.trend.spanMs;
      const slope = watched.trend.size >= minSamples && span >= minSpanMs ? watched.trend.slopePerHour() : undefined;
      if (slope === undefined || -slope * (span / 3_600_000) < minLossMetres) return;
      const outlet = watched.outlet ? context.latest(watched.outlet) : undefined;
      const outletShut = outlet?.quality === 'good' && outlet.value === false;
      const loss = -slope;
      if ((outletShut && loss >= minLossRate) || loss > watched.maxTransfer) {
        if (losing.has(watched.tank)) return;
        losing.add(watched.tank);
        update(at);
      }
    };
    watchers.push({ points: [drain, ...(detector ? [detector] : []), ...tanks.map((t) => t.level)], onSample });
  }
  return watchers;
}
