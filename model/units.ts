/** Engineering units a point may carry. A unit outside this list is a configuration error. */
export const UNITS = [
  'm', 'mm', 'm3', 't', '%', '%LEL', 'ppm', '%VOL', 'degC', 'kPa', 'MPa',
  'm/s', 'deg', 'm3/h', 'L/s', 'kW', 'V', 'A', 'h', 'bool', 'state', 'km', 'kV/m',
] as const;
export type Unit = (typeof UNITS)[number];
