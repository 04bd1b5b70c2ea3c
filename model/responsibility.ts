import type { Site } from './site.ts';
import { RESPONSIBLE_ROLES, type Responsibility, type ResponsibleRole } from './site-sections.ts';

/** One person's duty: the unit and the role they are named for. */
export interface NamedDuty {
  site: string;
  unit: string;
  role: ResponsibleRole;
}

/**
 * The major hazard units an asset belongs to: the unit itself (a dike, a declared process unit), or the
 * unit an asset names in one of its attributes (a tank names its dike). No depot word: a unit is any
 * asset or process unit the site names responsible persons for.
 */
/** What the responsibility functions read of a site. */
export type SiteUnits = Pick<Site, 'id' | 'assets' | 'majorHazard'>;

export function unitsOfAsset(site: SiteUnits, assetId: string): string[] {
  const named = site.majorHazard?.responsible ?? [];
  if (named.length === 0) return [];
  const asset = site.assets.find((a) => a.id === assetId);
  const refs = new Set<unknown>([assetId, ...Object.values(asset?.attributes ?? {})]);
  return named.filter((r) => refs.has(r.unit)).map((r) => r.unit);
}

/** The responsibilities of the units the subjects (asset ids of an alert) belong to. */
export function responsibleFor(site: SiteUnits, subjects: readonly string[]): Responsibility[] {
  const units = new Set(subjects.flatMap((s) => unitsOfAsset(site, s)));
  return (site.majorHazard?.responsible ?? []).filter((r) => units.has(r.unit));
}

/** Every user named for the units the subjects belong to, each once, in the file's order. */
export function responsiblePersons(site: SiteUnits, subjects: readonly string[]): string[] {
  return [...new Set(responsibleFor(site, subjects).flatMap((r) => RESPONSIBLE_ROLES.map((role) => r[role])))];
}

/** What a user is named for on a site. */
export function dutiesOf(site: SiteUnits, user: string): NamedDuty[] {
  return (site.majorHazard?.responsible ?? []).flatMap((r) => RESPONSIBLE_ROLES.filter((role) => r[role] === user).map((role) => ({ site: site.id, unit: r.unit, role })));
}
