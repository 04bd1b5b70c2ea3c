/**
 * Pasquill–Gifford stability class from the surface wind speed, the sun and the cloud cover, by
 * Pasquill's table (Pasquill 1961, as given in Turner, Workbook of Atmospheric Dispersion Estimates,
 * 1970, Table 1): day by the strength of the incoming solar radiation, night by the cloud cover, an
 * overcast sky (8/8) neutral (D) day or night. The table's in-between classes (A–B, B–C, C–D) are read
 * as the more stable of the two, and its empty night cell below 2 m/s as F: the more stable class
 * carries a cloud further, so every choice the table leaves open errs on the large side.
 */
export const STABILITY_CLASSES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type StabilityClass = (typeof STABILITY_CLASSES)[number];
export type Insolation = 'strong' | 'moderate' | 'slight';

// rows: by wind band (< 2, 2–3, 3–5, 5–6, ≥ 6 m/s with the standard's band limits)
const DAY: Record<Insolation, StabilityClass[]> = {
  strong: ['A', 'B', 'B', 'C', 'C'], // A, A–B, B, C, C
  moderate: ['B', 'B', 'C', 'D', 'D'], // A–B, B, B–C, C–D, D
  slight: ['B', 'C', 'C', 'D', 'D'], // B, C, C, D, D
};
const NIGHT_CLOUDY: StabilityClass[] = ['F', 'E', 'D', 'D', 'D']; // thinly overcast or ≥ 4/8 low cloud
const NIGHT_CLEAR: StabilityClass[] = ['F', 'F', 'E', 'D', 'D']; // ≤ 3/8 cloud

export interface StabilityParams {
  /** upper limits of the table's wind bands, m/s: [2, 3, 5, 6] */
  windBandsMs: number[];
  /** sun elevations, degrees, above which the insolation is moderate and strong: [35, 60] */
  insolationSunDeg: number[];
  /** the sun's elevation below which it counts as night, degrees */
  daySunElevationDeg: number;
}

export interface StabilityInput {
  speedMs: number;
  sunDeg: number;
  /** cloud cover in oktas (0–8); undefined when not measured */
  cloudOktas: number | undefined;
}

/** The class, and how it was reached (for the incident's words). Unknown cloud cover: the more stable of clear and overcast. */
export function stabilityClass(input: StabilityInput, p: StabilityParams): StabilityClass {
  if (input.cloudOktas === undefined) {
    const clear = stabilityClass({ ...input, cloudOktas: 0 }, p);
    const overcast = stabilityClass({ ...input, cloudOktas: 8 }, p);
    return moreStable(clear, overcast);
  }
  if (input.cloudOktas >= 8) return 'D';
  const band = windBand(input.speedMs, p.windBandsMs);
  if (input.sunDeg < p.daySunElevationDeg) return (input.cloudOktas >= 4 ? NIGHT_CLOUDY : NIGHT_CLEAR)[band]!;
  const [moderateDeg = 35, strongDeg = 60] = p.insolationSunDeg;
  const steps: Insolation[] = ['slight', 'moderate', 'strong'];
  let step = input.sunDeg > strongDeg ? 2 : input.sunDeg > moderateDeg ? 1 : 0;
  // more than half the sky clouded cuts the sunshine by one step (Turner 1964's net-radiation rule, simplified); below slight is neutral
  if (input.cloudOktas > 4) step -= 1;
  return step < 0 ? 'D' : DAY[steps[step]!][band]!;
}

export function moreStable(a: StabilityClass, b: StabilityClass): StabilityClass {
  return STABILITY_CLASSES.indexOf(a) >= STABILITY_CLASSES.indexOf(b) ? a : b;
}

function windBand(speedMs: number, limits: number[]): number {
  let band = 0;
  while (band < limits.length && speedMs >= limits[band]!) band++;
  return band;
}

/** A measured class as a point reads it: a letter A–F, or 1–6 for A–F; anything else is no class. */
export function classOf(value: unknown): StabilityClass | undefined {
  if (typeof value === 'string') return (STABILITY_CLASSES as readonly string[]).includes(value.toUpperCase()) ? (value.toUpperCase() as StabilityClass) : undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 6) return STABILITY_CLASSES[value - 1];
  return undefined;
}
