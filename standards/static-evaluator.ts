import type { ClauseResult, Evidence, Verdict } from '../model/index.ts';
import type { CelObject, SiteCel } from './cel-model.ts';
import type { CompiledClause } from './clause-compiler.ts';
import { addDuration } from './duration.ts';

/** Where a static clause is evaluated: one subject of one site at one instant. */
export interface StaticContext {
  siteId: string;
  /** "<id>@<version>" */
  standard: string;
  cel: SiteCel;
  /** the subject asset's id, or the site id for a site clause */
  subject: string;
  /** ms since epoch (the engine's scheduler time, or the time of an offline check) */
  now: number;
}

export interface StaticVerdict {
  result: ClauseResult;
  /** when the verdict will change by itself (an evidence record expiring), ms since epoch */
  changesAt?: number;
}

/** The applicability and derived values of a clause on a subject, computed from static data. */
export interface StaticBase {
  applicable: boolean;
  /** why the static part could not be evaluated (the verdict is then unknown) */
  broken?: string;
  /** asset, site, params and derived values, ready to evaluate expressions with */
  context: Record<string, unknown>;
  thresholds: Record<string, unknown>;
}

export function staticBase(clause: CompiledClause, cel: SiteCel, subject: string): StaticBase {
  const context: Record<string, unknown> = { site: cel.site, params: clause.paramsValue };
  if (clause.appliesTo !== 'site') context['asset'] = cel.assets.get(subject);
  let applicable = true;
  let broken: string | undefined;
  try {
    if (clause.programs.when) applicable = clause.programs.when(context) === true;
    if (applicable) for (const [name, program] of clause.programs.derive) context[name] = program(context);
  } catch (error) {
    broken = (error as Error).message;
  }
  const thresholds: Record<string, unknown> = {};
  for (const field of clause.assetFields) thresholds[`asset.${field}`] = (context['asset'] as CelObject | undefined)?.[field];
  for (const [name, param] of Object.entries(clause.params)) thresholds[`params.${name}`] = param.value;
  for (const [name] of clause.programs.derive) if (name in context) thresholds[name] = context[name];
  return { applicable, broken, context, thresholds };
}

/** Evaluates a design or evidence clause on one subject. */
export function evaluateStatic(clause: CompiledClause, ctx: StaticContext): StaticVerdict {
  const base = staticBase(clause, ctx.cel, ctx.subject);
  const make = (verdict: Verdict, evidence: Evidence[], extra: Record<string, unknown> = {}): ClauseResult => ({
    site: ctx.siteId,
    clause: clause.id,
    subject: ctx.subject,
    verdict,
    since: ctx.now,
    evidence,
    thresholds: { ...base.thresholds, ...extra },
    standard: ctx.standard,
  });
  if (!base.applicable) return { result: make('not-applicable', []) };
  if (base.broken !== undefined) return { result: make('unknown', [], { error: base.broken }) };
  if (clause.check === 'evidence') return evaluateEvidence(clause, ctx, base, make);

  const evidence = staticEvidence(clause, base.context, ctx);
  try {
    const value = clause.programs.expression!(base.context);
    return { result: make(value === true ? 'pass' : value === false ? 'fail' : 'unknown', evidence) };
  } catch (error) {
    return { result: make('unknown', evidence, { error: (error as Error).message }) };
  }
}

/** The static values an expression read, as evidence: `<subject>.<attribute>` or `site.<path>`. */
export function staticEvidence(clause: CompiledClause, context: Record<string, unknown>, ctx: { subject: string; now: number }): Evidence[] {
  const evidence: Evidence[] = [];
  for (const path of clause.staticPaths) {
    const [root, ...rest] = path.split('.');
    let value: unknown = context[root!];
    for (const key of rest) value = value && typeof value === 'object' ? (value as CelObject)[key] : undefined;
    if (value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value))) continue;
    if (Array.isArray(value) && value.some((v) => typeof v === 'object')) continue;
    evidence.push({ point: root === 'asset' ? `${ctx.subject}.${rest.join('.')}` : path, value, quality: 'good', ts: ctx.now });
  }
  return evidence;
}

function evaluateEvidence(
  clause: CompiledClause,
  ctx: StaticContext,
  base: StaticBase,
  make: (verdict: Verdict, evidence: Evidence[], extra?: Record<string, unknown>) => ClauseResult,
): StaticVerdict {
  const { kind } = clause.evidence!;
  const validFor = clause.validFor!;
  const forSubject = (r: CelObject) => (clause.appliesTo === 'site' ? r['subject'] === undefined || r['subject'] === ctx.siteId : r['subject'] === ctx.subject);
  // the newest record of the kind, dated no later than now (a record from the future proves nothing yet)
  let latest: { record: CelObject; date: number } | undefined;
  let nextDated: number | undefined;
  for (const record of ctx.cel.records) {
    if (record['kind'] !== kind || !forSubject(record)) continue;
    const date = Date.parse(`${String(record['date'])}T00:00:00Z`);
    if (date > ctx.now) nextDated = Math.min(nextDated ?? Infinity, date);
    else if (!latest || date >= latest.date) latest = { record, date };
  }
  const extra = { validFor: validFor.text, kind };
  if (!latest) {
    const missing = [{ point: `record:${kind}`, value: null, quality: 'bad' as const, ts: ctx.now }];
    if (clause.evidence!.missing !== 'unknown') return { result: make('fail', missing, extra), changesAt: nextDated };
    const result = make('unknown', missing, extra);
    // the record kind's Chinese name lives with the page's words (ui/web lib/domain-words); the row already names the clause
    result.reason = { zh: '尚未测得：该记录由运行中的孪生体实测', en: `not measured yet: ${kind} is measured by the running twin` };
    return { result, changesAt: nextDated };
  }

  const validUntil = addDuration(latest.date, validFor);
  const { record } = latest;
  const value = {
    date: record['date'],
    by: record['by'],
    ref: record['ref'],
    passed: record['passed'],
    values: record['values'],
    validUntil: new Date(validUntil).toISOString().slice(0, 10),
  };
  const evidence: Evidence[] = [{ point: `record:${kind}`, value, quality: 'good', ts: latest.date }];
  if (ctx.now >= validUntil) return { result: make('fail', evidence, { ...extra, expired: true }), changesAt: nextDated };
  let verdict: Verdict = record['passed'] === true ? 'pass' : 'fail';
  if (verdict === 'pass' && clause.programs.expression) {
    try {
      const ok = clause.programs.expression({ ...base.context, record });
      verdict = ok === true ? 'pass' : ok === false ? 'fail' : 'unknown';
    } catch (error) {
      // a record whose figures do not decide the clause (a review with nothing to review): unknown; the figure it lacks is in the error
      const message = (error as Error).message;
      const result = make('unknown', evidence, { ...extra, error: message });
      const lacking = message.split('\n', 1)[0]!.trim(); // the message's first line ("No such key: …"), without the expression it quotes
      result.reason = { zh: '记录无法判定：记录中缺少判定所需的数值', en: `the record does not decide it: it lacks a figure the clause needs (${lacking})` };
      return { result, changesAt: validUntil };
    }
  }
  return { result: make(verdict, evidence, extra), changesAt: Math.min(validUntil, nextDated ?? Infinity) };
}
