// A fast path for checked CEL expressions: the AST that cel-js parsed and type-checked is turned
// into plain closures, node by node, for the node shapes live clauses are made of (readings,
// fields, comparisons, arithmetic, and/or, calls with static types, map() over a list). Operators
// and functions run the library's own handlers, found by its type check, so the arithmetic is
// cel-js's. Whenever a value is not of the checked type, or anything throws, the whole expression
// is evaluated again by cel-js, which gives the exact value or error; an expression with any other
// node shape is never compiled and always runs on cel-js.

/** What this file reads of a cel-js AST node after the type check (internal to cel-js 8, pinned). */
interface CelNode {
  op: string;
  args: unknown;
  checkedType?: CelType;
  meta: { alternate?: CelNode; macro?: unknown };
  handle?: (...args: unknown[]) => unknown;
  candidates?: { findFunction(types: CelType[]): { handler: (...args: unknown[]) => unknown } | null };
}
interface CelType {
  kind: string;
  name: string;
  hasDynType: boolean;
  valueType?: CelType;
}
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
}

type Locals = unknown[];
type Fast = (ctx: Record<string, unknown>, locals: Locals) => unknown;
interface Scope {
  vars: Map<string, number>;
  accu?: number;
  slots: { count: number };
}

/** Thrown by a closure that meets a value it does not handle; never escapes this file. */
const FALLBACK = Symbol('cel fallback');
const fallback = (): never => {
  throw FALLBACK;
};
const hasOwn = Object.hasOwn;

/** Wraps a checked program with its compiled fast path, when every node of its AST is supported. */
export function withFastPath(program: ParsedCel): FastCel {
  const slots = { count: 0 };
  const fast = compile(program.ast as CelNode, { vars: new Map(), slots });
  if (!fast) return Object.assign((ctx: Record<string, unknown>) => program(ctx), { ast: program.ast, slow: program, compiled: false });
  const locals: Locals = new Array<unknown>(slots.count);
  const run = (ctx: Record<string, unknown>): unknown => {
    try {
      return fast(ctx, locals);
    } catch {
      return program(ctx); // cel-js decides: the exact error, or a value the fast path does not handle
    }
  };
  return Object.assign(run, { ast: program.ast, slow: program, compiled: true });
}

/** A check that a runtime value is of a checked type, as far as the fast path handles it. */
function guardOf(type: CelType | undefined): ((v: unknown) => boolean) | undefined {
  if (!type) return undefined;
  switch (type.kind) {
    case 'primitive':
      switch (type.name) {
        case 'double':
          return (v) => typeof v === 'number';
        case 'int':
          return (v) => typeof v === 'bigint';
        case 'bool':
          return (v) => typeof v === 'boolean';
        case 'string':
          return (v) => typeof v === 'string';
        default:
          return undefined;
      }
    case 'message': {
      // the site model builds each CEL object type as a class of the same name (standards/cel-types.ts);
      // the class last seen is remembered, so the name is compared once per class, not per value
      const name = type.name;
      let known: unknown;
      return (v) => {
        if (typeof v !== 'object' || v === null) return false;
        const ctor = (v as object).constructor;
        if (ctor === known) return true;
        if (ctor?.name !== name) return false;
        known = ctor;
        return true;
      };
    }
    case 'list':
      return (v) => Array.isArray(v);
    case 'map':
      return (v) => typeof v === 'object' && v !== null && ((v as object).constructor === Object || (v as object).constructor === undefined);
    case 'dyn':
      return (v) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint';
    default:
      return undefined;
  }
}

const isStatic = (type: CelType | undefined): type is CelType => type !== undefined && !type.hasDynType;

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
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string' || typeof value === 'boolean') return () => value;
  return undefined;
}

function compileId(node: CelNode, scope: Scope): Fast | undefined {
  const name = node.args as string;
  const slot = scope.vars.get(name);
  if (slot !== undefined) return (_ctx, locals) => locals[slot];
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
  const leftType = left.checkedType;
  const guard = guardOf(node.checkedType);
  if (!of || !guard || !leftType || typeof key !== 'string') return undefined;
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
  const leftType = left.checkedType;
  const guard = guardOf(node.checkedType);
  if (!of || !at || !guard || !leftType || !isStatic(right.checkedType)) return undefined;
  if (leftType.kind === 'list' && right.checkedType.name === 'int')
    return (ctx, locals) => {
      const v = (of(ctx, locals) as unknown[])[Number(at(ctx, locals) as bigint)];
      return guard(v) ? v : fallback();
    };
  if (leftType.kind === 'map' && right.checkedType.name === 'string')
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
  return (ctx, locals) => handle(of(ctx, locals), node, undefined);
}

/** A binary operator on static types: cel-js resolved its overload at the type check. */
function compileBinary(node: CelNode, scope: Scope): Fast | undefined {
  const [left, right] = node.args as [CelNode, CelNode];
  const l = compile(left, scope);
  const r = compile(right, scope);
  const handle = node.handle;
  if (!l || !r || !handle || !isStatic(left.checkedType) || !isStatic(right.checkedType)) return undefined;
  return (ctx, locals) => handle(l(ctx, locals), r(ctx, locals), node, undefined);
}

function compileLogical(node: CelNode, scope: Scope): Fast | undefined {
  const [left, right] = node.args as [CelNode, CelNode];
  const l = compile(left, scope);
  const r = compile(right, scope);
  if (!l || !r) return undefined;
  const decided = node.op === '||'; // the left value that decides without the right
  return (ctx, locals) => {
    const a = l(ctx, locals);
    if (a === decided) return a;
    if (a !== !decided) return fallback();
    const b = r(ctx, locals);
    return typeof b === 'boolean' ? b : fallback();
  };
}

function compileTernary(node: CelNode, scope: Scope): Fast | undefined {
  const [condition, yes, no] = (node.args as CelNode[]).map((n) => compile(n, scope));
  if (!condition || !yes || !no) return undefined;
  return (ctx, locals) => {
    const c = condition(ctx, locals);
    return c === true ? yes(ctx, locals) : c === false ? no(ctx, locals) : fallback();
  };
}

function compileCall(node: CelNode, scope: Scope): Fast | undefined {
  const [name, argNodes] = node.args as [string, CelNode[]];
  const args = argNodes.map((a) => compile(a, scope));
  if (args.some((a) => !a)) return undefined;
  const compiled = args as Fast[];
  const result = guardOf(node.checkedType);
  if (!result) return undefined;
  if (argNodes.every((a) => isStatic(a.checkedType))) {
    // the overload cel-js's check chose; resolved once here, as cel-js does for static argument types
    const handler = node.candidates?.findFunction(argNodes.map((a) => a.checkedType!))?.handler;
    if (!handler) return undefined;
    if (compiled.length === 1 && node.checkedType!.name === 'double') {
      const [a] = compiled as [Fast];
      return (ctx, locals) => {
        const v = handler(a(ctx, locals));
        return typeof v === 'number' ? v : fallback();
      };
    }
    if (compiled.length === 1) {
      const [a] = compiled as [Fast];
      return (ctx, locals) => {
        const v = handler(a(ctx, locals));
        return result(v) ? v : fallback();
      };
    }
    return (ctx, locals) => {
      const v = handler(...compiled.map((f) => f(ctx, locals)));
      return result(v) ? v : fallback();
    };
  }
  // double(x) of a free-form (dyn) attribute: the identity on a number; anything else goes to cel-js
  if (name === 'double' && compiled.length === 1) {
    const [a] = compiled as [Fast];
    return (ctx, locals) => {
      const v = a(ctx, locals);
      return typeof v === 'number' ? v : fallback();
    };
  }
  return undefined;
}

function compileList(node: CelNode, scope: Scope): Fast | undefined {
  const items = (node.args as CelNode[]).map((n) => compile(n, scope));
  if (items.some((i) => !i)) return undefined;
  const compiled = items as Fast[];
  return (ctx, locals) => compiled.map((f) => f(ctx, locals));
}

const accuValue =
  (slot: number): Fast =>
  (_ctx, locals) =>
    locals[slot];

function compileAccuPush(node: CelNode, scope: Scope): Fast | undefined {
  const slot = scope.accu;
  const item = compile(node.args as CelNode, scope);
  if (slot === undefined || !item) return undefined;
  return (ctx, locals) => {
    const list = locals[slot] as unknown[];
    list.push(item(ctx, locals));
    return list;
  };
}

/** map() and filter(): a comprehension whose errors are fatal, over a list. */
function compileComprehension(node: CelNode, scope: Scope): Fast | undefined {
  const args = node.args as ComprehensionArgs;
  if (!args.errorsAreFatal || args.iterable.checkedType?.kind !== 'list') return undefined;
  const element = guardOf(args.iterCtx?.iterType);
  const iterable = compile(args.iterable, scope);
  const init = compile(args.init, scope);
  const item = scope.slots.count++;
  const accu = scope.slots.count++;
  const inner: Scope = { vars: new Map(scope.vars).set(args.iterVarName, item), accu, slots: scope.slots };
  const step = compile(args.step, inner);
  if (!element || !iterable || !init || !step) return undefined;
  const { condition, result } = args;
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
