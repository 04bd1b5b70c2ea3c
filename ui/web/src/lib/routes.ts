/**
 * Hash routes: `#/` → site list, `#/sites/<id>` → one site, `#/sites/<id>/as-of[/<ms>]` → the site as of
 * an instant, `#/compare[/<id>,<id>…[/<ms>]]` → sites side by side (live, or as of an instant), `#/standards[/<key>]` → clause tables,
 * `#/incidents` → open incidents, `#/incidents/<alert id>` → one incident (the rescue team's page),
 * `#/exercises` → exercises (start one, those on record), `#/exercises/<id>` → one exercise (answered on a phone, its report).
 */
export type Route =
  | { page: 'sites' }
  | { page: 'site'; id: string }
  | { page: 'as-of'; id: string; at: number | null }
  | { page: 'compare'; sites: string[]; at?: number }
  | { page: 'standards'; key: string | null }
  | { page: 'incidents' }
  | { page: 'incident'; id: string }
  | { page: 'exercises' }
  | { page: 'exercise'; id: string }
  | { page: 'missing'; hash: string };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path === '/' || /^\/sites\/?$/.test(path)) return { page: 'sites' };
  const site = /^\/sites\/([^/]+)\/?$/.exec(path);
  if (site?.[1]) return { page: 'site', id: decodeURIComponent(site[1]) };
  const asOf = /^\/sites\/([^/]+)\/as-of(?:\/(\d+))?\/?$/.exec(path);
  if (asOf?.[1]) return { page: 'as-of', id: decodeURIComponent(asOf[1]), at: asOf[2] ? Number(asOf[2]) : null };
  const compare = /^\/compare(?:\/([^/]*))?(?:\/(\d+))?\/?$/.exec(path);
  if (compare) {
    const sites = (compare[1] ?? '').split(',').filter(Boolean).map(decodeURIComponent);
    return compare[2] ? { page: 'compare', sites, at: Number(compare[2]) } : { page: 'compare', sites };
  }
  const standards = /^\/standards(?:\/([^/]+))?\/?$/.exec(path);
  if (standards) return { page: 'standards', key: standards[1] ? decodeURIComponent(standards[1]) : null };
  if (/^\/incidents\/?$/.test(path)) return { page: 'incidents' };
  const incident = /^\/incidents\/([^/]+)\/?$/.exec(path);
  if (incident?.[1]) return { page: 'incident', id: decodeURIComponent(incident[1]) };
  if (/^\/exercises\/?$/.test(path)) return { page: 'exercises' };
  const exercise = /^\/exercises\/([^/]+)\/?$/.exec(path);
  if (exercise?.[1]) return { page: 'exercise', id: decodeURIComponent(exercise[1]) };
  return { page: 'missing', hash };
}

/** the site list itself, also for roles whose start page is another (the rescue team's incidents) */
export const SITES_HREF = '#/sites';

export function siteHref(id: string): string {
  return `#/sites/${encodeURIComponent(id)}`;
}

export function asOfHref(id: string, at?: number): string {
  return `#/sites/${encodeURIComponent(id)}/as-of${at === undefined ? '' : `/${Math.floor(at)}`}`;
}

/** the sites side by side, live or (with `at`) as each had on record at that instant */
export function compareHref(sites: readonly string[], at?: number): string {
  return `#/compare/${sites.map(encodeURIComponent).join(',')}${at === undefined ? '' : `/${Math.floor(at)}`}`;
}

export function standardHref(key?: string): string {
  return key === undefined ? '#/standards' : `#/standards/${encodeURIComponent(key)}`;
}

export function incidentHref(id?: string): string {
  return id === undefined ? '#/incidents' : `#/incidents/${encodeURIComponent(id)}`;
}

export function exerciseHref(id?: string): string {
  return id === undefined ? '#/exercises' : `#/exercises/${encodeURIComponent(id)}`;
}
