import type { Logger } from 'pino';
import type { Bilingual, ClauseResult, Evidence, Point, Sample, Verdict } from '../model/index.ts';
import { staticBase, type CompiledClause, type SiteCel, type Standard } from '../standards/index.ts';
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
  /** re-evaluates from the latest samples; returns the new result only when the verdict changed */
  evaluate(latest: ReadonlyMap<string, Sample>, now: number): ClauseResult | undefined;
}

export interface EvaluatorContext {
  siteId: string;
  standard: Standard;
  cel: SiteCel;
  /** the site's points by id */
  points: ReadonlyMap<string, Point>;
  /** asset ids by kind, in site order */
  assetsOfKind: ReadonlyMap<string, readonly string[]>;
  logger: Logger;
  now: number;
}

interface Slot {
  variable: string;
  /** the asset id, for a read that fills a map; undefined for a read of the subject itself */
  key?: string;
  point: string;
  jsType: 'number' | 'boolean';
}

/** Builds the evaluator of a live `clause` on `subject`, computing its static values once. */
export function createSubjectEvaluator(clause: CompiledClause, subject: SubjectRef, ctx: EvaluatorContext): SubjectEvaluator {
  const { siteId, standard, logger } = ctx;
  // a child logger per clause and subject only when there is something to say (thousands of subjects per site)
  const log = { warn: (obj: object, msg: string) => logger.warn({ clause: clause.id, subject: subject.id, ...obj }, msg) };
  const slots: Slot[] = [];
  for (const b of clause.bindings) {
    const jsType = b.type === 'bool' ? 'boolean' : 'number';
    if (b.kind) for (const asset of ctx.assetsOfKind.get(b.kind) ?? []) slots.push({ variable: b.variable, key: asset, point: `${asset}.${b.point}`, jsType });
    else slots.push({ variable: b.variable, point: `${subject.id}.${b.point}`, jsType });
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
  const context: Record<string, unknown> = { ...base.context };
  const expression = clause.programs.expression!;
  const deadband = Object.entries(clause.deadband).map(([name, band]) => [clause.bindings.find((b) => b.name === name)!.variable, band] as const);

  const makeResult = (verdict: Verdict, evidence: Evidence[], since: number, computed: Record<string, unknown> = {}): ClauseResult => ({
    site: siteId,
    clause: clause.id,
    subject: subject.id,
    verdict,
    since,
    evidence,
    thresholds: Object.keys(computed).length > 0 ? { ...thresholds, ...computed } : thresholds,
    standard: standard.key,
  });
  const evidenceOf = (latest: ReadonlyMap<string, Sample>, now: number): Evidence[] =>
    points.map((id) => {
      const s = latest.get(id);
      return s ? { point: id, value: s.value, quality: s.quality, ts: s.ts } : { point: id, value: null, quality: 'bad', ts: now };
    });
  /** the clause's verdict for the readings in `context`, with what it computed */
  const noComputed: Record<string, unknown> = {};
  const compute = clause.programs.compute;
  // the context object is reused: readings and computed values are written into it, never copied
  const judge = (values: Record<string, unknown>): { ok: unknown; computed: Record<string, unknown> } => {
    for (const key in values) context[key] = values[key];
    if (compute.length === 0) return { ok: expression(context), computed: noComputed };
    const computed: Record<string, unknown> = {};
    for (const [name, program] of compute) context[name] = computed[name] = program(context);
    return { ok: expression(context), computed };
  };

  const lastValues: unknown[] = [];
  const evaluator: SubjectEvaluator = {
    clause,
    subject,
    points,
    thresholds,
    result: makeResult(base.applicable ? 'unknown' : 'not-applicable', evidenceOf(new Map(), ctx.now), ctx.now),
    evaluate(latest, now) {
      if (!base.applicable || base.broken !== undefined) return undefined;
      const values: Record<string, unknown> = {};
      let complete = true;
      // the same good readings as last time give the same verdict: no need to run the expression
      let same = lastValues.length === slots.length;
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i]!;
        const sample = latest.get(slot.point);
        if (!sample || sample.quality !== 'good' || typeof sample.value !== slot.jsType) {
          complete = false;
          break;
        }
        if (same && lastValues[i] !== sample.value) same = false;
        if (slot.key === undefined) values[slot.variable] = sample.value;
        else ((values[slot.variable] ??= {}) as Record<string, unknown>)[slot.key] = sample.value;
      }
      if (complete && same) return undefined;
      lastValues.length = 0;
      if (complete) for (const slot of slots) lastValues.push(latest.get(slot.point)!.value);
      let verdict: Verdict = 'unknown';
      let computed: Record<string, unknown> = {};
      if (complete) {
        try {
          const judged = judge(values);
          computed = judged.computed;
          verdict = judged.ok === true ? 'pass' : judged.ok === false ? 'fail' : 'unknown';
          // hysteresis: a failing clause passes again only when it passes with every deadband read moved both ways
          if (verdict === 'pass' && evaluator.result.verdict === 'fail' && !clearOfDeadband(values, deadband, judge)) verdict = 'fail';
        } catch (error) {
          log.warn({ err: (error as Error).message }, 'expression failed on live values; verdict unknown');
        }
      }
      if (verdict === evaluator.result.verdict) return undefined;
      evaluator.result = makeResult(verdict, evidenceOf(latest, now), now, computed);
      return evaluator.result;
    },
  };
  return evaluator;
}

function clearOfDeadband(
  values: Record<string, unknown>,
  deadband: readonly (readonly [string, number])[],
  judge: (values: Record<string, unknown>) => { ok: unknown },
): boolean {
  for (const [variable, band] of deadband)
    for (const sign of [1, -1]) {
      const value = values[variable];
      const moved =
        typeof value === 'number'
          ? value + sign * band
          : Object.fromEntries(Object.entries(value as Record<string, number>).map(([k, v]) => [k, v + sign * band]));
      if (judge({ ...values, [variable]: moved }).ok !== true) return false;
    }
  return true;
}
