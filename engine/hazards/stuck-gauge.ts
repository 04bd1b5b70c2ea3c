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
  const { site } = context;
  const settings: Settings = {
    context,
    definition,
    windowMs: params.number('balanceWindowMinutes') * MINUTE_MS,
    minExpected: params.number('minExpectedChangeM'),
    resolution: params.number('stuckResolutionM'),
    tolerance: params.number('balanceTolerance'),
    minFlow: params.number('minFlowM3h'),
    stepMs: params.number('deadlineStepMinutes') * MINUTE_MS,
    density: params.table('density'),
    checkMs: params.number('declaredCheckSeconds') * 1000,
    clock: new Intl.DateTimeFormat('en-GB', { timeZone: site.timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  };
  const pointOf = (asset: string, name: string) => site.points.find((p) => p.asset === asset && p.name === name)?.id;
  const watchers: HazardWatcher[] = [];
  for (const tank of site.assets.filter((a): a is Tank => a.kind === 'tank')) {
    const levelPoint = pointOf(tank.id, 'level');
    // every tank with a gauge: a declared transfer makes one without a meter or a switch worth watching
    if (!levelPoint) continue;
    const dike = site.assets.find((a): a is Dike => a.kind === 'dike' && a.id === tank.attributes.dike);
    watchers.push(
      new GaugeWatch(settings, tank, dike, {
        level: levelPoint,
        flow: pointOf(tank.id, 'flow'),
        switch: pointOf(tank.id, 'level_switch_hh'),
        inlet: pointOf(tank.id, 'inlet_valve_open'),
        outlet: pointOf(tank.id, 'outlet_valve_open'),
      }),
    );
  }
  return watchers;
}

/** What every tank's watch of one site shares: the model's parameters, read once. */
interface Settings {
  context: HazardContext;
  definition: HazardDefinition;
  windowMs: number;
  minExpected: number;
  resolution: number;
  tolerance: number;
  minFlow: number;
  stepMs: number;
  density: ReturnType<ReturnType<typeof hazardParams>['table']>;
  checkMs: number;
  clock: Intl.DateTimeFormat;
}

/**
 * The watch of one tank's gauge. A class, not a set of closures: a large site holds hundreds of tanks,
 * and methods on the prototype cost nothing per tank.
 */
class GaugeWatch implements HazardWatcher {
  readonly points: string[];
  /** bound once: the site's points call it without its watcher */
  readonly onSample: (sample: Sample, at?: number) => void;
  private readonly area: number;
  private readonly critical: number | undefined;
  private readonly balanceKey: string;
  private readonly switchKey: string;
  private checkpoints: Checkpoint[] = [];
  /** the flow meter's last good reading, m³/h: undefined while it has none */
  private flow: { m3h: number } | undefined;
  /** the transfer declared on this tank, while it stands (its end passed: forgotten at the next look) */
  private declared: TransferDeclaration | undefined;
  private tick: { unsubscribe(): void } | undefined;
  /** the volume the flow (the meter's, or the declared rate) has put in, m³, up to `volumeAt` */
  private volume = 0;
  private volumeAt: number | undefined;
  private level: number | undefined;
  /** the level and the meter's volume when the gauge last agreed with the flow (or the transfer began) */
  private trusted: { level: number; volume: number } | undefined;
  private balance: { kind: 'stuck' | 'disagree'; reason: string; since: number; deadline: number | undefined; spec: AlarmSpec } | undefined;
  private tripped: { reason: string; since: number; spec: AlarmSpec } | undefined;
  /** whether the level was doubted when last told: telling it again that nothing is doubted is skipped */
  private wasDoubted = false;
  /** the high-high switch's last reading is a good `true` (kept from its samples: read on every level sample, without a lookup) */
  private switchTrips = false;

  constructor(
    private readonly settings: Settings,
    private readonly tank: Tank,
    private readonly dike: Dike | undefined,
    private readonly at: { level: string; flow: string | undefined; switch: string | undefined; inlet: string | undefined; outlet: string | undefined },
  ) {
    this.points = [at.level, ...(at.flow ? [at.flow] : []), ...(at.switch ? [at.switch] : [])];
    this.onSample = this.receive.bind(this);
    this.area = (Math.PI * tank.attributes.diameter ** 2) / 4;
    this.critical = tank.attributes.levelCriticalHigh;
    this.balanceKey = hazardAlarmKey('stuck-gauge', tank.id);
    this.switchKey = hazardAlarmKey('stuck-gauge', `${tank.id}.level_switch_hh`);
  }

  /** when the tank reaches critical high if the flow meter is right: the level it estimates, rising at the flow */
  private overfillAt(estimate: number, at: number): number | undefined {
    const m3h = this.rateAt(at);
    if (this.critical === undefined || m3h === undefined || m3h <= 0) return undefined;
    return at + Math.round((Math.max(0, this.critical - estimate) / (m3h / this.area)) * 3_600_000);
  }

  private spec(severity: number, reason: Bilingual, since: number, deadline: number | undefined): AlarmSpec {
    const { context, definition, density, clock } = this.settings;
    const { tank, dike } = this;
    const wind = windNow(context);
    // drawn when an alarm is built, not held per tank
    const dikeZone = dike ? [polygonFeatures(context.site.location, dike.attributes.outline, { name: dike.name, kind: 'dike' })] : [];
    const incident: IncidentDetails = {
      hazard: 'stuck-gauge',
      ...zonesOf(dikeZone),
      affected: [tank.id],
      inventory: inventoryOf(context, [tank], density),
      ...(wind ? { wind } : {}),
      countdowns: deadline === undefined ? [] : [{ kind: 'overfill', label: { zh: '按流量估算的冒罐时间', en: 'Overfill by the flow meter' }, deadline }],
    };
    const values = { since: clock.format(since), reason };
    return { ...hazardSpec(definition, context.standard, 'stuck-gauge', { values, name: tank.name, subjects: [tank.id], incident }), severity: severity as AlarmSpec['severity'] };
  }

  /** starts the balance over (no allocation when there is nothing to drop: this runs on every idle tank's reading) */
  private reset(): void {
    if (this.checkpoints.length > 0) this.checkpoints = [];
    this.trusted = undefined;
  }

  /** the reason the level is doubted now (the switch's first: it is the surer word), or none */
  private doubt(): string | undefined {
    return this.tripped?.reason ?? this.balance?.reason;
  }

  /** the declared transfer standing at `at`, if any */
  private declaredAt(at: number): TransferDeclaration | undefined {
    const { declared } = this;
    return declared !== undefined && at < declared.until ? declared : undefined;
  }

  /** the flow at `at`, m³/h (+ in): the meter's good reading, else a declared transfer's rate */
  private rateAt(at: number): number | undefined {
    if (this.flow) return this.flow.m3h;
    const d = this.declaredAt(at);
    return d ? (d.direction === 'in' ? d.rateM3h : -d.rateM3h) : undefined;
  }

  private valveOpen(point: string | undefined, at: number, m3h: number): boolean {
    // a declared transfer that way: its valve is taken as open
    const d = this.declaredAt(at);
    if (d && (d.direction === 'in') === m3h > 0) return true;
    if (!point) return true; // no position: the flow meter's word alone
    const s = this.settings.context.latest(point);
    return s?.quality === 'good' && s.value === true;
  }

  private transferring(at: number): boolean {
    const m3h = this.rateAt(at);
    return m3h !== undefined && Math.abs(m3h) >= this.settings.minFlow && this.valveOpen(m3h > 0 ? this.at.inlet : this.at.outlet, at, m3h);
  }

  /** the volume up to `at`: the meter's last reading held since, or the declared rate until its end */
  private advance(at: number): void {
    const from = this.volumeAt ?? at;
    this.volumeAt = at;
    const { flow, declared } = this;
    if (flow) this.volume += (flow.m3h * (at - from)) / 3_600_000;
    else if (declared) {
      const m3h = declared.direction === 'in' ? declared.rateM3h : -declared.rateM3h;
      this.volume += (m3h * Math.max(0, Math.min(at, declared.until) - from)) / 3_600_000;
    }
  }

  /** while a declared transfer stands on a tank without a good meter reading, the level is judged on a timer */
  private arm(at: number): void {
    this.tick?.unsubscribe();
    this.tick = undefined;
    if (!this.declaredAt(at)) {
      this.declared = undefined;
      return;
    }
    const { context, checkMs } = this.settings;
    this.tick = context.schedule(
      () => {
        const now = context.now();
        this.advance(now);
        if (!this.flow) {
          if (!this.transferring(now)) this.reset();
          this.judge(now);
        }
        this.arm(now);
      },
      Math.min(checkMs, this.declared!.until - at),
    );
  }

  private judge(at: number): void {
    const { level, volume, area } = this;
    if (level === undefined || !this.transferring(at)) return;
    const { context, definition, windowMs, minExpected, resolution, tolerance, stepMs } = this.settings;
    this.checkpoints.push({ at, level, volume });
    this.trusted ??= { level, volume };
    const { checkpoints } = this;
    let start = -1;
    for (let i = checkpoints.length - 1; i >= 0 && start < 0; i--) if (checkpoints[i]!.at <= at - windowMs) start = i;
    if (start < 0) return;
    this.checkpoints = checkpoints.slice(start);
    const then = this.checkpoints[0]!;
    const expected = (volume - then.volume) / area;
    if (Math.abs(expected) < minExpected) return;
    const observed = level - then.level;
    const minutes = Math.round((at - then.at) / MINUTE_MS);
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
    if (!reason) this.trusted = { level: then.level, volume: then.volume };
    const trusted = this.trusted!;
    // the level the meter says the tank has reached: the last level the gauge was right about, plus what flowed in since
    const deadline = this.overfillAt(trusted.level + (volume - trusted.volume) / area, at);
    // re-issued when the reason changes (disagreeing, then not moving at all) or the countdown moves
    const { balance } = this;
    const moved = balance !== undefined && (kind !== balance.kind || (deadline !== undefined && Math.abs(deadline - (balance.deadline ?? Infinity)) > stepMs));
    if (reason && (!balance || moved)) {
      const since = balance?.since ?? at;
      this.balance = { kind, reason: reason.en, since, deadline, spec: this.spec(definition.severity, reason, since, deadline) };
      context.condition(this.balanceKey, this.balance.spec, true, at);
    } else if (!reason && balance) {
      this.balance = undefined;
      context.condition(this.balanceKey, undefined, false, at);
    } else if (balance) context.condition(this.balanceKey, balance.spec, true, at);
    context.suspect(this.at.level, this.doubt());
  }

  private checkSwitch(at: number): void {
    if (!this.at.switch) return;
    const { context } = this.settings;
    const trip = this.switchTrips;
    const { level } = this;
    const hh = this.tank.attributes.levelHighHigh;
    const below = level !== undefined && hh !== undefined && level < hh;
    if (trip && below && !this.tripped) {
      const reason = {
        zh: `独立高高液位开关已动作，而液位计读数 ${level} m 低于高高液位 ${hh} m`,
        en: `the independent high-high switch has tripped while the gauge reads ${level} m, below high-high ${hh} m`,
      };
      this.tripped = { reason: reason.en, since: at, spec: this.spec(1, reason, at, this.balance?.deadline) };
    } else if (!trip && this.tripped) {
      this.tripped = undefined;
      context.condition(this.switchKey, undefined, false, at);
    }
    if (this.tripped) context.condition(this.switchKey, this.tripped.spec, true, at);
    if (this.tripped || this.balance || this.wasDoubted) context.suspect(this.at.level, this.doubt());
    this.wasDoubted = this.tripped !== undefined || this.balance !== undefined;
  }

  private receive(sample: Sample, at = this.settings.context.now()): void {
    if (sample.point === this.at.flow) {
      this.advance(at);
      if (sample.quality === 'good' && typeof sample.value === 'number' && Number.isFinite(sample.value)) {
        this.flow = { m3h: sample.value };
        // a gauge that does not move sends nothing (OPC-UA reports changes only): the meter's readings judge it
        if (!this.transferring(at)) this.reset();
        return this.judge(at);
      }
      // a lost meter: the volume since the last good reading is not known, the balance starts over
      this.flow = undefined;
      this.reset();
      return;
    }
    if (sample.point === this.at.level) {
      if (sample.quality !== 'good' || typeof sample.value !== 'number' || !Number.isFinite(sample.value)) return;
      this.level = sample.value;
      // an idle tank (no flow reading, no declared transfer), as most are: nothing flows, nothing to balance
      if (this.flow === undefined && this.declared === undefined) {
        this.reset();
        return this.checkSwitch(at);
      }
      this.advance(at);
      if (!this.transferring(at)) this.reset(); // the balance is over transfers only: a window starts with one
      this.judge(at);
      return this.checkSwitch(at);
    }
    if (sample.point === this.at.switch) {
      this.switchTrips = sample.quality === 'good' && sample.value === true;
      this.checkSwitch(at);
    }
  }

  onTransfer(declaration: TransferDeclaration): void {
    if (declaration.tank !== this.tank.id) return;
    const at = this.settings.context.now();
    this.advance(at);
    this.declared = declaration;
    if (!this.transferring(at)) this.reset();
    this.judge(at);
    this.arm(at);
  }
}

const mm = (m: number) => Math.round(m * 1000);
