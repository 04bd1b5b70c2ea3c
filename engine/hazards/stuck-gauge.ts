import type { AlarmSpec } from '../alarms/alarm-book.ts';
import { hazardAlarmKey } from '../alarms/alarm-keys.ts';
import type { Bilingual, Dike, IncidentDetails, Sample, Tank, TransferDeclaration } from '../../model/index.ts';
import type { HazardDefinition } from '../../standards/index.ts';
import { polygonFeatures } from './geo.ts';
import type { HazardContext, HazardWatcher } from './hazard-model.ts';
import { hazardParams } from './hazard-params.ts';
import { hazardSpec, inventoryOf, zonesOf } from './incident-parts.ts';
import { windNow } from './wind.ts';

const MINUTE_MS = 60_000;

/** The tank at one level reading: when, the gauge's level, and the volume the flow meter had put in by then. */
interface Checkpoint {
  at: number;
  level: number;
  volume: number;
}

/**
 * A level gauge that does not tell the truth (Buncefield, 2005: the gauge of tank 912 stayed flat
 * for three hours while 550 m³/h flowed in). While a tank transfers — its flow meter (`<tank>.flow`,
 * m³/h, + in) above `minFlowM3h`, and its inlet (or outlet) valve, where it has a position, open — the
 * level's change over the last `balanceWindowMinutes` is checked against the flow's: volume ÷ cross-
 * section. Once that expected change reaches `minExpectedChangeM`, a level that moved less than
 * `stuckResolutionM` is a suspected stuck gauge, and one that disagrees by more than
 * `balanceTolerance` of it fails the mass balance. Either raises the alarm and makes the twin doubt
 * the level (its readings held uncertain with the reason, so the overfill clauses read unknown, never
 * ok) until a later window agrees again. The independent high-high switch (`<tank>.level_switch_hh`)
 * tripping while the gauge reads below high-high is the same doubt, at severity 1: one of the two is
 * wrong, and the switch is the one made to be believed. A lost flow reading restarts the balance.
 * Each is an incident, not a mere alarm: with the gauge blind the overfill forecast cannot see the
 * rise, so the incident counts down to critical high from the flow meter's own estimate of the level
 * (the level at the window's start plus the volume since over the cross-section), re-issued when that
 * moves by more than `deadlineStepMinutes`.
 *
 * A transfer a person declared (tank, direction, expected rate, until) counts as an open valve and a
 * flow: its valve is taken as open, and where the tank has no good flow reading the declared rate
 * stands for the meter — the level is then judged every `declaredCheckSeconds` (a stuck gauge sends
 * nothing, and there is no meter whose readings would judge it), so a tank with a level gauge alone is
 * watched while a transfer is declared on it.
 */
export function createStuckGaugeWatchers(context: HazardContext, definition: HazardDefinition): HazardWatcher[] {
  const params = hazardParams('stuck-gauge', definition);
  const windowMs = params.number('balanceWindowMinutes') * MINUTE_MS;
  const minExpected = params.number('minExpectedChangeM');
  const resolution = params.number('stuckResolutionM');
  const tolerance = params.number('balanceTolerance');
  const minFlow = params.number('minFlowM3h');
  const stepMs = params.number('deadlineStepMinutes') * MINUTE_MS;
  const density = params.table('density');
  const checkMs = params.number('declaredCheckSeconds') * 1000;
  const { site, standard } = context;
  const pointOf = (asset: string, name: string) => site.points.find((p) => p.asset === asset && p.name === name)?.id;
  const watchers: HazardWatcher[] = [];
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone: site.timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

  for (const tank of site.assets.filter((a): a is Tank => a.kind === 'tank')) {
    const levelPoint = pointOf(tank.id, 'level');
    const flowPoint = pointOf(tank.id, 'flow');
    const switchPoint = pointOf(tank.id, 'level_switch_hh');
    // every tank with a gauge: a declared transfer makes one without a meter or a switch worth watching
    if (!levelPoint) continue;
    const inletPoint = pointOf(tank.id, 'inlet_valve_open');
    const outletPoint = pointOf(tank.id, 'outlet_valve_open');
    const area = (Math.PI * tank.attributes.diameter ** 2) / 4;
    const critical = tank.attributes.levelCriticalHigh;
    const dike = site.assets.find((a): a is Dike => a.kind === 'dike' && a.id === tank.attributes.dike);
    const dikeZone = dike ? [polygonFeatures(site.location, dike.attributes.outline, { name: dike.name, kind: 'dike' })] : [];
    const balanceKey = hazardAlarmKey('stuck-gauge', tank.id);
    const switchKey = hazardAlarmKey('stuck-gauge', `${tank.id}.level_switch_hh`);

    let checkpoints: Checkpoint[] = [];
    /** the flow meter's last good reading, m³/h: undefined while it has none */
    let flow: { m3h: number } | undefined;
    /** the transfer declared on this tank, while it stands (its end passed: forgotten at the next look) */
    let declared: TransferDeclaration | undefined;
    let tick: { unsubscribe(): void } | undefined;
    /** the volume the flow (the meter's, or the declared rate) has put in, m³, up to `volumeAt` */
    let volume = 0;
    let volumeAt: number | undefined;
    let level: number | undefined;
    /** the level and the meter's volume when the gauge last agreed with the flow (or the transfer began) */
    let trusted: { level: number; volume: number } | undefined;
    let balance: { kind: 'stuck' | 'disagree'; reason: string; since: number; deadline: number | undefined; spec: AlarmSpec } | undefined;
    let tripped: { reason: string; since: number; spec: AlarmSpec } | undefined;
    /** whether the level was doubted when last told: telling it again that nothing is doubted is skipped */
    let wasDoubted = false;
    /** the high-high switch's last reading is a good `true` (kept from its samples: read on every level sample, without a lookup) */
    let switchTrips = false;

    /** when the tank reaches critical high if the flow meter is right: the level it estimates, rising at the flow */
    const overfillAt = (estimate: number, at: number): number | undefined => {
      const m3h = rateAt(at);
      if (critical === undefined || m3h === undefined || m3h <= 0) return undefined;
      return at + Math.round((Math.max(0, critical - estimate) / (m3h / area)) * 3_600_000);
    };

    const spec = (severity: number, reason: Bilingual, since: number, deadline: number | undefined): AlarmSpec => {
      const wind = windNow(context);
      const incident: IncidentDetails = {
        hazard: 'stuck-gauge',
        ...zonesOf(dikeZone),
        affected: [tank.id],
        inventory: inventoryOf(context, [tank], density),
        ...(wind ? { wind } : {}),
        countdowns: deadline === undefined ? [] : [{ kind: 'overfill', label: { zh: '按流量估算的冒罐时间', en: 'Overfill by the flow meter' }, deadline }],
      };
      const values = { since: clock.format(since), reason };
      return { ...hazardSpec(definition, standard, 'stuck-gauge', { values, name: tank.name, subjects: [tank.id], incident }), severity: severity as AlarmSpec['severity'] };
    };

    /** starts the balance over (no allocation when there is nothing to drop: this runs on every idle tank's reading) */
    const reset = () => {
      if (checkpoints.length > 0) checkpoints = [];
      trusted = undefined;
    };

    /** the reason the level is doubted now (the switch's first: it is the surer word), or none */
    const doubt = () => tripped?.reason ?? balance?.reason;

    /** the declared transfer standing at `at`, if any */
    const declaredAt = (at: number) => (declared !== undefined && at < declared.until ? declared : undefined);
    /** the flow at `at`, m³/h (+ in): the meter's good reading, else a declared transfer's rate */
    const rateAt = (at: number): number | undefined => {
      if (flow) return flow.m3h;
      const d = declaredAt(at);
      return d ? (d.direction === 'in' ? d.rateM3h : -d.rateM3h) : undefined;
    };
    const valveOpen = (point: string | undefined, at: number, m3h: number) => {
      // a declared transfer that way: its valve is taken as open
      const d = declaredAt(at);
      if (d && (d.direction === 'in') === m3h > 0) return true;
      if (!point) return true; // no position: the flow meter's word alone
      const s = context.latest(point);
      return s?.quality === 'good' && s.value === true;
    };
    const transferring = (at: number) => {
      const m3h = rateAt(at);
      return m3h !== undefined && Math.abs(m3h) >= minFlow && valveOpen(m3h > 0 ? inletPoint : outletPoint, at, m3h);
    };

    /** the volume up to `at`: the meter's last reading held since, or the declared rate until its end */
    const advance = (at: number) => {
      const from = volumeAt ?? at;
      volumeAt = at;
      if (flow) volume += (flow.m3h * (at - from)) / 3_600_000;
      else if (declared) {
        const m3h = declared.direction === 'in' ? declared.rateM3h : -declared.rateM3h;
        volume += (m3h * Math.max(0, Math.min(at, declared.until) - from)) / 3_600_000;
      }
    };

    /** while a declared transfer stands on a tank without a good meter reading, the level is judged on a timer */
    const arm = (at: number) => {
      tick?.unsubscribe();
      tick = undefined;
      if (!declaredAt(at)) {
        declared = undefined;
        return;
      }
      tick = context.schedule(
        () => {
          const now = context.now();
          advance(now);
          if (!flow) {
            if (!transferring(now)) reset();
            judge(now);
          }
          arm(now);
        },
        Math.min(checkMs, declared!.until - at),
      );
    };

    const judge = (at: number) => {
      if (level === undefined || !transferring(at)) return;
      checkpoints.push({ at, level, volume });
      trusted ??= { level, volume };
      let start = -1;
      for (let i = checkpoints.length - 1; i >= 0 && start < 0; i--) if (checkpoints[i]!.at <= at - windowMs) start = i;
      if (start < 0) return;
      checkpoints = checkpoints.slice(start);
      const then = checkpoints[0]!;
      const expected = (volume - then.volume) / area;
      if (Math.abs(expected) < minExpected) return;
      const observed = level - then.level;
      const minutes = Math.round((at - then.at) / MINUTE_MS);
      const mm = (m: number) => Math.round(m * 1000);
      const m3 = Math.round(volume - then.volume);
      let reason: Bilingual | undefined;
      const kind = Math.abs(observed) < resolution ? 'stuck' : 'disagree';
      if (kind === 'stuck')
        reason = {
          zh: `液位计疑似卡滞：${minutes} 分钟内液位变化 ${mm(observed)} mm，而流量计 ${m3} m³（应变化 ${mm(expected)} mm）`,
          en: `level gauge suspected stuck: it moved ${mm(observed)} mm in ${minutes} min while the flow meter passed ${m3} m³ (expected ${mm(expected)} mm)`,
        };
      else if (Math.abs(observed - expected) > tolerance * Math.abs(expected))
        reason = {
          zh: `液位与流量物料不平衡：${minutes} 分钟内液位变化 ${mm(observed)} mm，流量计折算 ${mm(expected)} mm`,
          en: `level and flow disagree: the level moved ${mm(observed)} mm in ${minutes} min, the flow meter's ${m3} m³ make ${mm(expected)} mm`,
        };
      // the start of a window that agrees is a level the gauge was right about (a stick inside the window came after it)
      if (!reason) trusted = { level: then.level, volume: then.volume };
      // the level the meter says the tank has reached: the last level the gauge was right about, plus what flowed in since
      const deadline = overfillAt(trusted.level + (volume - trusted.volume) / area, at);
      // re-issued when the reason changes (disagreeing, then not moving at all) or the countdown moves
      const moved = balance !== undefined && (kind !== balance.kind || (deadline !== undefined && Math.abs(deadline - (balance.deadline ?? Infinity)) > stepMs));
      if (reason && (!balance || moved)) {
        const since = balance?.since ?? at;
        balance = { kind, reason: reason.en, since, deadline, spec: spec(definition.severity, reason, since, deadline) };
        context.condition(balanceKey, balance.spec, true, at);
      } else if (!reason && balance) {
        balance = undefined;
        context.condition(balanceKey, undefined, false, at);
      } else if (balance) context.condition(balanceKey, balance.spec, true, at);
      context.suspect(levelPoint, doubt());
    };

    const checkSwitch = (at: number) => {
      if (!switchPoint) return;
      const trip = switchTrips;
      const hh = tank.attributes.levelHighHigh;
      const below = level !== undefined && hh !== undefined && level < hh;
      if (trip && below && !tripped) {
        const reason = {
          zh: `独立高高液位开关已动作，而液位计读数 ${level} m 低于高高液位 ${hh} m`,
          en: `the independent high-high switch has tripped while the gauge reads ${level} m, below high-high ${hh} m`,
        };
        tripped = { reason: reason.en, since: at, spec: spec(1, reason, at, balance?.deadline) };
      } else if (!trip && tripped) {
        tripped = undefined;
        context.condition(switchKey, undefined, false, at);
      }
      if (tripped) context.condition(switchKey, tripped.spec, true, at);
      if (tripped || balance || wasDoubted) context.suspect(levelPoint, doubt());
      wasDoubted = tripped !== undefined || balance !== undefined;
    };

    const onSample = (sample: Sample, at = context.now()) => {
      if (sample.point === flowPoint) {
        advance(at);
        if (sample.quality === 'good' && typeof sample.value === 'number' && Number.isFinite(sample.value)) {
          flow = { m3h: sample.value };
          // a gauge that does not move sends nothing (OPC-UA reports changes only): the meter's readings judge it
          if (!transferring(at)) reset();
          return judge(at);
        }
        // a lost meter: the volume since the last good reading is not known, the balance starts over
        flow = undefined;
        reset();
        return;
      }
      if (sample.point === levelPoint) {
        if (sample.quality !== 'good' || typeof sample.value !== 'number' || !Number.isFinite(sample.value)) return;
        level = sample.value;
        // an idle tank (no flow reading, no declared transfer), as most are: nothing flows, nothing to balance
        if (flow === undefined && declared === undefined) {
          reset();
          return checkSwitch(at);
        }
        advance(at);
        if (!transferring(at)) reset(); // the balance is over transfers only: a window starts with one
        judge(at);
        return checkSwitch(at);
      }
      if (sample.point === switchPoint) {
        switchTrips = sample.quality === 'good' && sample.value === true;
        checkSwitch(at);
      }
    };
    const onTransfer = (declaration: TransferDeclaration) => {
      if (declaration.tank !== tank.id) return;
      const at = context.now();
      advance(at);
      declared = declaration;
      if (!transferring(at)) reset();
      judge(at);
      arm(at);
    };
    watchers.push({ points: [levelPoint, ...(flowPoint ? [flowPoint] : []), ...(switchPoint ? [switchPoint] : [])], onSample, onTransfer });
  }
  return watchers;
}
