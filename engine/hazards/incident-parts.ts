import type { Bilingual, GeoFeature, IncidentDetails, Tank } from '../../model/index.ts';
import { renderTemplate, type HazardDefinition, type Standard } from '../../standards/index.ts';
import type { AlarmSpec } from '../alarms/alarm-book.ts';
import { planToWgs84, type PlanPoint } from './geo.ts';
import type { HazardContext } from './hazard-model.ts';

/** Fills a template whose values differ by language (lists of names, kinds of evidence). */
export function renderBilingual(template: Bilingual, values: Record<string, unknown | Bilingual>, name: Bilingual): Bilingual {
  const pick = (lang: 'zh' | 'en') => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, isBilingual(v) ? v[lang] : v]));
  return { zh: renderTemplate(template, pick('zh'), name).zh, en: renderTemplate(template, pick('en'), name).en };
}

const isBilingual = (v: unknown): v is Bilingual => typeof v === 'object' && v !== null && 'zh' in v && 'en' in v;

/** Joins bilingual names into one bilingual list ("、" in Chinese, ", " in English); "—" when empty. */
export function joinBilingual(items: Bilingual[]): Bilingual {
  if (items.length === 0) return { zh: '—', en: '—' };
  return { zh: items.map((i) => i.zh).join('、'), en: items.map((i) => i.en).join(', ') };
}

/**
 * Tonnes in tanks from their latest level readings × cross-section × the product's density; a tank
 * whose last level is not a number is left out (an inventory is never guessed).
 */
export function inventoryOf(context: Pick<HazardContext, 'site' | 'latest'>, tanks: Tank[], density: Record<string, number>): IncidentDetails['inventory'] {
  return tanks.flatMap((t) => {
    const level = context.site.points.find((p) => p.asset === t.id && p.name === 'level');
    const value = level ? context.latest(level.id)?.value : undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) return [];
    const tonnes = Math.round(value * ((Math.PI * t.attributes.diameter ** 2) / 4) * (density[t.attributes.product] ?? 0));
    return [{ asset: t.id, product: t.attributes.product, tonnes }];
  });
}

/** A point feature on the plan and the same in WGS84. */
export function pointFeatures(origin: { lat: number; lon: number }, p: PlanPoint, properties: Record<string, unknown>): { plan: GeoFeature; wgs84: GeoFeature } {
  return {
    plan: { type: 'Feature', geometry: { type: 'Point', coordinates: [p.x, p.y] }, properties },
    wgs84: { type: 'Feature', geometry: { type: 'Point', coordinates: planToWgs84(origin, p) }, properties },
  };
}

/** Incident zones from features that come in plan and WGS84 pairs. */
export function zonesOf(parts: { plan: GeoFeature; wgs84: GeoFeature }[]): Pick<IncidentDetails, 'zones' | 'planZones'> {
  return {
    zones: { type: 'FeatureCollection', features: parts.map((p) => p.wgs84) },
    planZones: { type: 'FeatureCollection', features: parts.map((p) => p.plan) },
  };
}

/** What a hazard model raises: kind `hazard-<name>`, the standard's severity, message and actions filled with `values`. */
export function hazardSpec(
  definition: HazardDefinition,
  standard: Pick<Standard, 'key'>,
  hazard: string,
  parts: { values: Record<string, unknown | Bilingual>; name: Bilingual; subjects: string[]; incident: IncidentDetails },
): AlarmSpec {
  const { values, name } = parts;
  return {
    kind: `hazard-${hazard}`,
    severity: definition.severity,
    message: renderBilingual(definition.message, values, name),
    actions: definition.actions.map((a) => renderBilingual(a, values, name)),
    subjects: parts.subjects,
    standard: standard.key,
    incident: parts.incident,
  };
}
