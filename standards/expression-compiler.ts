// A fast path for checked CEL expressions: the AST that cel-js parsed and type-checked is turned
// into plain closures, node by node, for the node shapes live clauses are made of (readings,
// fields, comparisons, arithmetic, and/or, calls with static types, map() over a list). Operators
// and functions run the library's own handlers, found by its type check, so the arithmetic is
// cel-js's. Whenever a value is not of the checked type, or anything throws, the whole expression
// is evaluated again by cel-js, which gives the exact value or error; an expression with any other
// node shape is never compiled and always runs on cel-js.
// A program can also be specialised for the values of the names that stay the same from one call to
// the next (a clause on one subject: its asset, params, site and derived values): every part of the
// expression that reads nothing else is evaluated once, a map() over such a list is unrolled, and the
// other names (readings, computed values) are read by position from an array rather than by name.

import { LIST_FOLDS } from './cel-functions.ts';
import { callOf, DOUBLE_OPERATORS, fallback, guardOf, isCelMap, isDouble, isStatic, type CelNode, type CelType, type Inline } from './expression-types.ts';

interface ComprehensionArgs {
  errorsAreFatal: boolean;
  iterable: CelNode;
  iterVarName: string;
  init: CelNode;
  step: CelNode;
  result: (accu: unknown) => unknown;
  condition?: (accu: unknown) => boolean;
  iterCtx?: { iterType?: CelType };
}

/** A parsed, checked cel-js program: callable on a context, with its AST. */
export interface ParsedCel {
  (context: Record<string, unknown>): unknown;
  ast: unknown;
}

/** A CEL program that runs compiled closures when it can and cel-js otherwise. */
export interface FastCel extends ParsedCel {
  /** the same expression evaluated by cel-js alone */
  readonly slow: ParsedCel;
  /** whether the expression was compiled (false: every call runs on cel-js) */
  readonly compiled: boolean;
  /**
   * The same program where each name of `fixed` always holds the value it has there (the parts
   * reading only those are computed here, once) and `names[i]` is `values[i]` of the array each call
   * is given; any other name is absent. cel-js, when the fast path falls back, gets that context whole.
   */
  specialize(fixed: Readonly<Record<string, unknown>>, names: readonly string[]): Positional;
}

/** A program specialised for one subject: called on the values of its names, by position. */
export type Positional = ((values: unknown[]) => unknown) & {
  /** set when the value is the same whatever the names hold (a known operand decided it): it reads none of them */
  readonly constant?: true;
};

type Locals = unknown[];
type Fast = (ctx: Record<string, unknown>, locals: Locals) => unknown;
interface Scope {
  vars: Map<string, number>;
  accu?: number;
  slots: { count: number };
  /** when specialising: the names whose values stay the same from call to call, with those values */
  fixed?: Readonly<Record<string, unknown>>;
  /** when specialising: the position of every other name in the values array */
  positions?: ReadonlyMap<string, number>;
  /** when specialising: the read of each position, made once (an unrolled map() reads the same name once per element) */
  reads?: Map<number, Fast>;
  /** iteration variables of an unrolled map() bound to their element */
  known?: Map<string, unknown>;
}

const hasOwn = Object.hasOwn;

/** A closure that returns a value computed beforehand; its operands need not run. */
const KNOWN = Symbol('known value');
type Known = Fast & { [KNOWN]: unknown };
const known = (value: unknown): Known => Object.assign(() => value, { [KNOWN]: value });
const isKnown = (f: Fast): f is Known => KNOWN in f;
const NO_LOCALS: Locals = [];

/**
 * A closure that reads nothing but a comprehension's accumulator: its pushes of known values, and
 * fresh list literals of them. A map() or filter() over a known list made only of such steps is
 * known too (a filter of the site's tanks by a known dike), and is computed beforehand.
 */
const ACCU_ONLY = Symbol('reads only the accumulator');
const accuOnly = (f: Fast): Fast => Object.assign(f, { [ACCU_ONLY]: true });
const readsAccuOnly = (f: Fast): boolean => ACCU_ONLY in f || isKnown(f);

/**
 * The steps of an unrolled map() or filter(): a step that pushes one item (PUSHES holds the item's closure)
 * or one that leaves the accumulator as it is (a filter's known test that is false). The unrolled
 * comprehension then holds its items (ITEMS), and sum(), max() and min() of it fold them straight away,
 * without building the list (cel-functions.ts: the same fold).
 */
const PUSHES = Symbol('pushes one item');
const KEEPS = Symbol('keeps the accumulator');
const ITEMS = Symbol('the items an unrolled map() pushes');
type Pushes = Fast & { [PUSHES]: Fast };
type Listed = Fast & { [ITEMS]: readonly Fast[] };
const hasItems = (f: Fast): f is Listed => ITEMS in f;

/** Wraps a checked program with its compiled fast path, when every node of its AST is supported. */
export function withFastPath(program: ParsedCel): FastCel {
  const slots = { count: 0 };
  const fast = compile(program.ast as CelNode, { vars: new Map(), slots, known: new Map() });
  const specialize = (fixed: Readonly<Record<string, unknown>>, names: readonly string[]): Positional => {
    const slots = { count: 0 };
    const positions = new Map(names.map((name, i) => [name, i]));
    const bound = fast && compile(program.ast as CelNode, { vars: new Map(), slots, fixed, positions, reads: new Map(), known: new Map() });
    if (!bound) return (values) => program(contextOf(fixed, names, values));
    if (isKnown(bound)) return Object.assign(() => bound[KNOWN], { constant: true as const });
    const locals: Locals = new Array<unknown>(slots.count);
    return (values) => {
      try {
        return bound(values as unknown as Record<string, unknown>, locals);
      } catch {
        return program(contextOf(fixed, names, values)); // cel-js decides, as below
      }
    };
  };
  if (!fast) return Object.assign((ctx: Record<string, unknown>) => program(ctx), { ast: program.ast, slow: program, compiled: false, specialize });
  const locals: Locals = new Array<unknown>(slots.count);
  const run = (ctx: Record<string, unknown>): unknown => {
    try {
      return fast(ctx, locals);
    } catch {
      return program(ctx); // cel-js decides: the exact error, or a value the fast path does not handle
    }
  };
  return Object.assign(run, { ast: program.ast, slow: program, compiled: true, specialize });
}

/** The context a specialised program stands for: its fixed names, and `names[i]` holding `values[i]`. */
function contextOf(fixed: Readonly<Record<string, unknown>>, names: readonly string[], values: unknown[]): Record<string, unknown> {
  const ctx: Record<string, unknown> = { ...fixed };
  for (let i = 0; i < names.length; i++) ctx[names[i]!] = values[i];
  return ctx;
}

/**
 * When specialising and every operand is known, the node is evaluated now and its value kept (CEL
 * functions are pure, the standards' own included: standards/cel-functions.ts); a node that throws
 * (cel-js has the last word) or needs a value of the call is left to run.
 */
function folded(fast: Fast, operands: readonly Fast[], scope: Scope): Fast {
  if (!scope.fixed || !operands.every(isKnown)) return fast;
  try {
    return known(fast(scope.fixed, NO_LOCALS));
  } catch {
    return fast;
  }
}

function compile(node: CelNode, scope: Scope): Fast | undefined {
  if (node.meta.alternate) return compile(node.meta.alternate, scope);
  if (node.meta.macro) return undefined;
  switch (node.op) {
    case 'value':
      return compileValue(node.args);
    case 'id':
      return compileId(node, scope);
    case '.':
      return compileField(node, scope);
    case '[]':
      return compileIndex(node, scope);
    case '!_':
    case '-_':
      return compileUnary(node, scope);
    case '&&':
    case '||':
      return compileLogical(node, scope);
    case '?:':
      return compileTernary(node, scope);
    case 'call':
      return compileCall(node, scope);
    case 'list':
      return compileList(node, scope);
    case 'comprehension':
      return compileComprehension(node, scope);
    case 'accuValue':
      return scope.accu === undefined ? undefined : accuValue(scope.accu);
    case 'accuPush':
      return compileAccuPush(node, scope);
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return compileBinary(node, scope);
    default:
      return undefined;
  }
}

function compileValue(value: unknown): Fast | undefined {
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string' || typeof value === 'boolean') return known(value);
  return undefined;
}

function compileId(node: CelNode, scope: Scope): Fast | undefined {
  const name = node.args as string;
  if (scope.known?.has(name)) return known(scope.known.get(name));
  const slot = scope.vars.get(name);
  if (slot !== undefined) return (_ctx, locals) => locals[slot];
  if (scope.positions) return compileBound(node, name, scope.positions, scope);
  return compileRead(node, name);
}

/**
 * A name in a specialised program: read by position, or known when fixed — a fixed value that does
 * not fit its type falls back on every call, as it would when read; a name it is not given is absent.
 */
function compileBound(node: CelNode, name: string, positions: ReadonlyMap<string, number>, scope: Scope): Fast | undefined {
  const position = positions.get(name);
  if (position !== undefined) {
    const made = scope.reads?.get(position);
    if (made) return made;
    const read = compileAt(node, position);
    if (read) scope.reads?.set(position, read);
    return read;
  }
  if (!scope.fixed || !hasOwn(scope.fixed, name)) return guardOf(node.checkedType) && fallback;
  const read = compileRead(node, name);
  if (!read) return undefined;
  const value = folded(read, [], scope);
  return isKnown(value) ? value : fallback;
}

/** the double under a known key of a map: a closure holding only the map's and the key (one per element of an unrolled map()) */
const doubleAtKey =
  (of: Fast, key: string): Fast =>
  (ctx, locals) => {
    const obj = of(ctx, locals) as Record<string, unknown>;
    const v = hasOwn(obj, key) ? obj[key] : undefined;
    return typeof v === 'number' ? v : fallback();
  };

/**
 * The double under a known key of the map a specialised program is given at `position` (a site clause's
 * readings of one kind: tank_level["T101"] in an unrolled map()), read in one closure.
 */
const doubleInMapAt = (position: number, key: string): Fast => asTerm((values) => mapDouble(values as unknown as unknown[], position, key), { position, key, ops: [] });

/** the double under `key` of the map at `position` of a specialised program's values */
function mapDouble(values: unknown[], position: number, key: string): number {
  const obj = values[position];
  if (!isCelMap(obj)) return fallback();
  const v = hasOwn(obj, key) ? obj[key] : undefined;
  return typeof v === 'number' ? v : fallback();
}

/**
 * A reading of one asset scaled by known numbers, `tank_level["T101"] * area * density / quantity`: the
 * map's position and key, and each multiplication (true) or division (false) by its number, in the
 * order the expression does them. sum(), max() and min() of an unrolled map() whose items are all terms
 * fold them in one loop (listFold), doing the same operations in the same order: the same doubles.
 */
interface Term {
  readonly position: number;
  readonly key: string;
  readonly ops: readonly (readonly [multiply: boolean, by: number])[];
}
const TERM = Symbol('a scaled reading');
const asTerm = (f: Fast, term: Term): Fast => Object.assign(f, { [TERM]: term });
const termOf = (f: Fast): Term | undefined => (f as Fast & { [TERM]?: Term })[TERM];

/** where a read of a specialised program's value comes from: its position */
const POSITION = Symbol('position read');

/** A read of a specialised program's value at `position` (its `ctx` is the values array). */
function compileAt(node: CelNode, position: number): Fast | undefined {
  if (node.checkedType?.kind === 'primitive' && node.checkedType.name === 'double') return doubleAt(position);
  const guard = guardOf(node.checkedType);
  if (!guard) return undefined;
  const read: Fast = (values) => {
    const v = (values as unknown as unknown[])[position];
    return guard(v) ? v : fallback();
  };
  return Object.assign(read, { [POSITION]: position });
}

/** a reading of a double, the most common value: a closure holding nothing but its position (one per clause and subject) */
const doubleAt =
  (position: number): Fast =>
  (values) => {
    const v = (values as unknown as unknown[])[position];
    return typeof v === 'number' ? v : fallback();
  };

function compileRead(node: CelNode, name: string): Fast | undefined {
  const guard = guardOf(node.checkedType);
  if (!guard) return undefined;
  // readings are mostly doubles, and the subject an asset: checked inline, without a call
  if (node.checkedType!.name === 'double')
    return (ctx) => {
      const v = ctx[name];
      return typeof v === 'number' ? v : fallback();
    };
  if (node.checkedType!.kind === 'message') {
    const type = node.checkedType!.name;
    let known: unknown; // the class last seen: its name is compared once, not per value
    return (ctx) => {
      const v = ctx[name];
      if (typeof v !== 'object' || v === null) return fallback();
      const ctor = (v as object).constructor;
      if (ctor === known) return v;
      if (ctor?.name !== type) return fallback();
      known = ctor;
      return v;
    };
  }
  return (ctx) => {
    const v = ctx[name];
    return guard(v) ? v : fallback();
  };
}

function compileField(node: CelNode, scope: Scope): Fast | undefined {
  const [left, key] = node.args as [CelNode, string];
  const of = compile(left, scope);
  const field = of && fieldOf(node, of, left.checkedType, key);
  return field && folded(field, [of], scope);
}

function fieldOf(node: CelNode, of: Fast, leftType: CelType | undefined, key: string): Fast | undefined {
  const guard = guardOf(node.checkedType);
  if (!guard || !leftType || typeof key !== 'string') return undefined;
  if (leftType.kind === 'message' && node.checkedType!.name === 'double')
    return (ctx, locals) => {
      const v = (of(ctx, locals) as Record<string, unknown>)[key];
      return typeof v === 'number' ? v : fallback();
    };
  if (leftType.kind === 'message')
    return (ctx, locals) => {
      const v = (of(ctx, locals) as Record<string, unknown>)[key];
      return guard(v) ? v : fallback();
    };
  if (leftType.kind === 'map')
    return (ctx, locals) => {
      const obj = of(ctx, locals) as Record<string, unknown>;
      const v = hasOwn(obj, key) ? obj[key] : undefined;
      return guard(v) ? v : fallback();
    };
  return undefined; // a field of a dyn value: cel-js looks at what it is
}

function compileIndex(node: CelNode, scope: Scope): Fast | undefined {
  const [left, right] = node.args as [CelNode, CelNode];
  const of = compile(left, scope);
  const at = compile(right, scope);
  const index = of && at && indexOf(node, of, at, left.checkedType, right.checkedType);
  return index && folded(index, [of, at], scope);
}

function indexOf(node: CelNode, of: Fast, at: Fast, leftType: CelType | undefined, rightType: CelType | undefined): Fast | undefined {
  const guard = guardOf(node.checkedType);
  if (!guard || !leftType || !isStatic(rightType)) return undefined;
  // a reading of one asset in a site clause's map (tank_level["T101"] in an unrolled map())
  if (leftType.kind === 'map' && isKnown(at) && typeof at[KNOWN] === 'string' && node.checkedType!.name === 'double')
    return POSITION in of ? doubleInMapAt((of as Fast & { [POSITION]: number })[POSITION], at[KNOWN]) : doubleAtKey(of, at[KNOWN]);
  if (leftType.kind === 'list' && rightType.name === 'int')
    return (ctx, locals) => {
      const v = (of(ctx, locals) as unknown[])[Number(at(ctx, locals) as bigint)];
      return guard(v) ? v : fallback();
    };
  if (leftType.kind === 'map' && rightType.name === 'string')
    return (ctx, locals) => {
      const obj = of(ctx, locals) as Record<string, unknown>;
      const key = at(ctx, locals) as string;
      const v = hasOwn(obj, key) ? obj[key] : undefined;
      return guard(v) ? v : fallback();
    };
  return undefined;
}

function compileUnary(node: CelNode, scope: Scope): Fast | undefined {
  const arg = node.args as CelNode;
  const of = compile(arg, scope);
  const handle = node.handle;
  if (!of || !handle || !isStatic(arg.checkedType)) return undefined;
  return folded((ctx, locals) => handle(of(ctx, locals), node, undefined), [of], scope);
}

/** A binary operator on static types: cel-js resolved its overload at the type check. */
function compileBinary(node: CelNode, scope: Scope): Fast | undefined {
  const [left, right] = node.args as [CelNode, CelNode];
  const l = compile(left, scope);
  const r = compile(right, scope);
  const handle = node.handle;
  if (!l || !r || !handle || !isStatic(left.checkedType) || !isStatic(right.checkedType)) return undefined;
  const inline = isDouble(left.checkedType) && isDouble(right.checkedType) ? DOUBLE_OPERATORS[node.op] : undefined;
  const fast = folded(inline ? inlined(inline, l, r) : (ctx, locals) => handle(l(ctx, locals), r(ctx, locals), node, undefined), [l, r], scope);
  if (inline) return scaled(node.op, l, r, fast) ?? fast;
  return node.op === '+' && left.checkedType?.kind === 'list' && !isKnown(fast) ? (joined(l, r, fast) ?? fast) : fast;
}

/** two lists joined, each an unrolled map()'s items or known: the join holds its items too, for sum(), max() and min() to fold */
function joined(l: Fast, r: Fast, fast: Fast): Fast | undefined {
  const itemsOf = (f: Fast): readonly Fast[] | undefined => (hasItems(f) ? f[ITEMS] : isKnown(f) && Array.isArray(f[KNOWN]) ? (f[KNOWN] as unknown[]).map(known) : undefined);
  const left = itemsOf(l);
  const right = itemsOf(r);
  return left && right ? Object.assign(fast, { [ITEMS]: [...left, ...right] }) : undefined;
}

/** `term * b`, `term / b` or `b * term` with b a known number (a product is the same double either way round): a longer term */
function scaled(op: string, l: Fast, r: Fast, fast: Fast): Fast | undefined {
  if (op !== '*' && op !== '/') return undefined;
  const [term, by] = termOf(l) && isKnown(r) ? [termOf(l)!, r[KNOWN]] : op === '*' && termOf(r) && isKnown(l) ? [termOf(r)!, l[KNOWN]] : [undefined, undefined];
  if (!term || typeof by !== 'number') return undefined;
  return asTerm(fast, { ...term, ops: [...term.ops, [op === '*', by]] });
}

function inlined(op: Inline, l: Fast, r: Fast): Fast {
  if (isKnown(r) && typeof r[KNOWN] === 'number') return op.right(l, r[KNOWN]);
  if (isKnown(l) && typeof l[KNOWN] === 'number') return op.left(l[KNOWN], r);
  return op.both(l, r);
}

function compileLogical(node: CelNode, scope: Scope): Fast | undefined {
  const [left, right] = node.args as [CelNode, CelNode];
  const l = compile(left, scope);
  const r = compile(right, scope);
  if (!l || !r) return undefined;
  const decided = node.op === '||'; // the left value that decides without the right
  // a known deciding operand decides on either side: CEL's && and || are commutative, an error or a
  // non-bool on the other side gives way to it (cel-js: `error || true` is true)
  if ((isKnown(l) && l[KNOWN] === decided) || (isKnown(r) && r[KNOWN] === decided)) return known(decided);
  const logical: Fast = (ctx, locals) => {
    const a = l(ctx, locals);
    if (a === decided) return a;
    if (a !== !decided) return fallback();
    const b = r(ctx, locals);
    return typeof b === 'boolean' ? b : fallback();
  };
  return folded(logical, [l, r], scope);
}

function compileTernary(node: CelNode, scope: Scope): Fast | undefined {
  const [condition, yes, no] = (node.args as CelNode[]).map((n) => compile(n, scope));
  if (!condition || !yes || !no) return undefined;
  // a known condition picks its branch now (a filter's test on a known element)
  if (isKnown(condition) && typeof condition[KNOWN] === 'boolean') return condition[KNOWN] ? yes : no;
  const ternary: Fast = (ctx, locals) => {
    const c = condition(ctx, locals);
    return c === true ? yes(ctx, locals) : c === false ? no(ctx, locals) : fallback();
  };
  return folded(ternary, [condition, yes, no], scope);
}

function compileCall(node: CelNode, scope: Scope): Fast | undefined {
  const [name, argNodes] = node.args as [string, CelNode[]];
  const args = argNodes.map((a) => compile(a, scope));
  if (args.some((a) => !a)) return undefined;
  const compiled = args as Fast[];
  const call = listFold(node, argNodes, compiled) ?? callOf(node, name, argNodes, compiled);
  return call && folded(call, compiled, scope);
}

/** sum(), max() or min() of an unrolled map(): its items folded as the function folds a list (cel-functions.ts) */
function listFold(node: CelNode, argNodes: CelNode[], compiled: Fast[]): Fast | undefined {
  const [list] = compiled;
  if (compiled.length !== 1 || !list || !hasItems(list) || !isStatic(argNodes[0]!.checkedType)) return undefined;
  const fold = LIST_FOLDS.get(node.candidates?.findFunction([argNodes[0]!.checkedType])?.handler);
  const items = list[ITEMS];
  if (!fold || (fold.needsItems && items.length === 0)) return undefined;
  const { start, add } = fold;
  const terms = items.map(termOf);
  if (terms.length > 0 && terms.every((t) => t !== undefined)) return foldTerms(terms as Term[], start, add);
  return (ctx, locals) => {
    let value = start;
    for (let i = 0; i < items.length; i++) value = add(value, Number(items[i]!(ctx, locals)));
    return value;
  };
}

/** the fold of scaled readings in one loop: each read and scaled as its own closure would, in the same order */
function foldTerms(terms: readonly Term[], start: number, add: (a: number, b: number) => number): Fast {
  const positions = terms.map((t) => t.position);
  const keys = terms.map((t) => t.key);
  const ops = terms.map((t) => t.ops.flatMap(([multiply, by]) => [multiply ? 1 : 0, by]));
  return (ctx) => {
    const values = ctx as unknown as unknown[];
    let value = start;
    for (let i = 0; i < keys.length; i++) {
      let v = mapDouble(values, positions[i]!, keys[i]!);
      const scale = ops[i]!;
      for (let j = 0; j < scale.length; j += 2) v = scale[j] === 1 ? v * scale[j + 1]! : v / scale[j + 1]!;
      value = add(value, v);
    }
    return value;
  };
}

function compileList(node: CelNode, scope: Scope): Fast | undefined {
  const items = (node.args as CelNode[]).map((n) => compile(n, scope));
  if (items.some((i) => !i)) return undefined;
  const compiled = items as Fast[];
  // a fresh list on every call (a comprehension's accumulator is pushed to), never one computed beforehand
  if (compiled.every(isKnown)) {
    const values = compiled.map((f) => f[KNOWN]);
    return accuOnly(() => values.slice());
  }
  return (ctx, locals) => compiled.map((f) => f(ctx, locals));
}

const accuValue = (slot: number): Fast =>
  Object.assign(
    accuOnly((_ctx, locals) => locals[slot]),
    { [KEEPS]: true },
  );

function compileAccuPush(node: CelNode, scope: Scope): Fast | undefined {
  const slot = scope.accu;
  const item = compile(node.args as CelNode, scope);
  if (slot === undefined || !item) return undefined;
  const push: Pushes = Object.assign(
    (ctx: Record<string, unknown>, locals: Locals) => {
      const list = locals[slot] as unknown[];
      list.push(item(ctx, locals));
      return list;
    },
    { [PUSHES]: item },
  );
  return isKnown(item) ? accuOnly(push) : push;
}

/**
 * map() and filter(): a comprehension whose errors are fatal, over a list or over a map's keys (in
 * the order cel-js takes them: a Map's insertion order, an object's own keys).
 */
function compileComprehension(node: CelNode, scope: Scope): Fast | undefined {
  const args = node.args as ComprehensionArgs;
  const range = args.iterable.checkedType?.kind;
  if (!args.errorsAreFatal || (range !== 'list' && range !== 'map')) return undefined;
  const element = guardOf(args.iterCtx?.iterType);
  const collection = compile(args.iterable, scope);
  const iterable = collection && range === 'map' ? keysOf(collection, scope) : collection;
  // the accumulator is pushed to: it is built afresh on every call, never computed beforehand
  const init = compile(args.init, { ...scope, fixed: undefined });
  const item = scope.slots.count++;
  const accu = scope.slots.count++;
  const known = new Map(scope.known);
  known.delete(args.iterVarName);
  const inner: Scope = { ...scope, vars: new Map(scope.vars).set(args.iterVarName, item), accu, known };
  const step = compile(args.step, inner);
  if (!element || !iterable || !init || !step) return undefined;
  const { condition, result } = args;
  const unrolled = isKnown(iterable) ? unroll(args, iterable[KNOWN], element, inner, init) : undefined;
  if (unrolled) return unrolled;
  return (ctx, locals) => {
    const items = iterable(ctx, locals) as unknown[];
    let value = init(ctx, locals);
    locals[accu] = value;
    for (let i = 0; i < items.length; i++) {
      if (condition && !condition(value)) break;
      const v = items[i];
      if (!element(v)) return fallback();
      locals[item] = v;
      value = step(ctx, locals);
    }
    return result(value);
  };
}

/** The keys of a map, as the list a comprehension ranges over; known beforehand when the map is. */
function keysOf(map: Fast, scope: Scope): Fast {
  const keys: Fast = (ctx, locals) => {
    const m = map(ctx, locals);
    if (m instanceof Map) return [...m.keys()];
    return typeof m === 'object' && m !== null && !Array.isArray(m) && !(m instanceof Set) ? Object.keys(m) : fallback();
  };
  return folded(keys, [map], scope);
}

/** A comprehension over a list known beforehand: the step compiled once per element, with the element known. */
function unroll(args: ComprehensionArgs, items: unknown, element: (v: unknown) => boolean, inner: Scope, init: Fast): Fast | undefined {
  if (!Array.isArray(items) || !items.every(element)) return undefined;
  const vars = new Map(inner.vars);
  vars.delete(args.iterVarName);
  const steps: Fast[] = [];
  for (const v of items) {
    const step = compile(args.step, { ...inner, vars, known: new Map(inner.known).set(args.iterVarName, v) });
    if (!step) return undefined;
    steps.push(step);
  }
  const accu = inner.accu!;
  const { condition, result } = args;
  const unrolled: Fast = (ctx, locals) => {
    let value = init(ctx, locals);
    locals[accu] = value;
    for (let i = 0; i < steps.length; i++) {
      if (condition && !condition(value)) break;
      value = steps[i]!(ctx, locals);
    }
    return result(value);
  };
  if (!inner.fixed || !readsAccuOnly(init) || !steps.every(readsAccuOnly)) return listed(args, unrolled, steps);
  try {
    return known(unrolled({}, []));
  } catch {
    return listed(args, unrolled, steps);
  }
}

/** An unrolled map() or filter() with the items it pushes, when that is all it does: from an empty list, each step pushing one item or none. */
function listed(args: ComprehensionArgs, unrolled: Fast, steps: readonly Fast[]): Fast {
  const init = args.init;
  const probe = {};
  if (init.op !== 'list' || (init.args as CelNode[]).length !== 0 || args.condition || args.result(probe) !== probe) return unrolled;
  const items: Fast[] = [];
  for (const step of steps) {
    if (PUSHES in step) items.push((step as Pushes)[PUSHES]);
    else if (!(KEEPS in step)) return unrolled;
  }
  return Object.assign(unrolled, { [ITEMS]: items });
}
