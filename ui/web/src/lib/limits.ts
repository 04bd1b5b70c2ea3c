/** An alarm limit drawn on a trend: a set-point from the asset's attributes. */
export interface Limit {
  name: string;
  value: number;
  /** high limits are drawn red, low ones blue */
  side: 'high' | 'low';
}

/**
 * The alarm limits of a point, read from its asset's attributes: `<point>High`, `<point>HighHigh`,
 * `<point>Low`… (levelHighHigh for "level"), and `alarm1`, `alarm2` on detectors.
 */
export function limitsFor(point: string, attributes: Record<string, unknown>): Limit[] {
  const out: Limit[] = [];
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value !== 'number') continue;
    const rest = name.startsWith(point) ? name.slice(point.length) : '';
    if (/^(Critical)?(High|Low)+$/.test(rest)) out.push({ name, value, side: rest.includes('Low') ? 'low' : 'high' });
    else if (/^alarm\d$/.test(name)) out.push({ name, value, side: 'high' });
  }
  return out.sort((a, b) => a.value - b.value);
}
