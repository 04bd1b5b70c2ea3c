import type { Bilingual } from '../../model/index.ts';
import type { SolidFlame } from './pool-fire.ts';
import type { RadiationZone } from './tank-fire-radiation.ts';

const span = (z: RadiationZone) => (Math.round(z.minM) === Math.round(z.maxM) ? `${Math.round(z.maxM)} m` : `${Math.round(z.minM)}–${Math.round(z.maxM)} m`);

/** "12.5 kW/m² 3–12 m; 4 kW/m² 20–61 m; 37.5 kW/m² not reached outside the flame" (upwind–downwind, beyond the edge). */
export function describeZones(fluxes: number[], zones: RadiationZone[]): Bilingual {
  const reached = fluxes.flatMap((q) => zones.filter((z) => z.kWm2 === q));
  const missing = fluxes.filter((q) => !zones.some((z) => z.kWm2 === q));
  const zh = reached.map((z) => `${z.kWm2} kW/m² ${span(z)}`);
  const en = reached.map((z) => `${z.kWm2} kW/m² ${span(z)}`);
  if (missing.length > 0) {
    zh.push(`${missing.join('、')} kW/m² 在火焰外不出现`);
    en.push(`${missing.join(', ')} kW/m² not reached outside the flame`);
  }
  return { zh: zh.join('；'), en: en.join('; ') };
}

/** "44 m long, leaning 54° towards 300°, emissive power 20 kW/m²" */
export function describeFlame(flame: SolidFlame): Bilingual {
  const length = Math.round(flame.lengthM * 10) / 10;
  const tilt = Math.round((flame.tiltRad * 180) / Math.PI);
  const e = Math.round(flame.emissivePowerKwM2 * 10) / 10;
  if (flame.leansTowardsDeg === undefined)
    return {
      zh: `火焰长 ${length} m，风况未知，按向各方向倾斜 ${tilt}° 计，表面辐射功率 ${e} kW/m²`,
      en: `${length} m long, the wind unknown: taken leaning ${tilt}° towards every side, emissive power ${e} kW/m²`,
    };
  if (tilt === 0) return { zh: `火焰长 ${length} m，竖直，表面辐射功率 ${e} kW/m²`, en: `${length} m long, upright, emissive power ${e} kW/m²` };
  const towards = Math.round(flame.leansTowardsDeg);
  return {
    zh: `火焰长 ${length} m，向 ${towards}° 方向倾斜 ${tilt}°，表面辐射功率 ${e} kW/m²`,
    en: `${length} m long, leaning ${tilt}° towards ${towards}°, emissive power ${e} kW/m²`,
  };
}

/** the three neighbours receiving the most: "T102 2.7 kW/m², T201 0.4 kW/m²"; "—" with none */
export function describeNeighbours(shells: { id: string; kWm2: number }[]): Bilingual {
  const top = shells.slice(0, 3).map((s) => `${s.id} ${Math.round(s.kWm2 * 10) / 10} kW/m²`);
  return top.length === 0 ? { zh: '—', en: '—' } : { zh: top.join('、'), en: top.join(', ') };
}
