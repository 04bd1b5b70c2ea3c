import type { Environment } from '@marcbachmann/cel-js';
import { ASSET_KINDS, type AssetKind, type Unit } from '../model/index.ts';
import type { CelModel, CelObject } from './cel-model.ts';
import { parseDuration, type Duration } from './duration.ts';
import { staticPaths } from './expression-paths.ts';
import { withFastPath, type ParsedCel, type Positional } from './expression-compiler.ts';
import type { ClauseDefinition, StandardDefinition } from './standard-schema.ts';
import type { StandardIssue } from './standard-errors.ts';
import { placeholders } from './templates.ts';

/** A checked, parsed CEL expression, ready to evaluate against a context. */
export type CelProgram = ((context: Record<string, unknown>) => unknown) & {
  /** the same program for one subject: `fixed` names known, `names[i]` read from `values[i]` (standards/expression-compiler.ts) */
  specialize?(fixed: Readonly<Record<string, unknown>>, names: readonly string[]): Positional;
};

export type ReadType = 'double' | 'bool';

/** How one `reads` entry reaches the expression. */
export interface ReadBinding {
  /** as written in the clause: "level", or "tank.level" on a site clause */
  name: string;
  /** the CEL variable: "level", or "tank_level" (a map from asset id to value) */
  variable: string;
  /** asset kind read from; undefined for the subject itself */
  kind?: AssetKind;
  /** on an asset clause: the attribute of the `kind` assets that names the subject they belong to (`members`) */
  memberBy?: string;
  point: string;
  type: ReadType;
  unit: Unit;
}

/** A clause whose expressions were parsed and type-checked at load. */
export interface CompiledClause extends ClauseDefinition {
  /** CEL type of each read point */
  readTypes: Record<string, ReadType>;
  /** unit the standard expects each read point to carry */
  readUnits: Record<string, Unit>;
  bindings: ReadBinding[];
  /** asset attributes the expression reads (reported as thresholds with each verdict) */
  assetFields: string[];
  /** `asset.x` and `site.a.b` paths the clause reads of static data, recorded with each verdict */
  staticPaths: string[];
  delayOnMs: number;
  delayOffMs: number;
  validFor?: Duration;
  /** the clause's params as a CEL value */
  paramsValue: CelObject;
  programs: { expression?: CelProgram; when?: CelProgram; derive: [string, CelProgram][]; compute: [string, CelProgram][] };
  /**
   * The computed values the expression reads, itself or through other computed values; the others are
   * only recorded with a verdict, so the engine computes them when the verdict changes. Found by name in
   * the source text: a name that is also a field or inside a string is counted too (more, never fewer).
   */
  computeForVerdict: ReadonlySet<string>;
}

const RESERVED = new Set(['asset', 'site', 'params', 'name', 'subject', 'record']);

/** Parses and type-checks one clause; returns it compiled, or the issues that stop it. */
export function compileClause(clause: ClauseDefinition, index: number, points: StandardDefinition['points'], cel: CelModel): { clause?: CompiledClause; issues: StandardIssue[] } {
  const issues: StandardIssue[] = [];
  const at = (field: string) => `clauses[${index}].${field}`;
  const issue = (code: StandardIssue['code'], field: string, message: string) => issues.push({ code, clause: clause.id, field: at(field), message });

  const kind = clause.appliesTo === 'site' ? undefined : clause.appliesTo;
  const bindings = bindReads(clause, kind, points, issue);
  for (const [member, attribute] of Object.entries(clause.members)) {
    const fields = cel.assetFields(member as AssetKind);
    if (fields && fields[attribute] !== 'string') issue('STANDARD_REFERENCE', `members.${member}`, `a ${member} has no attribute "${attribute}" naming the asset it belongs to`);
    if (!bindings.some((b) => b.kind === member)) issue('STANDARD_REFERENCE', `members.${member}`, `the clause reads no point of a ${member}`);
  }
  for (const name of [...Object.keys(clause.derive), ...Object.keys(clause.compute)])
    if (RESERVED.has(name) || bindings.some((b) => b.variable === name)) issue('STANDARD_REFERENCE', `derive.${name}`, `"${name}" clashes with a reserved or read name`);
  for (const name of Object.keys(clause.deadband))
    if (!clause.reads.includes(name)) issue('STANDARD_REFERENCE', `deadband.${name}`, `deadband on "${name}", which the clause does not read`);
  const delay = (field: 'delayOn' | 'delayOff') => {
    const text = clause[field];
    const parsed = text === undefined ? undefined : parseDuration(text);
    if (parsed && (parsed.years || parsed.months)) issue('STANDARD_SCHEMA', field, 'a delay must be exact time (days, hours, minutes, seconds)');
    return parsed?.ms ?? 0;
  };
  const delayOnMs = delay('delayOn');
  const delayOffMs = delay('delayOff');
  const validFor = clause.evidence ? parseDuration(clause.evidence.validFor) : undefined;
  if (issues.length > 0) return { issues };

  const paramFields = Object.fromEntries(Object.entries(clause.params).map(([k, p]) => [k, paramType(p.value)]));
  const ParamsCtor = class Params {
    [key: string]: unknown;
    constructor(fields: CelObject) {
      Object.assign(this, fields);
    }
  };
  let staticEnv = cel.env.clone().registerType('Params', { ctor: ParamsCtor, fields: paramFields }).registerVariable('site', 'Site').registerVariable('params', 'Params');
  if (kind) staticEnv = staticEnv.registerVariable('asset', cel.assetType(kind));

  const typeOf = new Map<string, string>();
  const check = (env: Environment, field: string, source: string, want?: string): CelProgram | undefined => {
    try {
      const parsed = env.parse(source);
      const result = parsed.check();
      if (!result.valid) throw result.error;
      if (want && result.type !== want) {
        issue('STANDARD_EXPRESSION', field, `must be of type ${want} but is ${result.type}: ${JSON.stringify(source)}`);
        return undefined;
      }
      typeOf.set(field, result.type ?? 'dyn');
      return withFastPath(parsed as unknown as ParsedCel);
    } catch (error) {
      issue('STANDARD_EXPRESSION', field, describeCelError(error, source));
      return undefined;
    }
  };

  const when = clause.when === undefined ? undefined : check(staticEnv, 'when', clause.when, 'bool');
  // only a design fact makes a clause not applicable: whether a point is mapped is monitoring, not design,
  // and a clause whose point is missing is "not monitored" (unknown, against coverage) in the engine
  if (when && staticPaths((when as unknown as { ast: unknown }).ast).some((p) => p === 'site.points' || p.startsWith('site.points.')))
    issue('STANDARD_EXPRESSION', 'when', 'must not ask whether a point is mapped (site.points): a clause whose point is missing is not monitored, not "not applicable"');
  const derive: [string, CelProgram][] = [];
  let env = staticEnv.clone();
  for (const [name, source] of Object.entries(clause.derive)) {
    const program = check(env, `derive.${name}`, source);
    if (program) derive.push([name, program]);
    env = env.clone().registerVariable(name, typeOf.get(`derive.${name}`) ?? 'dyn');
  }
  for (const b of bindings) env = env.registerVariable(b.variable, b.kind ? `map<string, ${b.type}>` : b.type);
  if (clause.check === 'evidence') env = env.registerVariable('record', cel.recordType);
  const compute: [string, CelProgram][] = [];
  for (const [name, source] of Object.entries(clause.compute)) {
    const program = check(env, `compute.${name}`, source);
    if (program) compute.push([name, program]);
    env = env.clone().registerVariable(name, typeOf.get(`compute.${name}`) ?? 'dyn');
  }
  const expression = clause.expression === undefined ? undefined : check(env, 'expression', clause.expression, 'bool');

  const paths = expression ? staticPaths((expression as unknown as { ast: unknown }).ast) : [];
  checkTemplates(clause, cel, issue);
  if (issues.length > 0 || (clause.expression !== undefined && !expression)) return { issues };

  const paramsValue = new ParamsCtor(Object.fromEntries(Object.entries(clause.params).map(([k, p]) => [k, p.value])));
  return {
    clause: {
      ...clause,
      readTypes: Object.fromEntries(bindings.map((b) => [b.name, b.type])),
      readUnits: Object.fromEntries(bindings.map((b) => [b.name, b.unit])),
      bindings,
      assetFields: paths.filter((p) => /^asset\.[^.]+$/.test(p)).map((p) => p.slice(6)),
      staticPaths: paths,
      delayOnMs,
      delayOffMs,
      validFor,
      paramsValue,
      programs: { expression, when, derive, compute },
      computeForVerdict: computeRead(clause.expression ?? '', clause.compute),
    },
    issues,
  };
}

function bindReads(
  clause: ClauseDefinition,
  kind: AssetKind | undefined,
  points: StandardDefinition['points'],
  issue: (code: StandardIssue['code'], field: string, message: string) => void,
): ReadBinding[] {
  const bindings: ReadBinding[] = [];
  clause.reads.forEach((name, i) => {
    const dot = name.indexOf('.');
    const from = (dot < 0 ? kind : name.slice(0, dot)) as AssetKind | undefined;
    const point = dot < 0 ? name : name.slice(dot + 1);
    const memberBy = dot >= 0 && kind ? clause.members[name.slice(0, dot) as AssetKind] : undefined;
    if (dot >= 0 && kind && !memberBy)
      return issue(
        'STANDARD_REFERENCE',
        `reads[${i}]`,
        `"${name}": a clause on a ${kind} reads its own points by name, or its members' with \`members: { ${name.slice(0, dot)}: <attribute> }\``,
      );
    if (!from) return issue('STANDARD_REFERENCE', `reads[${i}]`, `"${name}": a site clause reads "<asset kind>.<point>"`);
    if (!(ASSET_KINDS as readonly string[]).includes(from))
      return issue('STANDARD_REFERENCE', `reads[${i}]`, `unknown asset kind "${from}"; expected one of ${ASSET_KINDS.join(', ')}`);
    const vocabulary = points[from] ?? {};
    const known = vocabulary[point];
    if (!known)
      return issue(
        'STANDARD_REFERENCE',
        `reads[${i}]`,
        `unknown point name "${point}" on a ${from}; the standard's points for ${from} are: ${Object.keys(vocabulary).join(', ') || '(none)'}`,
      );
    const variable = dot < 0 ? point : `${from.replace(/-/g, '_')}_${point}`;
    if (RESERVED.has(variable)) return issue('STANDARD_REFERENCE', `reads[${i}]`, `point name "${point}" is reserved`);
    bindings.push({ name, variable, kind: dot < 0 ? undefined : from, memberBy, point, type: known.unit === 'bool' ? 'bool' : 'double', unit: known.unit });
  });
  return bindings;
}

/**
 * Whether a read of `<kind>.<point>` on `subject` takes this asset of the kind: every one on a site clause,
 * only the subject's members (the assets whose `memberBy` attribute names it) on an asset clause.
 */
export function readsAsset(binding: ReadBinding, subject: string, asset: Readonly<Record<string, unknown>> | undefined): boolean {
  return binding.memberBy === undefined || asset?.[binding.memberBy] === subject;
}

function paramType(value: number | number[] | Record<string, number>): string {
  if (typeof value === 'number') return 'double';
  return Array.isArray(value) ? 'list<double>' : 'map<string, double>';
}

function checkTemplates(clause: ClauseDefinition, cel: CelModel, issue: (code: StandardIssue['code'], field: string, message: string) => void) {
  if (!clause.alert) return;
  const fields = clause.appliesTo === 'site' ? {} : cel.assetFields(clause.appliesTo);
  const known = (name: string) =>
    name === 'name' ||
    name === 'subject' ||
    clause.reads.includes(name) ||
    name in clause.derive ||
    name in clause.compute ||
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
      if (!known(name))
        issue('STANDARD_TEMPLATE', field, `unknown placeholder {${name}}; use {name}, {subject}, a read point, {params.x}, {asset.x} or a derived or computed name`);
}

function describeCelError(error: unknown, source: string): string {
  const e = error as { summary?: string; message?: string; range?: { start: number }; node?: { pos?: number } };
  const summary = e.summary ?? e.message?.split('\n')[0] ?? String(error);
  const position = e.range?.start ?? e.node?.pos;
  return position === undefined ? `${summary} in ${JSON.stringify(source)}` : `${summary} at position ${position + 1} of ${JSON.stringify(source)}`;
}

/** the computed names `source` reads, directly or through the computed values it reads */
function computeRead(source: string, compute: Readonly<Record<string, string>>): Set<string> {
  const names = Object.keys(compute);
  const reads = (text: string) => names.filter((name) => new RegExp(`(?<![\\w$])${name}(?![\\w$])`).test(text));
  const found = new Set<string>();
  const visit = (text: string) => {
    for (const name of reads(text))
      if (!found.has(name)) {
        found.add(name);
        visit(compute[name]!);
      }
  };
  visit(source);
  return found;
}
