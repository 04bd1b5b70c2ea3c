import { Environment } from '@marcbachmann/cel-js';
import { ASSET_KINDS, assetSchema, siteSchema, type AssetKind, type Site } from '../model/index.ts';
import { registerFunctions } from './cel-functions.ts';
import { namedClass, objectShape, pascal, shapeOf, type CelObject, type CelShape, type ZodLike } from './cel-types.ts';

export type { CelObject } from './cel-types.ts';

/** The site model as CEL types: one type per asset kind and site section, derived from the model's own schema. */
export interface CelModel {
  /** types and functions only; clone it per clause and declare the clause's variables */
  readonly env: Environment;
  /** CEL type name of an asset of this kind, e.g. "Tank" or "map<string, dyn>" */
  assetType(kind: AssetKind): string;
  /** attribute names and CEL types of this kind, or undefined when its attributes are free-form */
  assetFields(kind: AssetKind): Record<string, string> | undefined;
  /** CEL type of an evidence record, as evidence clauses see `record` */
  readonly recordType: string;
  /** the site and its assets as CEL values (built once per site, then reused) */
  toCel(site: Site): SiteCel;
}

export interface SiteCel {
  site: CelObject;
  assets: Map<string, CelObject>;
  /** evidence records as CEL values, in the site's order */
  records: CelObject[];
}

/** `site.tanks`, `site.gasDetectors`, …: the list of assets of one kind. */
export function siteListName(kind: AssetKind): string {
  return kind.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) + 's';
}

/** Sections of the site definition that expressions do not see (wiring, not the depot). */
const HIDDEN = new Set(['id', 'name', 'location', 'plan', 'standards', 'sources', 'assets', 'points']);

export function createCelModel(): CelModel {
  const env = new Environment({ homogeneousAggregateLiterals: true });
  const registered = new Map<string, CelShape>();
  const kinds = new Map<AssetKind, { shape?: CelShape }>();
  const position = { x: 'double', y: 'double' };

  for (const option of (assetSchema as unknown as { options: ZodLike[] }).options) {
    const attributes = option.shape!['attributes']!;
    for (const kind of kindsOf(option.shape!['kind']!)) {
      if (attributes.def.type !== 'object') kinds.set(kind, {});
      else kinds.set(kind, { shape: objectShape(env, attributes.shape!, pascal(kind), registered, { id: 'string', kind: 'string', ...position }) });
    }
  }

  const siteFields: Record<string, string> = { id: 'string', points: 'list<SitePoint>' };
  const PointCtor = namedClass('SitePoint');
  env.registerType('SitePoint', {
    ctor: PointCtor,
    fields: { id: 'string', asset: 'string', name: 'string', unit: 'string', source: 'string' },
  });
  for (const kind of ASSET_KINDS) siteFields[siteListName(kind)] = `list<${kinds.get(kind)!.shape?.type ?? 'map<string, dyn>'}>`;
  const sections: [string, CelShape][] = [];
  for (const [key, schema] of Object.entries((siteSchema as unknown as { shape: Record<string, ZodLike> }).shape)) {
    if (HIDDEN.has(key)) continue;
    const shape = shapeOf(env, schema, pascal(key), registered);
    siteFields[key] = shape.type;
    sections.push([key, shape]);
  }
  const SiteCtor = namedClass('Site');
  env.registerType('Site', { ctor: SiteCtor, fields: siteFields });
  registerFunctions(env);

  return {
    env,
    assetType: (kind) => kinds.get(kind)!.shape?.type ?? 'map<string, dyn>',
    assetFields: (kind) => kinds.get(kind)!.shape?.fields,
    recordType: 'Evidence',
    toCel(site) {
      const assets = new Map<string, CelObject>();
      const lists: Record<string, unknown> = { id: site.id };
      for (const kind of ASSET_KINDS) lists[siteListName(kind)] = [];
      for (const asset of site.assets) {
        const fields = { id: asset.id, kind: asset.kind, x: asset.position.x, y: asset.position.y, ...asset.attributes };
        const shape = kinds.get(asset.kind)!.shape;
        const value = (shape ? shape.convert(fields) : fields) as CelObject;
        assets.set(asset.id, value);
        (lists[siteListName(asset.kind)] as CelObject[]).push(value);
      }
      lists['points'] = site.points.map((p) => new PointCtor({ id: p.id, asset: p.asset, name: p.name, unit: p.unit, source: p.source }));
      for (const [key, shape] of sections) {
        const value = (site as unknown as Record<string, unknown>)[key];
        if (value !== undefined) lists[key] = shape.convert(value);
      }
      return { site: new SiteCtor(lists), assets, records: (lists['evidence'] as CelObject[] | undefined) ?? [] };
    },
  };
}

function kindsOf(schema: ZodLike): AssetKind[] {
  if (schema.def.type === 'literal') return schema.def.values as AssetKind[];
  return schema.options as AssetKind[];
}
