import type { CapAlert, CapArea, CapInfo } from './cap-feed.ts';

/** The colours of China's warning signals, weakest first; a level is the index + 1 (blue 1 … red 4), 0 none. */
export const WARNING_COLOURS = ['blue', 'yellow', 'orange', 'red'] as const;
export type WarningColour = (typeof WARNING_COLOURS)[number];

/**
 * A warning's colour from its CAP severity: GB/T 35965.1 writes the colour itself (Red, Orange, Yellow,
 * Blue); OASIS CAP's severities map one to one (Extreme, Severe, Moderate, Minor), as ketwin's own CAP
 * issuer writes them (notify/cap/vocabulary.ts). A severity of Unknown falls back on a `warningLevel`
 * parameter naming the colour (ketwin's "红色（一级）" / "red (level 1)"). Undefined when none says.
 */
export function warningColour(info: CapInfo): WarningColour | undefined {
  const bySeverity: Record<string, WarningColour> = {
    red: 'red',
    orange: 'orange',
    yellow: 'yellow',
    blue: 'blue',
    extreme: 'red',
    severe: 'orange',
    moderate: 'yellow',
    minor: 'blue',
  };
  const severity = bySeverity[info.severity.toLowerCase()];
  if (severity) return severity;
  for (const level of info.parameters.get('warningLevel') ?? []) {
    const named = WARNING_COLOURS.find((c) => level.toLowerCase().includes(c) || level.includes({ blue: '蓝', yellow: '黄', orange: '橙', red: '红' }[c]));
    if (named) return named;
  }
  return undefined;
}

/** Where the site is, for the warning areas: its GB/T 2260 codes and its position. */
export interface SitePlace {
  areaCodes: readonly string[];
  lat: number;
  lon: number;
}

/**
 * Whether a warning is for the site: an area naming one of the site's codes, or the city (ddddd00 → first
 * four digits) or province (dd0000 → first two) that holds one; or a polygon or circle around the site. A
 * warning without any area is for the whole of its issuer's area, which is the feed the site chose.
 */
export function coversSite(areas: readonly CapArea[], place: SitePlace): boolean {
  if (areas.length === 0) return true;
  return areas.some(
    (area) =>
      area.geocodes.some((code) => place.areaCodes.some((own) => holds(code, own))) ||
      area.polygons.some((ring) => inside(ring, place.lat, place.lon)) ||
      area.circles.some((c) => distanceKm(c.lat, c.lon, place.lat, place.lon) <= c.radiusKm),
  );
}

function holds(code: string, own: string): boolean {
  if (code === own) return true;
  if (!/^\d{6}$/.test(code)) return false;
  if (code.endsWith('0000')) return code !== '000000' && own.startsWith(code.slice(0, 2));
  if (code.endsWith('00')) return own.startsWith(code.slice(0, 4));
  return false;
}

/** ray casting over [lat, lon] pairs (small areas: the plane is close enough) */
function inside(ring: readonly [number, number][], lat: number, lon: number): boolean {
  let within = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [latI, lonI] = ring[i]!;
    const [latJ, lonJ] = ring[j]!;
    if (latI > lat !== latJ > lat && lon < ((lonJ - lonI) * (lat - latI)) / (latJ - latI) + lonI) within = !within;
  }
  return within;
}

function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(a));
}

/** The strongest warning in force, or why it cannot be told. */
export type WarningState =
  { level: number; colour: WarningColour | 'none'; onset: number; expires: number; identifier?: string; next?: number } | { unreadable: string; next?: number };

/**
 * The strongest warning of the given events in force for the site at `at`. In force: an actual alert
 * (status Actual; Exercise, Test, System and Draft are not warnings), an Alert or Update that no later
 * message of the feed updates or cancels, whose onset has come and whose expiry has not. `next` is the
 * soonest onset or expiry after `at`, when the answer changes without a new message.
 */
export function warningInForce(alerts: readonly CapAlert[], events: readonly string[], place: SitePlace, at: number): WarningState {
  const superseded = new Set(alerts.flatMap((a) => a.references));
  let best: { info: CapInfo; alert: CapAlert; level: number; colour: WarningColour } | undefined;
  let unreadable: string | undefined;
  let next: number | undefined;
  const soon = (t: number | undefined) => {
    if (t !== undefined && t > at && (next === undefined || t < next)) next = t;
  };
  for (const alert of alerts) {
    if (alert.status !== 'Actual' || (alert.msgType !== 'Alert' && alert.msgType !== 'Update') || superseded.has(alert.key)) continue;
    for (const info of alert.infos) {
      if (!(events.includes(info.event) || info.eventCodes.some((c) => events.includes(c))) || !coversSite(info.areas, place)) continue;
      soon(info.onset);
      soon(info.expires);
      if (info.onset > at || (info.expires !== undefined && info.expires <= at)) continue;
      const colour = warningColour(info);
      if (!colour) {
        unreadable ??= `warning ${alert.identifier} (${info.event || info.eventCodes.join(' ')}) gives no level: severity ${info.severity}`;
        continue;
      }
      const level = WARNING_COLOURS.indexOf(colour) + 1;
      if (!best || level > best.level) best = { info, alert, level, colour };
    }
  }
  const then = next === undefined ? {} : { next };
  // a warning without a level hides what is in force, unless what is readable is already the highest
  if (unreadable && best?.level !== WARNING_COLOURS.length) return { unreadable, ...then };
  if (!best) return { level: 0, colour: 'none', onset: 0, expires: 0, ...then };
  return { level: best.level, colour: best.colour, onset: best.info.onset, expires: best.info.expires ?? 0, identifier: best.alert.identifier, ...then };
}
