import type { Bilingual, IncidentDetails, Sample, UnknownCountdown } from '../../model/index.ts';
import type { HazardDefinition } from '../../standards/index.ts';
import type { AlarmSpec } from '../alarms/alarm-book.ts';
import { hazardAlarmKey } from '../alarms/alarm-keys.ts';
import { EngineError } from '../engine-errors.ts';
import type { HazardContext, HazardWatcher } from './hazard-model.ts';
import { hazardParams } from './hazard-params.ts';
import { hazardSpec, pointFeatures, zonesOf } from './incident-parts.ts';
import { TrendWindow } from './trend-window.ts';

/** The water levels a work declares, lowest first, by the attribute that holds each, with their words. */
const LEVELS: { attribute: string; name: Bilingual }[] = [
  { attribute: 'alarmLevelM', name: { zh: '报警水位', en: 'alarm level' } },
  { attribute: 'dangerLevelM', name: { zh: '危险水位', en: 'danger level' } },
];
const PEOPLE: Record<'inside' | 'empty' | 'unknown', Bilingual> = {
  inside: { zh: '工程内有人员', en: 'people inside' },
  empty: { zh: '工程内无人员', en: 'nobody inside' },
  unknown: { zh: '工程内人员情况不明（按有人处置）', en: 'nobody knows whether people are inside (treated as occupied)' },
};
/** why the time to the next level cannot be told */
const NOT_GOOD: Bilingual = { zh: '水位读数失效', en: 'the level reading is not good' };
const TOO_FEW: Bilingual = { zh: '读数尚不足以判断涨势', en: 'too few readings to tell the rise' };

/**
 * Water in an underground work (issue 27): while the water in a work of the standard's `kinds` is at or
 * above the first level it declares (`alarmLevelM`), an incident is held open — of the standard's severity
 * (red through the live risk's table) when people are inside or nobody can tell (the occupancy reading lost
 * or never had: missing data never lowers the risk), `emptySeverity` when the work is known to be empty. Its
 * countdown is to the next declared level (`dangerLevelM`), from the rise of the water over the trend window
 * (least squares, scheduler time). While the level reading is not good, or too few readings tell the rise, the
 * countdown is unknown: said in the message and given as an unknown countdown with its reason (never left out,
 * as if there were nothing to count to); the incident holds at the last good level. It returns when a good reading
 * is below the alarm level again.
 */
export function createFloodWatchers(context: HazardContext, definition: HazardDefinition): HazardWatcher[] {
  const params = hazardParams('flood', definition);
  const windowMs = params.number('trendWindowSeconds') * 1000;
  const minSamples = params.number('minTrendSamples');
  const minRise = params.number('minRiseMPerH');
  const stepMs = params.number('deadlineStepSeconds') * 1000;
  const emptySeverity = params.number('emptySeverity');
  if (![1, 2, 3, 4].includes(emptySeverity)) throw new EngineError('ENGINE_HAZARD_PARAM', `hazard flood: emptySeverity must be a severity 1–4, not ${emptySeverity}`);
  if (definition.kinds.length === 0) throw new EngineError('ENGINE_HAZARD_PARAM', 'hazard flood needs `kinds`: the asset kinds whose water it watches');
  const { site, standard } = context;
  const pointOf = (asset: string, name: string) => site.points.find((p) => p.asset === asset && p.name === name)?.id;
  const watchers: HazardWatcher[] = [];

  for (const work of site.assets.filter((a) => definition.kinds.includes(a.kind))) {
    const attributes = work.attributes as Record<string, unknown>;
    const levels = LEVELS.flatMap((l) => (typeof attributes[l.attribute] === 'number' ? [{ ...l, value: attributes[l.attribute] as number }] : [])).sort(
      (a, b) => a.value - b.value,
    );
    const levelPoint = pointOf(work.id, 'water_level');
    const alarm = levels[0];
    if (!levelPoint || !alarm || alarm.attribute !== 'alarmLevelM') continue;
    const occupiedPoint = pointOf(work.id, 'occupied');
    const key = hazardAlarmKey('flood', work.id);
    const trend = new TrendWindow();
    let level: number | undefined;
    let levelGood = false;
    let occupied: boolean | undefined;
    let held: { spec: AlarmSpec; shape: string; deadline?: number } | undefined;

    const evaluate = (at: number) => {
      if (level === undefined) return;
      if (level < alarm.value) {
        if (!levelGood) return; // a reading that is not good never ends it
        held = undefined;
        return context.condition(key, undefined, false, at);
      }
      const people = occupied === true ? 'inside' : occupied === false ? 'empty' : 'unknown';
      const next = levels.find((l) => l.value > level!);
      const rate = levelGood && trend.size >= minSamples ? trend.slopePerHour() : undefined;
      let deadline: number | undefined;
      let countdown: Bilingual;
      const unknown = !levelGood ? NOT_GOOD : next && rate === undefined ? TOO_FEW : undefined;
      if (unknown) countdown = { zh: `到下一水位的时间未知：${unknown.zh}`, en: `time to the next level unknown: ${unknown.en}` };
      else if (!next) countdown = { zh: '已达最高一级水位', en: 'past the highest level it declares' };
      else if (rate! < minRise) countdown = { zh: '水位未上涨', en: 'the water is not rising' };
      else {
        deadline = at + Math.round(((next.value - level) / rate!) * 3_600_000);
        const minutes = Math.max(0, Math.round((deadline - at) / 60_000));
        countdown = {
          zh: `每小时上涨 ${round(rate!, 2)} m，约 ${minutes} 分钟后达${next.name.zh} ${next.value} m`,
          en: `rising ${round(rate!, 2)} m an hour: the ${next.name.en} ${next.value} m in about ${minutes} min`,
        };
      }
      const label: Bilingual | undefined = next && { zh: `预计达${next.name.zh}`, en: `Forecast ${next.name.en}` };
      // what the responders are told again: anything but a countdown that moved less than a step
      const shape = JSON.stringify([people, levelGood, next?.attribute, deadline === undefined ? countdown.en : 'countdown', round(level, 1)]);
      if (held && held.shape === shape && (deadline === undefined || (held.deadline !== undefined && Math.abs(deadline - held.deadline) <= stepMs)))
        return context.condition(key, held.spec, true, at);
      const incident: IncidentDetails = {
        hazard: 'flood',
        ...zonesOf([pointFeatures(site.location, work.position, { name: work.name, kind: 'flooded-work' })]),
        affected: [work.id],
        inventory: [],
        countdowns: deadline !== undefined && label ? [{ kind: COUNTDOWN_KIND, label, deadline }] : [],
        ...(unknown && label ? { unknownCountdowns: [{ kind: COUNTDOWN_KIND, label, reason: unknown } satisfies UnknownCountdown] } : {}),
      };
      const spec = hazardSpec(definition, standard, 'flood', {
        values: { level: round(level, 2), alarmLevel: alarm.value, people: PEOPLE[people], countdown },
        name: work.name,
        subjects: [work.id],
        incident,
      });
      held = {
        spec: { ...spec, severity: people === 'empty' ? (emptySeverity as AlarmSpec['severity']) : definition.severity },
        shape,
        ...(deadline !== undefined ? { deadline } : {}),
      };
      context.condition(key, held.spec, true, at);
    };

    const onSample = (sample: Sample, instant?: number) => {
      const at = instant ?? context.now();
      const good = sample.quality === 'good';
      if (sample.point === levelPoint) {
        levelGood = good && typeof sample.value === 'number' && Number.isFinite(sample.value);
        if (levelGood) {
          level = sample.value as number;
          trend.push(at, level);
        }
        trend.evictBefore(at - windowMs);
      } else occupied = good && typeof sample.value === 'boolean' ? sample.value : undefined;
      evaluate(at);
    };
    watchers.push({ points: [levelPoint, ...(occupiedPoint ? [occupiedPoint] : [])], onSample });
  }
  return watchers;
}

const COUNTDOWN_KIND = 'flood-level';
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
