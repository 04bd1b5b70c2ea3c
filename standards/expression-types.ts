// What the expression fast path (expression-compiler.ts) knows of cel-js's checked AST: a guard per
// type it handles, the operators on two doubles written out as cel-js's own handlers, and calls of
// the handler cel-js's check resolved.

/** What the fast path reads of a cel-js AST node after the type check (internal to cel-js 8, pinned). */
export interface CelNode {
  op: string;
  args: unknown;
  checkedType?: CelType;
  meta: { alternate?: CelNode; macro?: unknown };
  handle?: (...args: unknown[]) => unknown;
  candidates?: { findFunction(types: CelType[]): { handler: (...args: unknown[]) => unknown } | null };
}

/** A type cel-js's check gave a node (internal to cel-js 8, pinned). */
export interface CelType {
  kind: string;
  name: string;
  hasDynType: boolean;
  valueType?: CelType;
}

type Fast = (ctx: Record<string, unknown>, locals: unknown[]) => unknown;

/** Thrown by a closure that meets a value it does not handle; never escapes the fast path. */
const FALLBACK = Symbol('cel fallback');
export const fallback = (): never => {
  throw FALLBACK;
};

/** A check that a runtime value is of a checked type, as far as the fast path handles it. */
/** a CEL map as the site model and the engine build one: a plain object (or one without a prototype) */
export const isCelMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && ((v as object).constructor === Object || (v as object).constructor === undefined);

export function guardOf(type: CelType | undefined): ((v: unknown) => boolean) | undefined {
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
      return isCelMap;
    case 'dyn':
      return (v) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint';
    default:
      return undefined;
  }
}

export const isStatic = (type: CelType | undefined): type is CelType => type !== undefined && !type.hasDynType;

export const isDouble = (type: CelType) => type.kind === 'primitive' && type.name === 'double';

/**
 * An operator on two doubles written out as cel-js's own handler for it is (lib/overloads.js:
 * `(a, b) => a < b` and so on), in three forms: both operands run, or one of them is known.
 */
export interface Inline {
  both(l: Fast, r: Fast): Fast;
  right(l: Fast, b: number): Fast;
  left(a: number, r: Fast): Fast;
}
export const DOUBLE_OPERATORS: Record<string, Inline> = {
  '<': {
    both: (l, r) => (c, x) => (l(c, x) as number) < (r(c, x) as number),
    right: (l, b) => (c, x) => (l(c, x) as number) < b,
    left: (a, r) => (c, x) => a < (r(c, x) as number),
  },
  '<=': {
    both: (l, r) => (c, x) => (l(c, x) as number) <= (r(c, x) as number),
    right: (l, b) => (c, x) => (l(c, x) as number) <= b,
    left: (a, r) => (c, x) => a <= (r(c, x) as number),
  },
  '>': {
    both: (l, r) => (c, x) => (l(c, x) as number) > (r(c, x) as number),
    right: (l, b) => (c, x) => (l(c, x) as number) > b,
    left: (a, r) => (c, x) => a > (r(c, x) as number),
  },
  '>=': {
    both: (l, r) => (c, x) => (l(c, x) as number) >= (r(c, x) as number),
    right: (l, b) => (c, x) => (l(c, x) as number) >= b,
    left: (a, r) => (c, x) => a >= (r(c, x) as number),
  },
  '+': {
    both: (l, r) => (c, x) => (l(c, x) as number) + (r(c, x) as number),
    right: (l, b) => (c, x) => (l(c, x) as number) + b,
    left: (a, r) => (c, x) => a + (r(c, x) as number),
  },
  '-': {
    both: (l, r) => (c, x) => (l(c, x) as number) - (r(c, x) as number),
    right: (l, b) => (c, x) => (l(c, x) as number) - b,
    left: (a, r) => (c, x) => a - (r(c, x) as number),
  },
  '*': {
    both: (l, r) => (c, x) => (l(c, x) as number) * (r(c, x) as number),
    right: (l, b) => (c, x) => (l(c, x) as number) * b,
    left: (a, r) => (c, x) => a * (r(c, x) as number),
  },
  '/': {
    both: (l, r) => (c, x) => (l(c, x) as number) / (r(c, x) as number),
    right: (l, b) => (c, x) => (l(c, x) as number) / b,
    left: (a, r) => (c, x) => a / (r(c, x) as number),
  },
};

/** A call of a function with static argument types: the handler cel-js's check chose, its result guarded. */
export function callOf(node: CelNode, name: string, argNodes: CelNode[], compiled: Fast[]): Fast | undefined {
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
    if (compiled.length === 2) {
      const [a, b] = compiled as [Fast, Fast];
      return (ctx, locals) => {
        const v = handler(a(ctx, locals), b(ctx, locals));
        return result(v) ? v : fallback();
      };
    }
    if (compiled.length === 3) {
      const [a, b, c] = compiled as [Fast, Fast, Fast];
      return (ctx, locals) => {
        const v = handler(a(ctx, locals), b(ctx, locals), c(ctx, locals));
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
