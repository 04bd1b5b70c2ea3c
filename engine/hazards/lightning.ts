import type { Alert, Asset, IncidentDetails, Sample } from '../../model/index.ts';
import type { HazardDefinition } from '../../standards/index.ts';
import type { AlarmSpec } from '../alarms/alarm-book.ts';
import { hazardAlarmKey } from '../alarms/alarm-keys.ts';
import { EngineError } from '../engine-errors.ts';
import { circleRing, polygonFeatures } from './geo.ts';
import type { HazardContext, HazardWatcher } from './hazard-model.ts';
import { hazardParams } from './hazard-params.ts';
import { hazardSpec, renderBilingual, zonesOf } from './incident-parts.ts';

const MINUTE_MS = 60_000;

/** One strike the feed reported: its distance from the site, km, and when (the sample's time). */
interface Strike {
  km: number;
  at: number;
  /** the sample's own time: the same report read twice is one strike */
  ts: number;
}

/**
 * Lightning warning of a large oil and gas storage base (MEM 2022, 大型油气储存基地雷电预警系统基本要求):
 * a `lightning-detector` asset's electric field mill (`electric_field`, kV/m) and the nearest strike
 * its lightning location feed reported in its last interval (`strike_distance`, km; a value beyond
 * `outerRadiusKm` is "no strike"). The level is set by the nearest strike of the last
 * `levelHoldMinutes`: level 3 within `levelDistancesKm[1]` (5 km), level 2 within `levelDistancesKm[0]`
 * (10 km), level 1 farther out within the outer radius — or the field above `fieldWarningKvM`, or any
 * strike of the last `clearMinutes` (the storm is still about). All clear once `clearMinutes` have
 * passed with no strike and the field below its threshold. Each level adds its own actions (the
 * standard's `levelActions`) and its severity (`levelSeverity`). While a warning stands, a feed or
 * field reading that is not good makes the lightning unknown: the warning holds at the highest level
 * it reached, never steps down and never clears until good readings are back.
 */
export function createLightningWatchers(context: HazardContext, definition: HazardDefinition): HazardWatcher[] {
  const params = hazardParams('lightning', definition);
  const [level2Km, level3Km] = params.list('levelDistancesKm');
  const outerKm = params.number('outerRadiusKm');
  const fieldKvM = params.number('fieldWarningKvM');
  const holdMs = params.number('levelHoldMinutes') * MINUTE_MS;
  const clearMs = params.number('clearMinutes') * MINUTE_MS;
  const severities = params.list('levelSeverity');
  if (level2Km === undefined || level3Km === undefined || !(level3Km < level2Km && level2Km < outerKm))
    throw new EngineError('ENGINE_HAZARD_PARAM', 'hazard lightning: levelDistancesKm must be [level 2, level 3] km, falling, within outerRadiusKm');
  if (severities.length !== 3) throw new EngineError('ENGINE_HAZARD_PARAM', 'hazard lightning: levelSeverity gives the severity of levels 1, 2 and 3');
  const { site, standard } = context;
  const clockFormat = new Intl.DateTimeFormat('en-GB', { timeZone: site.timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const clock = (ms: number) => clockFormat.format(ms);
  const pointOf = (asset: string, name: string) => site.points.find((p) => p.asset === asset && p.name === name)?.id;
  const watchers: HazardWatcher[] = [];

  for (const detector of site.assets.filter((a): a is Asset & { kind: 'lightning-detector' } => a.kind === 'lightning-detector')) {
    const strikePoint = pointOf(detector.id, 'strike_distance');
    const fieldPoint = pointOf(detector.id, 'electric_field');
    if (!strikePoint) continue;
    const key = hazardAlarmKey('lightning', detector.id);

    let strikes: Strike[] = [];
    let field: number | undefined;
    /** the points whose latest reading is not good */
    const blind = new Set<string>();
    let lostAt: number | undefined;
    let level = 0;
    let held: { signature: string; spec: AlarmSpec } | undefined;
    let timer: { unsubscribe(): void } | undefined;

    const levelNow = (at: number): number => {
      const recent = strikes.filter((s) => s.at > at - holdMs);
      const nearest = Math.min(Infinity, ...recent.map((s) => s.km));
      const byStrike = nearest <= level3Km ? 3 : nearest <= level2Km ? 2 : nearest <= outerKm ? 1 : 0;
      const about = strikes.some((s) => s.at > at - clearMs) || (field !== undefined && field >= fieldKvM);
      return Math.max(byStrike, about ? 1 : 0);
    };

    const build = (at: number): AlarmSpec => {
      const last = strikes.at(-1);
      const unknown = blind.size > 0;
      const values = {
        level,
        nearest: last ? `${round1(last.km)} km` : '—',
        ago: last ? Math.round((at - last.at) / MINUTE_MS) : '—',
        field: field === undefined ? '—' : `${round1(field)} kV/m`,
        state: unknown
          ? {
              zh: `雷电情况未知：监测数据自 ${clock(lostAt!)} 起无有效读数，保持 ${level} 级措施`,
              en: `lightning unknown: no good reading from the feed since ${clock(lostAt!)}; keep the level ${level} measures`,
            }
          : { zh: '监测正常', en: 'monitoring good' },
      };
      // drawn when an alarm is built, not held per detector
      const rings = [level3Km, level2Km].map((km) =>
        polygonFeatures(site.location, circleRing(detector.position, km * 1000), {
          name: { zh: `${km} km 雷电预警圈`, en: `${km} km lightning warning ring` },
          kind: 'lightning-ring',
          radiusM: km * 1000,
        }),
      );
      const incident: IncidentDetails = {
        hazard: 'lightning',
        ...zonesOf(rings),
        affected: [detector.id],
        inventory: [],
        countdowns: last && !unknown ? [{ kind: 'all-clear', label: { zh: '最早解除', en: 'All clear at the earliest' }, deadline: last.at + clearMs }] : [],
      };
      const spec = hazardSpec(definition, standard, 'lightning', { values, name: detector.name, subjects: [detector.id], incident });
      const levelActions = Array.from({ length: level }, (_, i) => definition.levelActions?.[String(i + 1)] ?? []).flat();
      return { ...spec, severity: severities[level - 1] as Alert['severity'], actions: [...levelActions.map((a) => renderBilingual(a, values, detector.name)), ...spec.actions] };
    };

    const update = (at: number) => {
      strikes = strikes.filter((s) => s.at > at - clearMs);
      const computed = levelNow(at);
      // blind during a warning: never lower, never clear
      level = blind.size > 0 && level > 0 ? Math.max(level, computed) : computed;
      timer?.unsubscribe();
      timer = undefined;
      if (level === 0) {
        held = undefined;
        return context.condition(key, undefined, false, at);
      }
      const signature = `${level}|${blind.size > 0}`;
      if (held?.signature !== signature) held = { signature, spec: build(at) };
      context.condition(key, held.spec, true, at);
      // the next instant a strike leaves a window: the level may step down or clear then
      const expiries = strikes.flatMap((s) => [s.at + holdMs, s.at + clearMs]).filter((t) => t > at);
      if (expiries.length > 0) {
        const next = Math.min(...expiries);
        timer = context.schedule(() => update(context.now()), next - at);
      }
    };

    const onSample = (sample: Sample) => {
      const at = context.now();
      if (sample.quality !== 'good' || typeof sample.value !== 'number' || !Number.isFinite(sample.value)) {
        if (blind.size === 0) lostAt = at;
        blind.add(sample.point);
        if (level > 0) update(at);
        return;
      }
      blind.delete(sample.point);
      if (sample.point === fieldPoint) field = sample.value;
      else if (sample.value <= outerKm && !strikes.some((s) => s.ts === sample.ts && s.km === sample.value)) strikes.push({ km: sample.value, at, ts: sample.ts });
      update(at);
    };
    watchers.push({ points: [strikePoint, ...(fieldPoint ? [fieldPoint] : [])], onSample });
  }
  return watchers;
}

const round1 = (v: number) => Math.round(v * 10) / 10;
