import type { Bilingual, Dike, IncidentDetails, Sample, Tank } from '../../model/index.ts';
import { renderTemplate, type HazardDefinition } from '../../standards/index.ts';
import type { AlarmSpec } from '../alarms/alarm-book.ts';
import { hazardAlarmKey } from '../alarms/alarm-keys.ts';
import { polygonFeatures } from './geo.ts';
import { TrendWindow } from './trend-window.ts';
import type { HazardContext, HazardWatcher } from './hazard-model.ts';
import { hazardParams } from './hazard-params.ts';
import { windNow } from './wind.ts';

const COUNTDOWN_LABEL: Bilingual = { zh: '预计冒罐时间', en: 'Forecast overfill' };

/**
 * Overfill forecast (API 2350): the filling rate is the least-squares slope of the tank's level over
 * the trend window (scheduler time); time to critical high = (levelCriticalHigh − level) / rate.
 * While that is shorter than the tank's response time (by overfill category), an incident is held
 * open with the countdown, inventory and the dike's outline; it returns when the rise stops below
 * critical high (at or above it, it holds until the level is brought back down).
 */
export function createOverfillWatchers(context: HazardContext, definition: HazardDefinition): HazardWatcher[] {
  const params = hazardParams('overfill', definition);
  const responseMinutes = params.list('responseMinutes');
  const windowMs = params.number('trendWindowSeconds') * 1000;
  const minSamples = params.number('minTrendSamples');
  const minRate = params.number('minRate');
  const stepMs = params.number('deadlineStepSeconds') * 1000;
  const density = params.table('density');
  const { site, standard } = context;
  const watchers: HazardWatcher[] = [];

  for (const tank of site.assets.filter((a): a is Tank => a.kind === 'tank')) {
    const point = site.points.find((p) => p.asset === tank.id && p.name === 'level');
    const category = tank.attributes.overfillCategory;
    if (!point || category === undefined) continue;
    const response = responseMinutes[category - 1];
    if (response === undefined) continue;
    const dike = site.assets.find((a): a is Dike => a.kind === 'dike' && a.id === tank.attributes.dike);
    const key = hazardAlarmKey('overfill', tank.id);
    const area = (Math.PI * tank.attributes.diameter ** 2) / 4;
    const critical = tank.attributes.levelCriticalHigh;
    const readings = new TrendWindow();
    let held: { spec: AlarmSpec; deadline: number } | undefined;

    const onSample = (sample: Sample, at = context.now()) => {
      if (sample.quality !== 'good' || typeof sample.value !== 'number') return; // bad readings hold the forecast
      readings.push(at, sample.value);
      readings.evictBefore(at - windowMs);
      const rate = readings.size >= minSamples ? readings.slopePerHour() : undefined;
      if (rate === undefined) return;
      // at or past critical high the forecast has come true: a gauge pegged at the shell top stops rising, which is no all-clear
      if (held && sample.value >= critical) return context.condition(key, held.spec, true, at);
      const minutes = rate >= minRate ? (Math.max(0, critical - sample.value) / rate) * 60 : Infinity;
      if (!(minutes < response)) {
        held = undefined;
        return context.condition(key, undefined, false, at);
      }
      const deadline = at + Math.round(minutes * 60_000);
      if (!held || Math.abs(deadline - held.deadline) > stepMs) {
        const values = { rate: round(rate, 2), minutes: Math.round(minutes), response, 'asset.levelCriticalHigh': critical };
        const zones = dike ? polygonFeatures(site.location, dike.attributes.outline, { name: dike.name, kind: 'dike' }) : undefined;
        const incident: IncidentDetails = {
          hazard: 'overfill',
          zones: { type: 'FeatureCollection', features: zones ? [zones.wgs84] : [] },
          planZones: { type: 'FeatureCollection', features: zones ? [zones.plan] : [] },
          affected: [tank.id],
          inventory: [{ asset: tank.id, product: tank.attributes.product, tonnes: round(sample.value * area * (density[tank.attributes.product] ?? 0), 0) }],
          countdowns: [{ kind: 'overfill', label: COUNTDOWN_LABEL, deadline }],
          wind: windNow(context),
        };
        held = {
          deadline,
          spec: {
            kind: 'hazard-overfill',
            severity: definition.severity,
            message: renderTemplate(definition.message, values, tank.name),
            actions: definition.actions.map((a) => renderTemplate(a, values, tank.name)),
            subjects: [tank.id],
            standard: standard.key,
            incident,
          },
        };
      }
      context.condition(key, held.spec, true, at);
    };
    watchers.push({ points: [point.id], onSample });
  }
  return watchers;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
