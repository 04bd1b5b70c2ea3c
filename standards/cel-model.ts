import { Environment } from '@marcbachmann/cel-js';
import { ASSET_KINDS, assetSchema, type Asset, type AssetKind, type Site } from '../model/index.ts';

/** A CEL object: an asset or the site, as expressions see it. */
export type CelObject = Record<string, unknown>;
type Ctor = new (fields: CelObject) => CelObject;

/** The site model as CEL types: one type per asset kind, derived from the model's own schema. */
export interface CelModel {
  /** types and functions only; clone it per clause and declare the clause's variables */
  readonly env: Environment;
  /** CEL type name of an asset of this kind, e.g. "Tank" or "map<string, dyn>" */
  assetType(kind: AssetKind): string;
  /** attribute names and CEL types of this kind, or undefined when its attributes are free-form */
  assetFields(kind: AssetKind): Record<string, string> | undefined;
  /** the site and its assets as CEL values (built once per site, then reused) */
  toCel(site: Site): { site: CelObject; assets: Map<string, CelObject> };
}

/** `site.tanks`, `site.gasDetectors`, …: the list of assets of one kind. */
export function siteListName(kind: AssetKind): string {
  return kind.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) + 's';
}

export function createCelModel(): CelModel {
  const env = new Environment({ homogeneousAggregateLiterals: true });
  const types = new Map<AssetKind, { name: string; fields?: Record<string, string>; ctor?: Ctor }>();

  for (const option of (assetSchema as unknown as { options: ZodLike[] }).options) {
    const kinds = kindsOf(option.shape!['kind']!);
    const attributes = option.shape!['attributes']!;
    for (const kind of kinds) {
      if (attributes.def.type !== 'object') {
        types.set(kind, { name: 'map<string, dyn>' });
        continue;
      }
      const name = pascal(kind);
      const fields: Record<string, string> = { id: 'string', kind: 'string', x: 'double', y: 'double' };
      for (const [key, schema] of Object.entries(attributes.shape!)) fields[key] = celTypeOf(schema);
      const ctor = namedClass(name);
      env.registerType(name, { ctor, fields });
      types.set(kind, { name, fields, ctor });
    }
  }
  const siteFields: Record<string, string> = { id: 'string' };
  for (const kind of ASSET_KINDS) siteFields[siteListName(kind)] = `list<${types.get(kind)!.name}>`;
  const SiteCtor = namedClass('Site');
  env.registerType('Site', { ctor: SiteCtor, fields: siteFields });

  const numbers = (list: unknown[]) => list.map(Number);
  const nonEmpty = (name: string, list: unknown[]) => {
    if (list.length === 0) throw new RangeError(`${name}() of an empty list`);
    return numbers(list);
  };
  env.registerFunction('max(list<double>): double', (list: unknown[]) => Math.max(...nonEmpty('max', list)));
  env.registerFunction('min(list<double>): double', (list: unknown[]) => Math.min(...nonEmpty('min', list)));
  env.registerFunction('sum(list<double>): double', (list: unknown[]) => numbers(list).reduce((a, b) => a + b, 0));

  return {
    env,
    assetType: (kind) => types.get(kind)!.name,
    assetFields: (kind) => types.get(kind)!.fields,
    toCel(site) {
      const assets = new Map<string, CelObject>();
      const lists: Record<string, unknown> = { id: site.id };
      for (const kind of ASSET_KINDS) lists[siteListName(kind)] = [];
      for (const asset of site.assets) {
        const value = celAsset(asset, types.get(asset.kind)!.ctor);
        assets.set(asset.id, value);
        (lists[siteListName(asset.kind)] as CelObject[]).push(value);
      }
      return { site: new SiteCtor(lists), assets };
    },
  };
}

function celAsset(asset: Asset, ctor: Ctor | undefined): CelObject {
  const fields = { id: asset.id, kind: asset.kind, x: asset.position.x, y: asset.position.y, ...asset.attributes };
  return ctor ? new ctor(fields) : fields;
}

function namedClass(name: string): Ctor {
  const holder = {
    [name]: class {
      constructor(fields: CelObject) {
        Object.assign(this, fields);
      }
    },
  };
  return holder[name] as unknown as Ctor;
}

function pascal(kind: string): string {
  return kind.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}

/** Just what we read of zod 4's schema definitions. */
interface ZodLike {
  def: { type: string; innerType?: ZodLike; element?: ZodLike; values?: unknown[] };
  shape?: Record<string, ZodLike>;
  options?: unknown[];
}

function kindsOf(schema: ZodLike): AssetKind[] {
  if (schema.def.type === 'literal') return schema.def.values as AssetKind[];
  return schema.options as AssetKind[];
}

function celTypeOf(schema: ZodLike): string {
  switch (schema.def.type) {
    case 'number':
      return 'double';
    case 'string':
    case 'enum':
    case 'literal':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'optional':
    case 'default':
      return celTypeOf(schema.def.innerType!);
    case 'array':
      return `list<${celTypeOf(schema.def.element!)}>`;
    default:
      return 'map<string, dyn>';
  }
}
