/**
 * CAP identifiers in the form of GB/T 35965.1-2018 (应急信息交互协议 第1部分：预警信息):
 *
 *   <region code><agency code>_<YYYYMMDDhhmmss>_<sequence>     e.g. 330902RFB00100_20260918143005_17
 *
 * Our reading of the standard's identifier: the 6-digit GB/T 2260 administrative region code
 * of the issuing area (the site's `escalation.regionCode`), the issuing agency's code (three
 * characters of department, three of unit, two of system: `DDDUUUXX`, assigned by the local
 * emergency information release centre; ketwin's default `RFB00100` is a placeholder), the
 * issuing time in China Standard Time to the second, and a sequence number that keeps two
 * messages issued in the same second apart. The parts are joined by underscores.
 */
export const DEFAULT_REGION_CODE = '000000';
export const DEFAULT_AGENCY_CODE = 'RFB00100';

export function isRegionCode(code: string): boolean {
  return /^\d{6}$/.test(code);
}

export function isAgencyCode(code: string): boolean {
  return /^[0-9A-Z]{8}$/.test(code);
}

/** ms since epoch as YYYYMMDDhhmmss in China Standard Time (UTC+8, no daylight saving) */
export function chinaTimeCompact(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

/** ms since epoch as a CAP dateTime in China Standard Time: 2026-09-18T14:30:05+08:00 */
export function capDateTime(ms: number): string {
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

export function capIdentifier(parts: { regionCode: string; agencyCode: string; at: number; sequence: number }): string {
  return `${parts.regionCode}${parts.agencyCode}_${chinaTimeCompact(parts.at)}_${parts.sequence}`;
}
