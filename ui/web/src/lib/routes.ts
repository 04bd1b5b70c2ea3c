/** Hash routes: `#/` → site list, `#/sites/<id>` → one site. */
export type Route = { page: 'sites' } | { page: 'site'; id: string } | { page: 'missing'; hash: string };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path === '/') return { page: 'sites' };
  const match = /^\/sites\/([^/]+)\/?$/.exec(path);
  if (match?.[1]) return { page: 'site', id: decodeURIComponent(match[1]) };
  return { page: 'missing', hash };
}

export function siteHref(id: string): string {
  return `#/sites/${encodeURIComponent(id)}`;
}
