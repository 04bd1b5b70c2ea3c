import type { Logger } from 'pino';
import type { Asset, ClauseResult, Evidence, Point, Sample, Verdict } from '../model/index.ts';
import type { CelObject, CompiledClause, Standard } from '../standards/index.ts';
import { EngineError } from './engine-errors.ts';

/** One clause on one subject asset: its compiled check and its current verdict. */
export interface SubjectEvaluator {
  readonly clause: CompiledClause;
  readonly subject: Asset;
  /** point ids read, in the clause's `reads` order */
  readonly points: readonly string[];
  /** static values the verdict rests on: asset attributes, params, derived values */
  readonly thresholds: Readonly<Record<string, unknown>>;
  /** current verdict with its evidence */
  result: ClauseResult;
  /** re-evaluates from the latest samples; returns the new result only when the verdict changed */
  evaluate(latest: ReadonlyMap<string, Sample>, now: number): ClauseResult | undefined;
}

export interface EvaluatorContext {
  siteId: string;
  standard: Standard;
  cel: { site: CelObject; assets: Map<string, CelObject> };
  /** the site's points by id */
  points: ReadonlyMap<string, Point>;
  logger: Logger;
  now: number;
}

/** Builds the evaluator of `clause` on `subject`, computing its static values once. */
export function createSubjectEvaluator(clause: CompiledClause, subject: Asset, ctx: EvaluatorContext): SubjectEvaluator {
  const { siteId, standard, logger } = ctx;
  const asset = ctx.cel.assets.get(subject.id)!;
  const base: Record<string, unknown> = { asset, site: ctx.cel.site, params: clause.paramsValue };
  const points = clause.reads.map((name) => `${subject.id}.${name}`);
  const log = logger.child({ clause: clause.id, subject: subject.id });

  for (const [i, name] of clause.reads.entries()) {
    const point = ctx.points.get(points[i]!);
    if (!point) log.warn({ point: points[i] }, 'clause reads a point the site does not define; the verdict stays unknown');
    else if (point.unit !== clause.readUnits[name])
      throw new EngineError(
        'ENGINE_UNIT_MISMATCH',
        `site ${siteId}: point ${point.id} is in ${point.unit} but ${standard.key} clause ${clause.id} reads it in ${clause.readUnits[name]}`,
      );
  }

  let applicable = true;
  let broken: string | undefined;
  try {
    if (clause.programs.when) applicable = clause.programs.when(base) === true;
    for (const [name, program] of clause.programs.derive) if (applicable) base[name] = program(base);
  } catch (error) {
    broken = (error as Error).message;
    log.warn({ err: broken }, 'static part of the clause cannot be evaluated on this subject; the verdict stays unknown');
  }

  const thresholds: Record<string, unknown> = {};
  for (const field of clause.assetFields) thresholds[`asset.${field}`] = asset[field];
  for (const [name, param] of Object.entries(clause.params)) thresholds[`params.${name}`] = param.value;
  for (const [name] of clause.programs.derive) if (name in base) thresholds[name] = base[name];

  const context: Record<string, unknown> = { ...base };
  const names = clause.reads;
  const jsTypes = names.map((n) => (clause.readTypes[n] === 'bool' ? 'boolean' : 'number'));
  const expression = clause.programs.expression;

  const makeResult = (verdict: Verdict, evidence: Evidence[], since: number): ClauseResult => ({
    site: siteId,
    clause: clause.id,
    subject: subject.id,
    verdict,
    since,
    evidence,
    thresholds,
    standard: standard.key,
  });
  const evidenceOf = (latest: ReadonlyMap<string, Sample>, now: number): Evidence[] =>
    points.map((id) => {
      const s = latest.get(id);
      return s ? { point: id, value: s.value, quality: s.quality, ts: s.ts } : { point: id, value: null, quality: 'bad', ts: now };
    });

  const evaluator: SubjectEvaluator = {
    clause,
    subject,
    points,
    thresholds,
    result: makeResult(applicable ? 'unknown' : 'not-applicable', evidenceOf(new Map(), ctx.now), ctx.now),
    evaluate(latest, now) {
      if (!applicable || broken !== undefined) return undefined;
      let verdict: Verdict = 'unknown';
      let complete = true;
      for (let i = 0; i < points.length; i++) {
        const sample = latest.get(points[i]!);
        if (!sample || sample.quality !== 'good' || typeof sample.value !== jsTypes[i]) {
          complete = false;
          break;
        }
        context[names[i]!] = sample.value;
      }
      if (complete) {
        try {
          const value = expression(context);
          verdict = value === true ? 'pass' : value === false ? 'fail' : 'unknown';
        } catch (error) {
          log.warn({ err: (error as Error).message }, 'expression failed on live values; verdict unknown');
        }
      }
      if (verdict === evaluator.result.verdict) return undefined;
      evaluator.result = makeResult(verdict, evidenceOf(latest, now), now);
      return evaluator.result;
    },
  };
  return evaluator;
}
