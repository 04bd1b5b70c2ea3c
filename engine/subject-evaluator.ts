import type { Logger } from 'pino';
import type { Bilingual, ClauseResult, Evidence, Point, Sample, Verdict } from '../model/index.ts';
import { readsAsset, staticBase, type CelProgram, type CompiledClause, type Positional, type SiteCel, type Standard } from '../standards/index.ts';
import { EngineError } from './engine-errors.ts';

/** What a clause is evaluated on: an asset, or the site itself. */
export interface SubjectRef {
  id: string;
  name: Bilingual;
}

/** One live clause on one subject: its compiled check and its current (undelayed) verdict. */
export interface SubjectEvaluator {
  readonly clause: CompiledClause;
  readonly subject: SubjectRef;
  /** point ids read, in the clause's `reads` order (every asset of the kind, for a site clause) */
  readonly points: readonly string[];
  /** static values the verdict rests on: asset attributes, params, derived values */
  readonly thresholds: Readonly<Record<string, unknown>>;
  /** current verdict with its evidence, before delay-on / delay-off */
  result: ClauseResult;
  /** re-evaluates from the latest samples (the context's cells); returns the new result only when the verdict changed */
  evaluate(now: number): ClauseResult | undefined;
}

/** Where the site runtime keeps the latest sample of one point: one holder per point, read without a lookup. */
export interface PointCell {
  sample?: Sample;
}

export interface EvaluatorContext {
  siteId: string;
  standard: Standard;
  cel: SiteCel;
  /** the site's points by id */
  points: ReadonlyMap<string, Point>;
  /** the latest sample of each point the site runtime accepts samples of, by point id */
  cells: ReadonlyMap<string, PointCell>;
  /** asset ids by kind, in site order */
  assetsOfKind: ReadonlyMap<string, readonly string[]>;
  logger: Logger;
  now: number;
}

interface Slot {
  variable: string;
  /** where the variable sits in the values the clause's programs are called on */
  position: number;
  /** the asset id, for a read that fills a map; undefined for a read of the subject itself */
  key?: string;
  point: string;
  /** the point's latest sample; none when the site has no such point */
  cell?: PointCell;
  jsType: 'number' | 'boolean';
}

/** What a live clause's evaluators share, worked out once per clause (not once per subject). */
export interface ClausePlan {
  /** the names the programs read that change between calls: readings, then computed values */
  names: readonly string[];
  /** each binding's position among `names` and JS type, in the clause's binding order */
  reads: readonly { position: number; jsType: 'number' | 'boolean' }[];
  /** the deadband of a reading, by its position among `names` */
  deadband: readonly (readonly [number, number])[];
}

export function planClause(clause: CompiledClause): ClausePlan {
  const names = [...new Set(clause.bindings.map((b) => b.variable)), ...clause.programs.compute.map(([name]) => name)];
  return {
    names,
    reads: clause.bindings.map((b) => ({ position: names.indexOf(b.variable), jsType: b.type === 'bool' ? 'boolean' : 'number' })),
    deadband: Object.entries(clause.deadband).map(([name, band]) => [names.indexOf(clause.bindings.find((b) => b.name === name)!.variable), band] as const),
  };
}

/**
 * What the evaluators of one site share before any reading arrives: the "no reading yet" evidence and
 * reason of each point, the same for every clause and subject reading it (built at the same instant).
 */
export interface NotYetRead {
  evidence: Map<string, Evidence>;
  reasons: Map<string, Bilingual | undefined>;
}

export const notYetRead = (): NotYetRead => ({ evidence: new Map(), reasons: new Map() });

type Computed = readonly (readonly [position: number, name: string, program: Positional])[];
const NO_COMPUTED: Computed = [];
const NO_THRESHOLDS: Readonly<Record<string, unknown>> = Object.freeze({});

/** Builds the evaluator of a live `clause` on `subject`, computing its static values once. */
export function createSubjectEvaluator(
  clause: CompiledClause,
  subject: SubjectRef,
  ctx: EvaluatorContext,
  plan: ClausePlan = planClause(clause),
  shared: NotYetRead = notYetRead(),
): SubjectEvaluator {
  return new LiveSubject(clause, subject, ctx, plan, shared);
}

/**
 * A live clause on one subject. A class, not a set of closures: a site holds thousands of these, and
 * methods on the prototype cost nothing per subject (each closure of a subject held its own context
 * and, under tsx's keepNames, its own property store for its name).
 */
class LiveSubject implements SubjectEvaluator {
  readonly points: readonly string[];
  readonly thresholds: Readonly<Record<string, unknown>>;
  result: ClauseResult;
  private readonly siteId: string;
  private readonly standardKey: string;
  private readonly logger: Logger;
  private readonly sitePoints: ReadonlyMap<string, Point>;
  private readonly slots: readonly Slot[];
  private readonly applicable: boolean;
  private readonly broken: string | undefined;
  /** one array of values per subject, reused: readings and computed values are written into it, never copied */
  private readonly values: unknown[];
  private readonly expression: Positional;
  private readonly compute: Computed;
  /** the computed values the verdict needs, worked out on each evaluation */
  private readonly forVerdict: Computed;
  /** the rest (an inventory shown with the verdict), only when the verdict changes */
  private readonly forEvidence: Computed;
  private readonly deadband: ClausePlan['deadband'];
  /** the good readings last evaluated, by slot; `filled` once every slot has one */
  private readonly readings: unknown[];
  private filled = false;

  constructor(
    readonly clause: CompiledClause,
    readonly subject: SubjectRef,
    ctx: EvaluatorContext,
    plan: ClausePlan,
    shared: NotYetRead,
  ) {
    const { siteId, standard } = ctx;
    this.siteId = siteId;
    this.standardKey = standard.key;
    this.logger = ctx.logger;
    this.sitePoints = ctx.points;
    const { names } = plan;
    const slots: Slot[] = [];
    for (const [i, b] of clause.bindings.entries()) {
      const { position, jsType } = plan.reads[i]!;
      // the site's own id string when it has the point (one string per point, not one built per clause and subject)
      const slot = (point: string, key?: string): Slot => ({ variable: b.variable, position, key, point: ctx.points.get(point)?.id ?? point, cell: ctx.cells.get(point), jsType });
      if (b.kind) {
        for (const asset of ctx.assetsOfKind.get(b.kind) ?? [])
          if (readsAsset(b, subject.id, ctx.cel.assets.get(asset) as Record<string, unknown> | undefined)) slots.push(slot(`${asset}.${b.point}`, asset));
      } else slots.push(slot(`${subject.id}.${b.point}`));
    }
    this.slots = slots;
    const points = slots.map((s) => s.point);
    this.points = points;
    for (const slot of slots) {
      const point = ctx.points.get(slot.point);
      const unit = clause.bindings.find((b) => b.variable === slot.variable)!.unit;
      if (!point) this.warn({ point: slot.point }, 'clause reads a point the site does not define; the verdict stays unknown');
      else if (point.unit !== unit)
        throw new EngineError('ENGINE_UNIT_MISMATCH', `site ${siteId}: point ${point.id} is in ${point.unit} but ${standard.key} clause ${clause.id} reads it in ${unit}`);
    }

    const base = staticBase(clause, ctx.cel, subject.id);
    this.applicable = base.applicable;
    this.broken = base.broken;
    if (base.broken !== undefined) this.warn({ err: base.broken }, 'static part of the clause cannot be evaluated on this subject; the verdict stays unknown');
    // a clause with no static values on a subject (most live ones): one empty record for them all, not one each
    this.thresholds = Object.keys(base.thresholds).length === 0 ? NO_THRESHOLDS : base.thresholds;
    const values: unknown[] = Array.from({ length: names.length }, () => undefined);
    for (const slot of slots) if (slot.key !== undefined) values[slot.position] ??= {};
    this.values = values;
    this.readings = new Array<unknown>(slots.length);
    // the asset, params, site and derived values stay as they are: what reads only them is computed once per
    // subject (standards/expression-compiler.ts), and the programs read the other names by position
    const usable = base.applicable && base.broken === undefined;
    const specialize = (program: CelProgram): Positional =>
      usable && program.specialize
        ? program.specialize(base.context, names)
        : (v: unknown[]) => program({ ...base.context, ...Object.fromEntries(names.map((n, i) => [n, v[i]])) });
    this.expression = specialize(clause.programs.expression!);
    const compute: Computed =
      clause.programs.compute.length === 0 ? NO_COMPUTED : clause.programs.compute.map(([name, program]) => [names.indexOf(name), name, specialize(program)] as const);
    this.compute = compute;
    // none needed for the verdict when a known operand decides the expression on this subject
    this.forVerdict = this.expression.constant || compute.length === 0 ? NO_COMPUTED : compute.filter(([, name]) => clause.computeForVerdict.has(name));
    this.forEvidence = this.forVerdict.length === 0 ? compute : compute.filter((c) => !this.forVerdict.includes(c));
    this.deadband = plan.deadband;
    this.result = base.applicable
      ? this.makeResult(
          'unknown',
          points.map((id) => notReadEvidence(shared, id, ctx.now)),
          ctx.now,
          undefined,
          firstReason(shared, base.broken, slots, ctx.points),
        )
      : this.makeResult('not-applicable', [], ctx.now);
  }

  evaluate(now: number): ClauseResult | undefined {
    if (!this.applicable || this.broken !== undefined) return undefined;
    const { slots, values, readings } = this;
    let complete = true;
    let missing: Slot | undefined;
    // the same good readings as last time give the same verdict: no need to run the expression
    let same = this.filled;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      const sample = slot.cell?.sample;
      if (!sample || sample.quality !== 'good' || typeof sample.value !== slot.jsType) {
        complete = false;
        missing = slot;
        break;
      }
      const value = sample.value;
      if (same && readings[i] === value) continue;
      same = false;
      readings[i] = value;
      if (slot.key === undefined) values[slot.position] = value;
      else (values[slot.position] as Record<string, unknown>)[slot.key] = value;
    }
    this.filled = complete;
    if (complete && same) return undefined;
    const previous = this.result.verdict;
    let verdict: Verdict = 'unknown';
    let computed: Record<string, unknown> | undefined;
    if (complete) {
      try {
        const ok = this.judge();
        verdict = ok === true ? 'pass' : ok === false ? 'fail' : 'unknown';
        if (verdict !== previous) computed = this.computedNow();
        // hysteresis: a failing clause passes again only when it passes with every deadband read moved both ways
        if (verdict === 'pass' && previous === 'fail' && !this.clearOfDeadband()) verdict = 'fail';
      } catch (error) {
        this.warn({ err: (error as Error).message }, 'expression failed on live values; verdict unknown');
      }
    }
    if (verdict === previous) return undefined;
    this.result = this.makeResult(verdict, this.evidenceOf(now), now, computed, verdict === 'unknown' ? unknownReason(this.broken, slots, this.sitePoints, missing) : undefined);
    return this.result;
  }

  private makeResult(verdict: Verdict, evidence: Evidence[], since: number, computed?: Record<string, unknown>, reason?: Bilingual): ClauseResult {
    return {
      site: this.siteId,
      clause: this.clause.id,
      subject: this.subject.id,
      verdict,
      since,
      evidence,
      thresholds: computed ? { ...this.thresholds, ...computed } : this.thresholds,
      standard: this.standardKey,
      ...(reason ? { reason } : {}),
    };
  }

  private evidenceOf(now: number): Evidence[] {
    return this.slots.map(({ point: id, cell }) => {
      const s = cell?.sample;
      return s ? { point: id, value: s.value, quality: s.quality, ts: s.ts } : { point: id, value: null, quality: 'bad', ts: now };
    });
  }

  /** the clause's verdict on the readings now in `values` (computed values are left in it) */
  private judge(): unknown {
    const { forVerdict, values } = this;
    for (let i = 0; i < forVerdict.length; i++) {
      const [position, , program] = forVerdict[i]!;
      values[position] = program(values);
    }
    return this.expression(values);
  }

  /** the computed values a verdict rests on, copied out of the values (after a judge() on the same readings) */
  private computedNow(): Record<string, unknown> | undefined {
    const { compute, values } = this;
    if (compute.length === 0) return undefined;
    for (const [position, , program] of this.forEvidence) values[position] = program(values);
    const computed: Record<string, unknown> = {};
    for (const [position, name] of compute) computed[name] = values[position];
    return computed;
  }

  /** Whether the clause still passes with each deadband reading (by position) moved by its band both ways; `values` is left as it was found. */
  private clearOfDeadband(): boolean {
    const { values } = this;
    let clear = true;
    for (const [position, band] of this.deadband) {
      const value = values[position];
      for (const sign of [1, -1]) {
        values[position] =
          typeof value === 'number' ? value + sign * band : Object.fromEntries(Object.entries(value as Record<string, number>).map(([k, v]) => [k, v + sign * band]));
        try {
          clear = this.judge() === true;
        } finally {
          values[position] = value;
        }
        if (!clear) break;
      }
      if (!clear) break;
    }
    this.judge(); // computed values back to the unmoved readings
    return clear;
  }

  /** logs on the engine's logger with the clause and subject (no child logger per subject: thousands per site) */
  private warn(obj: object, msg: string): void {
    this.logger.warn({ clause: this.clause.id, subject: this.subject.id, ...obj }, msg);
  }
}

/** a point's evidence before any reading: one object per point, shared by every subject reading it */
function notReadEvidence(shared: NotYetRead, id: string, now: number): Evidence {
  let evidence = shared.evidence.get(id);
  if (evidence === undefined || evidence.ts !== now) shared.evidence.set(id, (evidence = { point: id, value: null, quality: 'bad', ts: now }));
  return evidence;
}

/** why a new evaluator is unknown: as unknownReason says, the reason of a point with no reading yet shared by every subject reading it */
function firstReason(shared: NotYetRead, broken: string | undefined, slots: readonly Slot[], points: ReadonlyMap<string, Point>): Bilingual | undefined {
  const slot = slots.find((s) => !points.has(s.point)) ?? slots[0];
  if (broken !== undefined || slot === undefined || slot.cell?.sample !== undefined) return unknownReason(broken, slots, points, slots[0]);
  if (!shared.reasons.has(slot.point)) shared.reasons.set(slot.point, unknownReason(broken, slots, points, slot));
  return shared.reasons.get(slot.point);
}

/**
 * Why a clause is unknown on a subject: its static part is broken; a point it reads is not mapped (that
 * stays the reason whatever else is missing); else `missing`, the first slot without a good reading.
 * Made when a verdict changes to unknown; a new evaluator shares the reason of a point not read yet (firstReason).
 */
function unknownReason(broken: string | undefined, slots: readonly Slot[], points: ReadonlyMap<string, Point>, missing: Slot | undefined): Bilingual | undefined {
  if (broken !== undefined) return { zh: `条款无法在此对象上求值：${broken}`, en: `the clause cannot be evaluated on this subject: ${broken}` };
  const slot = slots.find((s) => !points.has(s.point)) ?? missing;
  return slot ? readingMissing(slot.point, points.get(slot.point), slot.cell?.sample, slot.jsType) : undefined;
}

/**
 * Why a point gives the clause no reading: not mapped by the site ("not monitored" — never "not
 * applicable"), nothing delivered yet, a reading that is not good, or one of the wrong type.
 */
export function readingMissing(id: string, point: Point | undefined, sample: Sample | undefined, jsType: 'number' | 'boolean'): Bilingual {
  if (!point) return { zh: `未监测：站点未映射 ${id}`, en: `not monitored: ${id} is not mapped` };
  if (!sample) return { zh: `未监测：${id} 尚无读数（数据源 ${point.source}）`, en: `not monitored: no reading of ${id} has arrived (source ${point.source})` };
  if (sample.quality !== 'good') {
    const why = sample.reason ? `: ${sample.reason}` : '';
    return sample.quality === 'bad' ? { zh: `${id} 读数无效${why}`, en: `${id} is bad${why}` } : { zh: `${id} 读数可疑${why}`, en: `${id} is uncertain${why}` };
  }
  return { zh: `${id} 读数类型不符（应为${jsType === 'number' ? '数值' : '布尔'}）`, en: `${id} is not a ${jsType}` };
}
