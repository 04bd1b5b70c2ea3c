import type { Environment } from '@marcbachmann/cel-js';

// Turns the site model's zod schemas into CEL types, registering one named CEL type per
// object shape, and converts validated values into instances of those types. Nothing here
// parses expressions: CEL (cel-js) does that.

export type CelObject = Record<string, unknown>;
export type Ctor = new (fields: CelObject) => CelObject;

/** Just what we read of zod 4's schema definitions. */
export interface ZodLike {
  def: { type: string; innerType?: ZodLike; element?: ZodLike; values?: unknown[]; valueType?: ZodLike; options?: ZodLike[] };
  shape?: Record<string, ZodLike>;
  options?: unknown[];
}

/** A CEL type for one schema, and how to turn a validated value into a CEL value. */
export interface CelShape {
  type: string;
  convert(value: unknown): unknown;
  /** field types, for object shapes */
  fields?: Record<string, string>;
}

export function namedClass(name: string): Ctor {
  const holder = {
    [name]: class {
      constructor(fields: CelObject) {
        Object.assign(this, fields);
      }
    },
  };
  return holder[name] as unknown as Ctor;
}

export function pascal(name: string): string {
  return name.replace(/(^|[-_])([a-z])/g, (_, __, c: string) => c.toUpperCase()).replace(/^[a-z]/, (c) => c.toUpperCase());
}

const identity = (value: unknown) => value;

/** Registers the CEL types a schema needs (named after `name`) and returns its shape. */
export function shapeOf(env: Environment, schema: ZodLike, name: string, registered: Map<string, CelShape>): CelShape {
  switch (schema.def.type) {
    case 'number':
      return { type: 'double', convert: identity };
    case 'string':
    case 'enum':
      return { type: 'string', convert: identity };
    case 'boolean':
      return { type: 'bool', convert: identity };
    case 'literal':
      return { type: typeof schema.def.values?.[0] === 'number' ? 'double' : 'string', convert: identity };
    case 'union': {
      const options = (schema.def.options ?? []).map((o) => shapeOf(env, o, name, registered));
      const type = options.every((o) => o.type === options[0]?.type) ? options[0]!.type : 'dyn';
      return { type, convert: identity };
    }
    case 'optional':
    case 'default':
      return shapeOf(env, schema.def.innerType!, name, registered);
    case 'array': {
      const element = shapeOf(env, schema.def.element!, singular(name), registered);
      return { type: `list<${element.type}>`, convert: (v) => (v as unknown[]).map(element.convert) };
    }
    case 'record': {
      const value = shapeOf(env, schema.def.valueType!, name, registered);
      return { type: `map<string, ${value.type}>`, convert: identity };
    }
    case 'object':
      return objectShape(env, schema.shape!, isPosition(schema.shape!) ? 'Position' : name, registered);
    default:
      return { type: 'dyn', convert: identity };
  }
}

/** A named CEL type with the given fields (plus `extra` fields that are not in the schema). */
export function objectShape(env: Environment, shape: Record<string, ZodLike>, name: string, registered: Map<string, CelShape>, extra: Record<string, string> = {}): CelShape {
  const known = registered.get(name);
  if (known) return known;
  const fields: Record<string, string> = { ...extra };
  const converters: [string, (v: unknown) => unknown][] = [];
  for (const [key, schema] of Object.entries(shape)) {
    const field = shapeOf(env, schema, name + pascal(key), registered);
    fields[key] = field.type;
    if (field.convert !== identity) converters.push([key, field.convert]);
  }
  const ctor = namedClass(name);
  env.registerType(name, { ctor, fields });
  const result: CelShape = {
    type: name,
    fields,
    convert(value) {
      const copy = { ...(value as CelObject) };
      for (const [key, convert] of converters) if (copy[key] !== undefined) copy[key] = convert(copy[key]);
      return new ctor(copy);
    },
  };
  registered.set(name, result);
  return result;
}

function isPosition(shape: Record<string, ZodLike>): boolean {
  const keys = Object.keys(shape).sort();
  return keys.length === 2 && keys[0] === 'x' && keys[1] === 'y';
}

function singular(name: string): string {
  return name.endsWith('s') ? name.slice(0, -1) : name;
}
