import type { Bilingual, CongestedArea, IncidentDetails, Tank } from '../../model/index.ts';
import type { HazardDefinition } from '../../standards/index.ts';
import type { AlarmSpec } from '../alarms/alarm-book.ts';
import { hazardAlarmKey } from '../alarms/alarm-keys.ts';
import { circleRing, distance, polygonFeatures, type PlanPoint } from './geo.ts';
import type { HazardContext } from './hazard-model.ts';
import { hazardParams } from './hazard-params.ts';
import { hazardSpec, joinBilingual, zonesOf } from './incident-parts.ts';
import { blastRadius, type MultiEnergyParams } from './multi-energy.ts';
import { centroid, clipToConvex, polygonArea } from './polygon.ts';

/** One congested volume the flammable cloud reaches, as a multi-energy charge. */
export interface Charge {
  area: CongestedArea;
  /** the part of its outline inside the cloud, and the centre of that part (the blast centre) */
  covered: PlanPoint[];
  centre: PlanPoint;
  volumeM3: number;
  energyJ: number;
  strength: number;
  /** radius, m, for each of the standard's zone overpressures (0: never reached on this curve) */
  radii: { kPa: number; radiusM: number }[];
  /** tanks whose shell lies within the domino overpressure */
  domino: Tank[];
}

const ZONE_NAME = (kPa: number): Bilingual => ({ zh: `爆炸超压 ${kPa} kPa`, en: `Blast overpressure ${kPa} kPa` });
const CONGESTED: Bilingual = { zh: '气云覆盖的受限空间', en: 'Congested volume in the cloud' };

/**
 * Vapour cloud explosion (TNO multi-energy): while the gas-cloud model's flammable cloud (to the LEL)
 * covers part of a congested volume on the site plan (asset kind `congested-area`), one incident for
 * the site. Each covered volume is a charge: V = the covered part of its outline × its height (or of
 * its surveyed volume), E = V × the standard's combustion energy; its charge strength the site's own
 * or the standard's table by obstacle density and confinement; radii to each zone overpressure drawn
 * around the covered part's centre; the tanks whose shell lies inside the domino overpressure named.
 * What would happen if the cloud found an ignition source — the incident stands while the cloud does.
 */
export function createVceModel(context: HazardContext, definition: HazardDefinition) {
  const { site, standard } = context;
  const areas = site.assets.filter((a): a is CongestedArea => a.kind === 'congested-area');
  if (areas.length === 0) return undefined;
  const params = hazardParams('vce', definition);
  const me: MultiEnergyParams = {
    plateau: params.list('plateauOverpressure'),
    energyDensity: params.number('combustionEnergyMJm3') * 1e6,
    ambient: params.number('ambientPressureKPa') * 1000,
    tntEnergy: params.number('tntEnergyMJkg') * 1e6,
    groundReflection: params.number('groundReflection'),
  };
  const strengths = params.table('chargeStrength');
  const zoneKPa = [...params.list('zoneOverpressureKPa')].sort((a, b) => a - b); // outer (lowest) first
  const dominoKPa = params.number('dominoKPa');
  const tanks = site.assets.filter((a): a is Tank => a.kind === 'tank');
  const key = hazardAlarmKey('vce', site.id);
  let open = false;

  const strengthOf = (a: CongestedArea) =>
    a.attributes.chargeStrength ?? strengths[`${a.attributes.obstacleDensity}-${a.attributes.confined ? 'confined' : 'open'}`] ?? Math.max(...Object.values(strengths));

  const chargeOf = (a: CongestedArea, cloud: PlanPoint[]): Charge | undefined => {
    const covered = clipToConvex(a.attributes.outline, cloud);
    const coveredArea = covered.length >= 3 ? polygonArea(covered) : 0;
    if (coveredArea < 1) return undefined; // less than a square metre: the cloud only grazes it
    const whole = polygonArea(a.attributes.outline);
    const volumeM3 = (a.attributes.volume ?? whole * a.attributes.height) * (coveredArea / whole);
    const energyJ = volumeM3 * me.energyDensity;
    const strength = strengthOf(a);
    const centre = centroid(covered);
    const radii = zoneKPa.map((kPa) => ({ kPa, radiusM: Math.round(blastRadius(energyJ, strength, kPa, me) * 10) / 10 }));
    const dominoM = blastRadius(energyJ, strength, dominoKPa, me);
    const domino = dominoM > 0 ? tanks.filter((t) => distance(centre, t.position) - t.attributes.diameter / 2 <= dominoM) : [];
    return { area: a, covered, centre, volumeM3, energyJ, strength, radii, domino };
  };

  const build = (charges: Charge[], wind: IncidentDetails['wind']): AlarmSpec => {
    const features = charges.flatMap((c) => [
      ...c.radii
        .filter((r) => r.radiusM > 0)
        .map((r) =>
          polygonFeatures(site.location, circleRing(c.centre, r.radiusM), { name: ZONE_NAME(r.kPa), kind: 'overpressure', kPa: r.kPa, radiusM: r.radiusM, asset: c.area.id }),
        ),
      polygonFeatures(site.location, c.covered, { name: CONGESTED, kind: 'congested-volume', asset: c.area.id, volumeM3: Math.round(c.volumeM3), chargeStrength: c.strength }),
    ]);
    const domino = [...new Set(charges.flatMap((c) => c.domino))];
    const radius = (kPa: number) => Math.max(0, ...charges.map((c) => c.radii.find((r) => r.kPa === kPa)?.radiusM ?? 0));
    const values = {
      areas: joinBilingual(charges.map((c) => c.area.name)),
      volume: Math.round(charges.reduce((s, c) => s + c.volumeM3, 0)),
      energy: Math.round(charges.reduce((s, c) => s + c.energyJ, 0) / 1e8) / 10, // GJ, one decimal
      strength: charges.map((c) => c.strength).join(', '),
      ...Object.fromEntries(zoneKPa.map((kPa) => [`r${kPa}`, radius(kPa)])),
      dominoKPa,
      domino: domino.map((t) => t.id).join(', ') || '—',
    };
    const incident: IncidentDetails = {
      hazard: 'vce',
      ...zonesOf(features),
      affected: [...charges.map((c) => c.area.id), ...domino.map((t) => t.id)],
      inventory: [],
      countdowns: [],
      wind,
    };
    return hazardSpec(definition, standard, 'vce', { values, name: site.name, subjects: [site.id], incident });
  };

  return {
    /** the flammable cloud (LEL) as last drawn, or undefined when there is none */
    cloud(cloud: PlanPoint[] | undefined, wind: IncidentDetails['wind'], at: number): void {
      if (!cloud) {
        if (open) context.condition(key, undefined, false, at);
        open = false;
        return;
      }
      const charges = areas.flatMap((a) => chargeOf(a, cloud) ?? []);
      open = charges.length > 0;
      context.condition(key, open ? build(charges, wind) : undefined, open, at);
    },
  };
}
