import type { Environment } from '@marcbachmann/cel-js';
import type { AssetKind, Unit } from '../model/index.ts';
import type { CelModel, CelObject } from './cel-model.ts';
import type { ClauseDefinition, StandardDefinition } from './standard-schema.ts';
import type { StandardIssue } from './standard-errors.ts';
import { placeholders } from './templates.ts';

/** A checked, parsed CEL expression, ready to evaluate against a context. */
export type CelProgram = (context: Record<string, unknown>) => unknown;

export type ReadType = 'double' | 'bool';

/** A clause whose expressions were parsed and type-checked at load. */
export interface CompiledClause extends ClauseDefinition {
  /** CEL type of each read point */
  readTypes: Record<string, ReadType>;
  /** unit the standard expects each read point to carry */
  readUnits: Record<string, Unit>;
  /** asset attributes the expression reads (reported as thresholds with each verdict) */
  assetFields: string[];
  /** the clause's params as a CEL value */
  paramsValue: CelObject;
  programs: { expression: CelProgram; when?: CelProgram; derive: [string, CelProgram][] };
}

const RESERVED = new Set(['asset', 'site', 'params', 'name', 'subject']);

/** Parses and type-checks one clause; returns it compiled, or the issues that stop it. */
export function compileClause(
  clause: ClauseDefinition,
  index: number,
  points: StandardDefinition['points'],
  cel: CelModel,
): { clause?: CompiledClause; issues: StandardIssue[] } {
  const issues: StandardIssue[] = [];
  const at = (field: string) => `clauses[${index}].${field}`;
  const issue = (code: StandardIssue['code'], field: string, message: string) =>
    issues.push({ code, clause: clause.id, field: at(field), message });

  if (clause.appliesTo === 'site') {
    issue('STANDARD_REFERENCE', 'appliesTo', 'live checks on the whole site are not supported yet; apply the clause to an asset kind');
    return { issues };
  }
  const kind: AssetKind = clause.appliesTo;
  const vocabulary = points[kind] ?? {};
  const readTypes: Record<string, ReadType> = {};
  const readUnits: Record<string, Unit> = {};
  clause.reads.forEach((name, i) => {
    const point = vocabulary[name];
    if (!point) {
      const known = Object.keys(vocabulary);
      issue('STANDARD_REFERENCE', `reads[${i}]`, `unknown point name "${name}" on a ${kind}; the standard's points for ${kind} are: ${known.join(', ') || '(none)'}`);
    } else if (RESERVED.has(name) || name in clause.derive) {
      issue('STANDARD_REFERENCE', `reads[${i}]`, `point name "${name}" clashes with a reserved or derived name`);
    } else {
      readTypes[name] = point.unit === 'bool' ? 'bool' : 'double';
      readUnits[name] = point.unit;
    }
  });
  for (const name of Object.keys(clause.derive))
    if (RESERVED.has(name)) issue('STANDARD_REFERENCE', `derive.${name}`, `"${name}" is reserved`);
  if (issues.length > 0) return { issues };

  const paramFields = Object.fromEntries(Object.keys(clause.params).map((k) => [k, 'double']));
  const ParamsCtor = class Params {
    [key: string]: unknown;
    constructor(fields: CelObject) {
      Object.assign(this, fields);
    }
  };
  const staticEnv = cel.env
    .clone()
    .registerType('Params', { ctor: ParamsCtor, fields: paramFields })
    .registerVariable('asset', cel.assetType(kind))
    .registerVariable('site', 'Site')
    .registerVariable('params', 'Params');

  const check = (env: Environment, field: string, source: string, want?: string): CelProgram | undefined => {
    try {
      const parsed = env.parse(source);
      const result = parsed.check();
      if (!result.valid) throw result.error;
      if (want && result.type !== want) {
        issue('STANDARD_EXPRESSION', field, `must be of type ${want} but is ${result.type}: ${JSON.stringify(source)}`);
        return undefined;
      }
      return parsed as unknown as CelProgram;
    } catch (error) {
      issue('STANDARD_EXPRESSION', field, describeCelError(error, source));
      return undefined;
    }
  };

  const when = clause.when === undefined ? undefined : check(staticEnv, 'when', clause.when, 'bool');
  const derive: [string, CelProgram][] = [];
  const derivedTypes: Record<string, string> = {};
  for (const [name, source] of Object.entries(clause.derive)) {
    const program = check(staticEnv, `derive.${name}`, source);
    if (!program) {
      derivedTypes[name] = 'dyn'; // already reported; keep the expression's own check meaningful
      continue;
    }
    derive.push([name, program]);
    derivedTypes[name] = staticEnv.check(source).type ?? 'dyn';
  }
  const liveEnv = staticEnv.clone();
  for (const [name, type] of Object.entries(readTypes)) liveEnv.registerVariable(name, type);
  for (const [name, type] of Object.entries(derivedTypes)) liveEnv.registerVariable(name, type);
  const expression = check(liveEnv, 'expression', clause.expression, 'bool');

  const assetFields = expression ? assetFieldsOf((expression as unknown as { ast: AstLike }).ast) : [];
  checkTemplates(clause, kind, cel, issue);
  if (issues.length > 0 || !expression) return { issues };

  const paramsValue = new ParamsCtor(Object.fromEntries(Object.entries(clause.params).map(([k, p]) => [k, p.value])));
  return {
    clause: { ...clause, readTypes, readUnits, assetFields, paramsValue, programs: { expression, when, derive } },
    issues,
  };
}

function checkTemplates(
  clause: ClauseDefinition,
  kind: AssetKind,
  cel: CelModel,
  issue: (code: StandardIssue['code'], field: string, message: string) => void,
) {
  if (!clause.alert) return;
  const fields = cel.assetFields(kind);
  const known = (name: string) =>
    name === 'name' ||
    name === 'subject' ||
    clause.reads.includes(name) ||
    name in clause.derive ||
    (name.startsWith('params.') && name.slice(7) in clause.params) ||
    (name.startsWith('asset.') && (fields === undefined || name.slice(6) in fields));
  const texts: [string, string][] = [
    ['alert.message.zh', clause.alert.message.zh],
    ['alert.message.en', clause.alert.message.en],
    ...clause.alert.actions.flatMap((a, i): [string, string][] => [
      [`alert.actions[${i}].zh`, a.zh],
      [`alert.actions[${i}].en`, a.en],
    ]),
  ];
  for (const [field, text] of texts)
    for (const name of placeholders(text))
      if (!known(name)) issue('STANDARD_TEMPLATE', field, `unknown placeholder {${name}}; use {name}, {subject}, a read point, {params.x}, {asset.x} or a derived name`);
}

function describeCelError(error: unknown, source: string): string {
  const e = error as { summary?: string; message?: string; range?: { start: number }; node?: { pos?: number } };
  const summary = e.summary ?? e.message?.split('\n')[0] ?? String(error);
  const position = e.range?.start ?? e.node?.pos;
  return position === undefined
    ? `${summary} in ${JSON.stringify(source)}`
    : `${summary} at position ${position + 1} of ${JSON.stringify(source)}`;
}

interface AstLike {
  op: string;
  args: unknown;
}

/** Names of `asset.<field>` accesses in an expression, in order of first use. */
function assetFieldsOf(ast: AstLike): string[] {
  const found = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object' || !('op' in node)) return;
    const { op, args } = node as AstLike;
    if (op === '.' && Array.isArray(args)) {
      const [target, field] = args as [AstLike, string];
      if (target?.op === 'id' && target.args === 'asset') found.add(field);
    }
    walk(args);
  };
  walk(ast);
  return [...found];
}
