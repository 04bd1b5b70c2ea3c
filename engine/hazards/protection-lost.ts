import type { Asset, Bilingual, IncidentDetails, Sample, Tank } from '../../model/index.ts';
import { HAZARDS, type HazardDefinition } from '../../standards/index.ts';
import { hazardAlarmKey } from '../alarms/alarm-keys.ts';
import type { HazardContext, HazardWatcher } from './hazard-model.ts';
import { hazardParams } from './hazard-params.ts';
import { inventoryOf, joinBilingual, pointFeatures, zonesOf, hazardSpec } from './incident-parts.ts';
import { windNow } from './wind.ts';

type Status = 'lost' | 'ok' | 'unknown';

/** One protection the depot relies on, and how its readings say whether it is there. */
interface Protection {
  id: 'fire-water' | 'fire-pumps' | 'foam' | 'backup-power' | 'siren';
  /** the param table naming the hazards it mitigates */
  mitigatedBy: string;
  assets: Asset[];
  points: string[];
  label: Bilingual;
  status(): Status;
}

const attr = (asset: Asset, name: string): number | undefined => {
  const v = (asset.attributes as Record<string, unknown>)[name];
  return typeof v === 'number' ? v : undefined;
};
const names = (assets: Asset[]) => joinBilingual(assets.map((a) => a.name));

/**
 * Protection lost: the fire water below its reserve (the pool's minLevel, as the pool-level clause),
 * every fire pump without pressure, foam concentrate below its minimum, backup power failed (mains
 * lost and the generator not running), a siren not ready — each once it has lasted its delay. One
 * incident per site lists what is lost and which hazards are now unmitigated, updated as the list
 * changes. A protection whose readings are missing is neither lost nor restored by them.
 */
export function createProtectionLostWatchers(context: HazardContext, definition: HazardDefinition): HazardWatcher[] {
  const params = hazardParams('protection-lost', definition);
  const delays = params.table('delaySeconds');
  const pumpMinPressure = params.number('pumpMinPressure');
  const density = params.table('density');
  const { site, standard } = context;
  // each asset's point ids by name, found once: a status is read on every sample of its points, and a key built
  // from the asset and point name per read showed in the profile
  const pointIds = new Map<string, Map<string, string>>();
  for (const p of site.points) pointIds.set(p.asset, (pointIds.get(p.asset) ?? new Map<string, string>()).set(p.name, p.id));
  const pointOf = (asset: Asset, name: string) => pointIds.get(asset.id)?.get(name);
  const good = (id: string | undefined) => {
    const s = id ? context.latest(id) : undefined;
    return s?.quality === 'good' ? s.value : undefined;
  };
  const ofKind = (kind: Asset['kind'], ...needs: string[]) => site.assets.filter((a) => a.kind === kind && needs.every((n) => pointOf(a, n)));
  /** lost when any asset reads lost, ok when every one reads fine, unknown otherwise */
  const anyLost = (assets: Asset[], check: (a: Asset) => boolean | undefined): Status => {
    const states = assets.map(check);
    if (states.includes(true)) return 'lost';
    return states.every((s) => s === false) ? 'ok' : 'unknown';
  };
  const below = (value: unknown, min: number | undefined) => (typeof value === 'number' && min !== undefined ? value < min : undefined);

  const pools = ofKind('fire-water-pool', 'level').filter((a) => attr(a, 'minLevel') !== undefined);
  const pumps = ofKind('fire-pump', 'pressure');
  const foams = ofKind('foam-station', 'concentrate_level').filter((a) => attr(a, 'minConcentrateLevel') !== undefined);
  const generators = ofKind('generator', 'mains_available', 'running');
  const sirens = ofKind('siren', 'ready');
  const protections: Protection[] = [];
  if (pools.length > 0)
    protections.push({
      id: 'fire-water',
      mitigatedBy: 'mitigatedByFireWater',
      assets: pools,
      points: pools.map((a) => pointOf(a, 'level')!),
      label: { zh: `${names(pools).zh}低于最低水位`, en: `${names(pools).en} below the minimum level` },
      status: () => anyLost(pools, (a) => below(good(pointOf(a, 'level')), attr(a, 'minLevel'))),
    });
  if (pumps.length > 0)
    protections.push({
      id: 'fire-pumps',
      mitigatedBy: 'mitigatedByFirePumps',
      assets: pumps,
      points: pumps.map((a) => pointOf(a, 'pressure')!),
      label: { zh: `${names(pumps).zh}均无压力`, en: `no pressure on ${names(pumps).en}` },
      // every pump must be down: one with pressure still protects
      status: () => {
        const states = pumps.map((a) => below(good(pointOf(a, 'pressure')), attr(a, 'standbyPressure') ?? pumpMinPressure));
        if (states.includes(false)) return 'ok';
        return states.every((s) => s === true) ? 'lost' : 'unknown';
      },
    });
  if (foams.length > 0)
    protections.push({
      id: 'foam',
      mitigatedBy: 'mitigatedByFoam',
      assets: foams,
      points: foams.map((a) => pointOf(a, 'concentrate_level')!),
      label: { zh: `${names(foams).zh}泡沫液不足`, en: `${names(foams).en} concentrate below its minimum` },
      status: () => anyLost(foams, (a) => below(good(pointOf(a, 'concentrate_level')), attr(a, 'minConcentrateLevel'))),
    });
  if (generators.length > 0)
    protections.push({
      id: 'backup-power',
      mitigatedBy: 'mitigatedByBackupPower',
      assets: generators,
      points: generators.flatMap((a) => [pointOf(a, 'mains_available')!, pointOf(a, 'running')!]),
      label: { zh: `市电中断且${names(generators).zh}未运行`, en: `mains lost and ${names(generators).en} not running` },
      status: () =>
        anyLost(generators, (a) => {
          const mains = good(pointOf(a, 'mains_available'));
          const running = good(pointOf(a, 'running'));
          if (mains === true || running === true) return false;
          return mains === false && running === false ? true : undefined;
        }),
    });
  if (sirens.length > 0)
    protections.push({
      id: 'siren',
      mitigatedBy: 'mitigatedBySiren',
      assets: sirens,
      points: sirens.map((a) => pointOf(a, 'ready')!),
      label: { zh: `${names(sirens).zh}不可用`, en: `${names(sirens).en} not ready` },
      status: () => anyLost(sirens, (a) => (typeof good(pointOf(a, 'ready')) === 'boolean' ? good(pointOf(a, 'ready')) === false : undefined)),
    });
  if (protections.length === 0) return [];

  const mitigates = new Map(protections.map((p) => [p.id, Object.keys(params.table(p.mitigatedBy))]));
  const key = hazardAlarmKey('protection-lost', site.id);
  const tanks = site.assets.filter((a): a is Tank => a.kind === 'tank');
  const lost = new Set<Protection>();
  const pending = new Map<Protection, { unsubscribe(): void }>();

  const publish = () => {
    const at = context.now();
    if (lost.size === 0) return context.condition(key, undefined, false, at);
    const list = protections.filter((p) => lost.has(p));
    // hazards the standard models (has a block for), in its order
    const unmitigated = HAZARDS.filter((h) => standard.hazards[h] && list.some((p) => mitigates.get(p.id)!.includes(h)));
    const values = { lost: joinBilingual(list.map((p) => p.label)), unmitigated: joinBilingual(unmitigated.map((h) => standard.hazards[h]!.title)), count: list.length };
    const assets = list.flatMap((p) => p.assets);
    const wind = windNow(context);
    const incident: IncidentDetails = {
      hazard: 'protection-lost',
      ...zonesOf(assets.map((a) => pointFeatures(site.location, a.position, { name: a.name, kind: 'lost-protection', asset: a.id }))),
      affected: assets.map((a) => a.id),
      // the product a fire would now burn unchecked
      inventory: unmitigated.includes('tank-fire') ? inventoryOf(context, tanks, density) : [],
      ...(wind ? { wind } : {}),
      countdowns: [],
    };
    context.condition(key, hazardSpec(definition, standard, 'protection-lost', { values, name: site.name, subjects: [site.id], incident }), true, at);
  };

  const check = (protection: Protection) => {
    const status = protection.status();
    if (status === 'unknown') return; // missing data holds what was known
    if (status === 'ok') {
      pending.get(protection)?.unsubscribe();
      pending.delete(protection);
      if (lost.delete(protection)) publish();
      return;
    }
    if (lost.has(protection) || pending.has(protection)) return;
    const delayMs = (delays[protection.id] ?? 0) * 1000;
    pending.set(
      protection,
      context.schedule(() => {
        pending.delete(protection);
        if (protection.status() === 'ok') return;
        lost.add(protection);
        publish();
      }, delayMs),
    );
  };

  return protections.map((protection) => ({ points: protection.points, onSample: (_: Sample) => check(protection) }));
}
