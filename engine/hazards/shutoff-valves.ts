import type { Sample, Tank } from '../../model/index.ts';
import type { HazardDefinition } from '../../standards/index.ts';
import type { AlarmSpec } from '../alarms/alarm-book.ts';
import { hazardAlarmKey } from '../alarms/alarm-keys.ts';
import type { HazardContext, HazardWatcher } from './hazard-model.ts';
import { hazardParams } from './hazard-params.ts';
import { renderBilingual } from './incident-parts.ts';

type Trigger = 'command' | 'high-high';
const TRIGGER_WORDS: Record<Trigger, { zh: string; en: string }> = {
  command: { zh: '关阀指令', en: 'the close command' },
  'high-high': { zh: '高高液位联锁', en: 'the high-high trip' },
};

/**
 * Emergency shut-off valves (MEM 2022, 油气储存企业紧急切断系统基本要求: full-stroke automatic closing
 * within `maxStrokeSeconds`, 180 s; a high-high level closes the inlet). Each valve the site file
 * declares on a tank is timed from its close command (`<valve>_close_cmd` rising) — or, for an inlet
 * valve, from the tank's independent high-high switch tripping (`level_switch_hh`) — to its closed limit
 * switch (`<valve>_closed`). Every measured close is kept as an `esv-stroke` evidence record of the tank
 * (ref names the valve and the time against the limit; passed when within it), which the standard's
 * stroke clause judges. A valve still open at the limit raises an alarm at once (severity 1 after a
 * high-high trip: the overfill protection did not act) and records the failure then; when it does close
 * the actual stroke is recorded and the alarm returns.
 */
export function createShutoffValveWatchers(context: HazardContext, definition: HazardDefinition): HazardWatcher[] {
  const params = hazardParams('shutoff-valve', definition);
  const maxMs = params.number('maxStrokeSeconds') * 1000;
  const { site } = context;
  const pointOf = (asset: string, name: string) => site.points.find((p) => p.asset === asset && p.name === name)?.id;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const watchers: HazardWatcher[] = [];

  for (const tank of site.assets.filter((a): a is Tank => a.kind === 'tank')) {
    const hhPoint = pointOf(tank.id, 'level_switch_hh');
    for (const valve of tank.attributes.shutoffValves ?? []) {
      const closedPoint = pointOf(tank.id, `${valve.id}_closed`);
      if (!closedPoint) continue;
      const commandPoint = pointOf(tank.id, `${valve.id}_close_cmd`);
      const tripPoint = valve.line === 'inlet' ? hhPoint : undefined;
      const key = hazardAlarmKey('shutoff-valve', `${tank.id}.${valve.id}`);
      const name = { zh: `${tank.name.zh} ${valve.id}`, en: `${tank.name.en} ${valve.id}` };
      let closed: boolean | undefined;
      const last = new Map<string, boolean>();
      let pending: { since: number; trigger: Trigger; timer: { unsubscribe(): void }; late?: AlarmSpec } | undefined;

      const record = (at: number, seconds: number, trigger: Trigger, closedYet: boolean) => {
        const limit = maxMs / 1000;
        const within = closedYet && seconds <= limit;
        const verdict = closedYet ? `${seconds} s ${within ? '≤' : '>'} ${limit} s` : `not closed ${seconds} s after`;
        context.record({
          kind: 'esv-stroke',
          subject: tank.id,
          date: day(at),
          by: 'ketwin (measured)',
          ref: `${valve.id}: ${verdict} (${trigger})`,
          passed: within,
          values: { strokeSeconds: seconds },
        });
      };

      const start = (trigger: Trigger, at: number) => {
        if (pending || closed === true) return;
        const timer = context.schedule(() => {
          if (!pending) return;
          const values = { trigger: TRIGGER_WORDS[trigger], seconds: maxMs / 1000 };
          pending.late = {
            kind: 'hazard-shutoff-valve',
            severity: trigger === 'high-high' ? 1 : definition.severity,
            message: renderBilingual(definition.message, values, name),
            actions: definition.actions.map((a) => renderBilingual(a, values, name)),
            subjects: [tank.id],
            standard: context.standard.key,
          };
          context.condition(key, pending.late, true, context.now());
          record(context.now(), maxMs / 1000, trigger, false);
        }, maxMs);
        pending = { since: at, trigger, timer };
      };

      const onSample = (sample: Sample) => {
        if (sample.quality !== 'good' || typeof sample.value !== 'boolean') return; // a lost switch neither starts nor ends a stroke
        const at = context.now();
        const rising = sample.value && last.get(sample.point) !== true;
        last.set(sample.point, sample.value);
        if (sample.point === closedPoint) {
          closed = sample.value;
          if (!sample.value || !pending) return;
          const seconds = Math.round((at - pending.since) / 1000);
          pending.timer.unsubscribe();
          record(at, seconds, pending.trigger, true);
          if (pending.late) context.condition(key, undefined, false, at);
          pending = undefined;
          return;
        }
        if (!rising) return;
        if (sample.point === commandPoint) start('command', at);
        else if (sample.point === tripPoint) start('high-high', at);
      };
      watchers.push({ points: [closedPoint, ...(commandPoint ? [commandPoint] : []), ...(tripPoint ? [tripPoint] : [])], onSample });
    }
  }
  return watchers;
}
