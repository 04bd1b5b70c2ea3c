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

/** Builds the evaluator of a live `clause` on `subject`, computing its static values once. */
export function createSubjectEvaluator(clause: CompiledClause, subject: SubjectRef, ctx: EvaluatorContext): SubjectEvaluator {
  const { siteId, standard, logger } = ctx;
  // a child logger per clause and subject only when there is something to say (thousands of subjects per site)
  const log = { warn: (obj: object, msg: string) => logger.warn({ clause: clause.id, subject: subject.id, ...obj }, msg) };
  // the names the programs read that change between calls: readings, then computed values
  const names = [...new Set(clause.bindings.map((b) => b.variable)), ...clause.programs.compute.map(([name]) => name)];
  const slots: Slot[] = [];
  for (const b of clause.bindings) {
    const jsType = b.type === 'bool' ? 'boolean' : 'number';
    const position = names.indexOf(b.variable);
    // the site's own id string when it has the point (one string per point, not one built per clause and subject)
    const slot = (point: string, key?: string): Slot => ({ variable: b.variable, position, key, point: ctx.points.get(point)?.id ?? point, cell: ctx.cells.get(point), jsType });
    if (b.kind) {
      for (const asset of ctx.assetsOfKind.get(b.kind) ?? [])
        if (readsAsset(b, subject.id, ctx.cel.assets.get(asset) as Record<string, unknown> | undefined)) slots.push(slot(`${asset}.${b.point}`, asset));
    } else slots.push(slot(`${subject.id}.${b.point}`));
  }
  const points = slots.map((s) => s.point);
  for (const [i, slot] of slots.entries()) {
    const point = ctx.points.get(slot.point);
    const unit = clause.bindings.find((b) => b.variable === slot.variable)!.unit;
    if (!point) log.warn({ point: points[i] }, 'clause reads a point the site does not define; the verdict stays unknown');
    else if (point.unit !== unit)
      throw new EngineError('ENGINE_UNIT_MISMATCH', `site ${siteId}: point ${point.id} is in ${point.unit} but ${standard.key} clause ${clause.id} reads it in ${unit}`);
  }

  const base = staticBase(clause, ctx.cel, subject.id);
  if (base.broken !== undefined) log.warn({ err: base.broken }, 'static part of the clause cannot be evaluated on this subject; the verdict stays unknown');
  const { thresholds } = base;
  // one array of values per subject, reused: readings and computed values are written into it, never copied
  const values: unknown[] = Array.from({ length: names.length }, () => undefined);
  for (const slot of slots) if (slot.key !== undefined) values[slot.position] ??= {};
  // the asset, params, site and derived values stay as they are: what reads only them is computed once per
  // subject (standards/expression-compiler.ts), and the programs read the other names by position
  const usable = base.applicable && base.broken === undefined;
  const specialize = (program: CelProgram): Positional =>
    usable && program.specialize ? program.specialize(base.context, names) : (v: unknown[]) => program({ ...base.context, ...Object.fromEntries(names.map((n, i) => [n, v[i]])) });
  const expression = specialize(clause.programs.expression!);
  const compute = clause.programs.compute.map(([name, program]) => [names.indexOf(name), name, specialize(program)] as const);
  // the computed values the verdict needs, worked out on each evaluation; the rest (an inventory shown with the
  // verdict) only when the verdict changes — none when a known operand decides the expression on this subject
  const forVerdict = expression.constant ? [] : compute.filter(([, name]) => clause.computeForVerdict.has(name));
  const forEvidence = compute.filter((c) => !forVerdict.includes(c));
  const deadband = Object.entries(clause.deadband).map(([name, band]) => [names.indexOf(clause.bindings.find((b) => b.name === name)!.variable), band] as const);

  const makeResult = (verdict: Verdict, evidence: Evidence[], since: number, computed?: Record<string, unknown>, reason?: Bilingual): ClauseResult => ({
    site: siteId,
    clause: clause.id,
    subject: subject.id,
    verdict,
    since,
    evidence,
    thresholds: computed ? { ...thresholds, ...computed } : thresholds,
    standard: standard.key,
    ...(reason ? { reason } : {}),
  });
  const evidenceOf = (now: number): Evidence[] =>
    slots.map(({ point: id, cell }) => {
      const s = cell?.sample;
      return s ? { point: id, value: s.value, quality: s.quality, ts: s.ts } : { point: id, value: null, quality: 'bad', ts: now };
    });
  /** the clause's verdict on the readings now in `values` (computed values are left in it) */
  const judge = (): unknown => {
    for (let i = 0; i < forVerdict.length; i++) {
      const [position, , program] = forVerdict[i]!;
      values[position] = program(values);
    }
    return expression(values);
  };
  /** the computed values a verdict rests on, copied out of the values (after a judge() on the same readings) */
  const computedNow = (): Record<string, unknown> | undefined => {
    if (compute.length === 0) return undefined;
    for (const [position, , program] of forEvidence) values[position] = program(values);
    const computed: Record<string, unknown> = {};
    for (const [position, name] of compute) computed[name] = values[position];
    return computed;
  };

  /** the good readings the context holds, by slot; `filled` once every slot has one */
  const readings: unknown[] = new Array<unknown>(slots.length);
  let filled = false;
  const evaluator: SubjectEvaluator = {
    clause,
    subject,
    points,
    thresholds,
    result: base.applicable
      ? makeResult(
          'unknown',
          points.map((id): Evidence => ({ point: id, value: null, quality: 'bad', ts: ctx.now })),
          ctx.now,
          undefined,
          unknownReason(base.broken, slots, ctx.points, slots[0]),
        )
      : makeResult('not-applicable', [], ctx.now),
    evaluate(now) {
      if (!base.applicable || base.broken !== undefined) return undefined;
      let complete = true;
      let missing: Slot | undefined;
      // the same good readings as last time give the same verdict: no need to run the expression
      let same = filled;
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
      filled = complete;
      if (complete && same) return undefined;
      let verdict: Verdict = 'unknown';
      let computed: Record<string, unknown> | undefined;
      if (complete) {
        try {
          const ok = judge();
          verdict = ok === true ? 'pass' : ok === false ? 'fail' : 'unknown';
          if (verdict !== evaluator.result.verdict) computed = computedNow();
          // hysteresis: a failing clause passes again only when it passes with every deadband read moved both ways
          if (verdict === 'pass' && evaluator.result.verdict === 'fail' && !clearOfDeadband(values, deadband, judge)) verdict = 'fail';
        } catch (error) {
          log.warn({ err: (error as Error).message }, 'expression failed on live values; verdict unknown');
        }
      }
      if (verdict === evaluator.result.verdict) return undefined;
      evaluator.result = makeResult(verdict, evidenceOf(now), now, computed, verdict === 'unknown' ? unknownReason(base.broken, slots, ctx.points, missing) : undefined);
      return evaluator.result;
    },
  };
  return evaluator;
}

/**
 * Why a clause is unknown on a subject: its static part is broken; a point it reads is not mapped (that
 * stays the reason whatever else is missing); else `missing`, the first slot without a good reading.
 * Made only when a verdict changes to unknown, so nothing is held for it per subject.
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

/** Whether the clause still passes with each deadband reading (by position) moved by its band both ways; `values` is left as it was found. */
function clearOfDeadband(values: unknown[], deadband: readonly (readonly [number, number])[], judge: () => unknown): boolean {
  let clear = true;
  for (const [position, band] of deadband) {
    const value = values[position];
    for (const sign of [1, -1]) {
      values[position] =
        typeof value === 'number' ? value + sign * band : Object.fromEntries(Object.entries(value as Record<string, number>).map(([k, v]) => [k, v + sign * band]));
      try {
        clear = judge() === true;
      } finally {
        values[position] = value;
      }
      if (!clear) break;
    }
    if (!clear) break;
  }
  judge(); // computed values back to the unmoved readings
  return clear;
}
