import type { Asset, Bilingual, IncidentDetails, Sample, Tank } from '../../model/index.ts';
import type { HazardDefinition } from '../../standards/index.ts';
import type { AlarmSpec } from '../alarms/alarm-book.ts';
import { hazardAlarmKey } from '../alarms/alarm-keys.ts';
import { onlinePoint } from '../comms-loss.ts';
import { polygonFeatures } from './geo.ts';
import type { HazardContext, HazardWatcher } from './hazard-model.ts';
import { hazardParams } from './hazard-params.ts';
import { inventoryOf, joinBilingual, zonesOf, hazardSpec } from './incident-parts.ts';
import { windNow } from './wind.ts';

/** What a fire or explosion indicator reads: a tank's flame or rim-seal detector, or a gas detector at full scale. */
interface Indicator {
  point: string;
  asset: Asset;
  what: Bilingual;
  /** true when the reading shows a fire or an explosion */
  shows(value: number | boolean | string): boolean;
}

/**
 * Suspected attack: at least `minSources` sources report themselves offline within
 * `sourceWindowSeconds` of each other, and a fire or explosion is seen (a tank's flame or rim-seal
 * detector, or a combustible gas detector at full scale) within `eventWindowSeconds` of the losses.
 * The incident is held while any source of that burst is still lost, updated as they come back.
 */
export function createSuspectedAttackWatchers(context: HazardContext, definition: HazardDefinition): HazardWatcher[] {
  const params = hazardParams('suspected-attack', definition);
  const minSources = params.number('minSources');
  const sourceWindowMs = params.number('sourceWindowSeconds') * 1000;
  const eventWindowMs = params.number('eventWindowSeconds') * 1000;
  const saturation = params.number('gasSaturationLel');
  const cordon = params.number('cordonMetres');
  const density = params.table('density');
  const { site, standard } = context;
  if (site.sources.length < minSources) return [];

  const indicators = new Map<string, Indicator>();
  const assets = new Map(site.assets.map((a) => [a.id, a]));
  // one test of each kind for every indicator of the site, not a closure per point
  const atFullScale = (v: number | boolean | string) => typeof v === 'number' && v >= saturation;
  for (const point of site.points) {
    const asset = assets.get(point.asset);
    if (!asset) continue;
    if (asset.kind === 'tank' && point.name === 'flame')
      indicators.set(point.id, { point: point.id, asset, what: { zh: `${asset.id} 火焰`, en: `flame on ${asset.id}` }, shows: isTrue });
    if (asset.kind === 'tank' && point.name === 'rim_seal_fire')
      indicators.set(point.id, { point: point.id, asset, what: { zh: `${asset.id} 密封圈火灾`, en: `rim-seal fire on ${asset.id}` }, shows: isTrue });
    if (asset.kind === 'gas-detector' && point.name === 'gas' && point.unit === '%LEL')
      indicators.set(point.id, {
        point: point.id,
        asset,
        what: { zh: `${asset.id} 可燃气体满量程`, en: `${asset.id} gas at full scale` },
        shows: atFullScale,
      });
  }
  const sourceOf = new Map(site.sources.map((s) => [onlinePoint(s.id), s.id]));
  const key = hazardAlarmKey('suspected-attack', site.id);
  const name = site.name;
  const { width, height } = site.plan;
  const cordonZone = polygonFeatures(
    site.location,
    [
      { x: -cordon, y: -cordon },
      { x: width + cordon, y: -cordon },
      { x: width + cordon, y: height + cordon },
      { x: -cordon, y: height + cordon },
    ],
    { name: { zh: `警戒区（场区外 ${cordon} m）`, en: `Security cordon (${cordon} m beyond the site)` }, kind: 'security-cordon' },
  );

  /** when each offline source went offline */
  const offlineSince = new Map<string, number>();
  /** when each indicator last showed a fire or explosion */
  const seenAt = new Map<string, number>();
  let held: { burst: string[]; lost: string[]; evidence: Indicator[]; spec: AlarmSpec } | undefined;

  const describe = (burst: string[], lost: string[], evidence: Indicator[]): AlarmSpec => {
    const tanks = [...new Set(evidence.map((e) => e.asset))].filter((a): a is Tank => a.kind === 'tank');
    const values = {
      lostCount: burst.length,
      window: sourceWindowMs / 1000,
      sources: burst.join(', '),
      stillLost: lost.join(', ') || '—',
      evidence: joinBilingual(evidence.map((e) => e.what)),
    };
    const wind = windNow(context);
    const incident: IncidentDetails = {
      hazard: 'suspected-attack',
      ...zonesOf([cordonZone]),
      affected: [...new Set(evidence.map((e) => e.asset.id))],
      inventory: inventoryOf(context, tanks, density),
      ...(wind ? { wind } : {}),
      countdowns: [],
    };
    return hazardSpec(definition, standard, 'suspected-attack', { values, name, subjects: [site.id], incident });
  };

  const evaluate = (at: number) => {
    if (held) {
      const lost = held.burst.filter((s) => offlineSince.has(s));
      if (lost.length === 0) {
        held = undefined;
        return context.condition(key, undefined, false, at);
      }
      if (lost.join() === held.lost.join()) return;
      held = { ...held, lost, spec: describe(held.burst, lost, held.evidence) };
      return context.condition(key, held.spec, true, at);
    }
    if (offlineSince.size < minSources) return;
    const latestLoss = Math.max(...offlineSince.values());
    const burst = [...offlineSince.entries()].filter(([, t]) => t >= latestLoss - sourceWindowMs).map(([s]) => s);
    if (burst.length < minSources) return;
    const firstLoss = Math.min(...burst.map((s) => offlineSince.get(s)!));
    const evidence = [...seenAt.entries()].filter(([, t]) => t >= firstLoss - eventWindowMs && t <= latestLoss + eventWindowMs).map(([point]) => indicators.get(point)!);
    if (evidence.length === 0 || at > latestLoss + eventWindowMs) return;
    held = { burst, lost: burst, evidence, spec: describe(burst, burst, evidence) };
    context.condition(key, held.spec, true, at);
  };

  const onSample = (sample: Sample, at = context.now()) => {
    if (sample.quality !== 'good') return; // a lost reading neither shows nor clears a fire
    const source = sourceOf.get(sample.point);
    if (source !== undefined) {
      if (sample.value === false && !offlineSince.has(source)) offlineSince.set(source, at);
      if (sample.value === true) offlineSince.delete(source);
    } else {
      const indicator = indicators.get(sample.point);
      if (!indicator?.shows(sample.value)) return;
      seenAt.set(sample.point, at);
    }
    evaluate(at);
  };
  return [{ points: [...sourceOf.keys(), ...indicators.keys()], onSample }];
}

const isTrue = (v: number | boolean | string) => v === true;
