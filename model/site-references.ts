import type { SiteDefinition } from './site.ts';

export interface ReferenceIssue {
  path: (string | number)[];
  message: string;
}

/** Checks what a schema cannot: unique ids and references between sources, assets and points. */
export function checkReferences(site: SiteDefinition): ReferenceIssue[] {
  const issues: ReferenceIssue[] = [];
  const firstIndex = <T extends { id: string }>(items: T[], key: string) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const earlier = seen.get(item.id);
      if (earlier === undefined) seen.set(item.id, i);
      else issues.push({ path: [key, i, 'id'], message: `duplicate id "${item.id}" (first used at ${key}[${earlier}])` });
    });
    return seen;
  };
  const sources = firstIndex(site.sources, 'sources');
  const assets = firstIndex(site.assets, 'assets');

  site.assets.forEach((asset, i) => {
    if (asset.kind !== 'tank') return;
    const dikeIndex = assets.get(asset.attributes.dike);
    if (dikeIndex === undefined || site.assets[dikeIndex]?.kind !== 'dike')
      issues.push({ path: ['assets', i, 'attributes', 'dike'], message: `no dike "${asset.attributes.dike}" on this site` });
    const { levelHigh, levelHighHigh, levelCriticalHigh, height } = asset.attributes;
    if (!(levelHigh < levelHighHigh && levelHighHigh < levelCriticalHigh && levelCriticalHigh <= height))
      issues.push({ path: ['assets', i, 'attributes'], message: 'level set-points must rise: levelHigh < levelHighHigh < levelCriticalHigh <= height' });
  });

  const known = (key: string, list: { asset?: string; subject?: string }[], field: 'asset' | 'subject') =>
    list.forEach((item, i) => {
      const ref = item[field];
      if (ref !== undefined && !assets.has(ref)) issues.push({ path: [key, i, field], message: `no asset "${ref}" on this site` });
    });
  known('instruments', site.instruments, 'asset');
  known('releaseSources', site.releaseSources, 'asset');
  known('evidence', site.evidence, 'subject');

  const units = new Set([...site.assets.filter((a) => a.kind === 'dike').map((a) => a.id), ...(site.majorHazard?.processUnits ?? []).map((u) => u.id)]);
  const named = new Map<string, number>();
  site.majorHazard?.responsible.forEach((r, i) => {
    if (!units.has(r.unit)) issues.push({ path: ['majorHazard', 'responsible', i, 'unit'], message: `no dike or process unit "${r.unit}" on this site` });
    const earlier = named.get(r.unit);
    if (earlier !== undefined)
      issues.push({ path: ['majorHazard', 'responsible', i, 'unit'], message: `unit "${r.unit}" is named twice (first at majorHazard.responsible[${earlier}])` });
    else named.set(r.unit, i);
  });

  const pointIds = new Map<string, number>();
  site.points.forEach((point, i) => {
    const id = `${point.asset}.${point.name}`;
    const earlier = pointIds.get(id);
    if (earlier !== undefined) issues.push({ path: ['points', i, 'name'], message: `duplicate point "${id}" (first at points[${earlier}])` });
    else pointIds.set(id, i);
    if (!assets.has(point.asset)) issues.push({ path: ['points', i, 'asset'], message: `no asset "${point.asset}" on this site` });
    const sourceIndex = sources.get(point.source);
    const source = sourceIndex === undefined ? undefined : site.sources[sourceIndex];
    if (!source) {
      issues.push({ path: ['points', i, 'source'], message: `no source "${point.source}" on this site` });
    } else if (source.protocol === 'opcua' && !point.node) {
      issues.push({ path: ['points', i, 'node'], message: `point on OPC-UA source "${source.id}" needs a node id` });
    } else if (source.protocol === 'modbus' && !point.register) {
      issues.push({ path: ['points', i, 'register'], message: `point on Modbus source "${source.id}" needs a register` });
    } else if (source.protocol === 'mqtt' && !point.mqtt) {
      issues.push({ path: ['points', i, 'mqtt'], message: `point on MQTT source "${source.id}" needs an mqtt mapping (a topic or a Sparkplug metric)` });
    } else if (source.protocol === 'mqtt' && point.mqtt && 'metric' in point.mqtt && !source.sparkplugGroup) {
      issues.push({ path: ['points', i, 'mqtt'], message: `a Sparkplug B point needs its MQTT source "${source.id}" to name its sparkplugGroup` });
    } else if (source.protocol === 'cap' && !point.cap) {
      issues.push({ path: ['points', i, 'cap'], message: `point on CAP feed "${source.id}" needs a cap mapping (the warnings it follows and the field it reports)` });
    }
  });
  return issues;
}
