import { create } from 'xmlbuilder2';

/** The parts of a CAP 1.2 alert (OASIS CAP 1.2 §3.2; GB/T 35965.1-2018 has the same structure) a warning source reads. */
export interface CapAlert {
  /** `<sender>,<identifier>`: how `references` name it */
  key: string;
  identifier: string;
  sent: number;
  status: string;
  msgType: string;
  /** the keys of the earlier alerts this one updates or cancels */
  references: string[];
  infos: CapInfo[];
}

export interface CapInfo {
  event: string;
  eventCodes: string[];
  severity: string;
  /** CAP `parameter` values by name */
  parameters: Map<string, string[]>;
  /** onset, else effective, else the alert's sent; ms since the epoch */
  onset: number;
  /** absent: in force until cancelled */
  expires?: number;
  areas: CapArea[];
}

export interface CapArea {
  desc: string;
  geocodes: string[];
  /** each a ring of [lat, lon] (WGS 84) */
  polygons: [number, number][][];
  circles: { lat: number; lon: number; radiusKm: number }[];
}

/** A document that is not a CAP feed: the message says what is wrong. */
export class CapFeedError extends Error {
  override readonly name = 'CapFeedError';
}

const REQUIRED = ['identifier', 'sender', 'sent', 'status', 'msgType'] as const;

/**
 * What a feed document holds: the CAP alerts it embeds (as ketwin's own /cap/feed.xml does; or the document is
 * one CAP alert), and the links of its entries that carry none — an Atom `<link>` of type application/cap+xml
 * (else its first link), an RSS item's `<link>` — to CAP documents the reader fetches. Throws CapFeedError for
 * a document that is cut short, is not XML, holds no feed or alert, or holds an alert without its required
 * elements or with a time that is not one.
 */
export function readCapDocument(xml: string): { alerts: CapAlert[]; links: string[] } {
  const doc = parseDocument(xml);
  if (doc.localName === 'alert') return { alerts: [readAlert(doc, 0)], links: [] };
  const alerts = descendants(doc, 'alert').map(readAlert);
  const links: string[] = [];
  for (const entry of [...descendants(doc, 'entry'), ...descendants(doc, 'item')]) {
    if (descendants(entry, 'alert').length > 0) continue;
    const atom = children(entry, 'link');
    const cap = atom.find((l) => l.getAttribute('type') === 'application/cap+xml') ?? atom[0];
    const href = cap?.getAttribute('href') || (cap ? text(cap) : '');
    if (href) links.push(href);
  }
  return { alerts, links };
}

/** The CAP alerts a document embeds (or the one alert it is); see readCapDocument. */
export function parseCapFeed(text: string): CapAlert[] {
  return readCapDocument(text).alerts;
}

function parseDocument(text: string): Element {
  const trimmed = text.trim();
  // the XML parser closes what a cut-off transfer left open; a feed missing its end may be missing warnings
  const root = /^(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(trimmed);
  if (!root) throw new CapFeedError('not an XML document');
  const closing = new RegExp(`</${(root[1] ?? '').replace('.', '\\.')}${root[2]}\\s*>$`);
  if (!closing.test(trimmed) && !trimmed.endsWith('/>')) throw new CapFeedError(`the document ends before its <${root[2]}> is closed (cut short?)`);
  let doc: Element;
  try {
    doc = (create(trimmed).node as unknown as Document).documentElement;
  } catch (error) {
    throw new CapFeedError(`not well-formed XML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!doc) throw new CapFeedError('not an XML document');
  if (!['feed', 'rss', 'alert'].includes(doc.localName)) throw new CapFeedError(`the document is a <${doc.localName}>, not an Atom or RSS feed or a CAP alert`);
  return doc;
}

function readAlert(alert: Element, index: number): CapAlert {
  const where = `alert ${index + 1}`;
  for (const name of REQUIRED) if (child(alert, name) === undefined) throw new CapFeedError(`${where} has no <${name}>`);
  const identifier = child(alert, 'identifier')!;
  const sender = child(alert, 'sender')!;
  const sent = time(child(alert, 'sent')!, `${where} (${identifier}) <sent>`);
  return {
    key: `${sender},${identifier}`,
    identifier,
    sent,
    status: child(alert, 'status')!,
    msgType: child(alert, 'msgType')!,
    // CAP 1.2 §3.2.1: references is a space-separated list of sender,identifier,sent
    references: (child(alert, 'references') ?? '')
      .split(/\s+/)
      .filter((r) => r !== '')
      .map((r) => r.split(',').slice(0, 2).join(',')),
    infos: children(alert, 'info').map((info) => readInfo(info, sent, `${where} (${identifier})`)),
  };
}

function readInfo(info: Element, sent: number, where: string): CapInfo {
  const onset = child(info, 'onset') ?? child(info, 'effective');
  const expires = child(info, 'expires');
  const parameters = new Map<string, string[]>();
  for (const p of children(info, 'parameter')) {
    const name = child(p, 'valueName');
    if (name !== undefined) parameters.set(name, [...(parameters.get(name) ?? []), child(p, 'value') ?? '']);
  }
  return {
    event: child(info, 'event') ?? '',
    eventCodes: children(info, 'eventCode').flatMap((c) => (child(c, 'value') !== undefined ? [child(c, 'value')!] : [])),
    severity: child(info, 'severity') ?? 'Unknown',
    parameters,
    onset: onset === undefined ? sent : time(onset, `${where} <onset>`),
    ...(expires !== undefined ? { expires: time(expires, `${where} <expires>`) } : {}),
    areas: children(info, 'area').map((area) => ({
      desc: child(area, 'areaDesc') ?? '',
      geocodes: children(area, 'geocode').flatMap((g) => (child(g, 'value') !== undefined ? [child(g, 'value')!] : [])),
      polygons: children(area, 'polygon').map((p) => polygon(text(p), where)),
      circles: children(area, 'circle').map((c) => circle(text(c), where)),
    })),
  };
}

/** CAP's dateTime: 2026-07-20T16:00:00+08:00 (a zone is required; "Z" is not CAP but is read) */
function time(value: string, where: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new CapFeedError(`${where} ${JSON.stringify(value)} is not a CAP time such as 2026-07-20T16:00:00+08:00`);
  return ms;
}

function pair(text: string, where: string): [number, number] {
  const [lat, lon] = text.split(',').map(Number);
  if (!(Number.isFinite(lat) && Number.isFinite(lon))) throw new CapFeedError(`${where}: ${JSON.stringify(text)} is not a "lat,lon" pair`);
  return [lat!, lon!];
}

function polygon(value: string, where: string): [number, number][] {
  const points = value
    .trim()
    .split(/\s+/)
    .map((p) => pair(p, `${where} <polygon>`));
  if (points.length < 4) throw new CapFeedError(`${where} <polygon> has ${points.length} points; CAP asks at least 4, the first and last the same`);
  return points;
}

function circle(value: string, where: string): { lat: number; lon: number; radiusKm: number } {
  const [centre, radius] = value.trim().split(/\s+/);
  const [lat, lon] = pair(centre ?? '', `${where} <circle>`);
  const radiusKm = Number(radius);
  if (!(radiusKm >= 0)) throw new CapFeedError(`${where} <circle> ${JSON.stringify(value)} has no radius in km`);
  return { lat, lon, radiusKm };
}

function children(parent: Element, name: string): Element[] {
  return Array.from(parent.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).localName === name);
}

function child(parent: Element, name: string): string | undefined {
  const found = children(parent, name)[0];
  return found === undefined ? undefined : text(found);
}

function text(element: Element): string {
  return (element.textContent ?? '').trim();
}

function descendants(root: Element, name: string): Element[] {
  const out: Element[] = [];
  const walk = (node: Element) => {
    for (const c of Array.from(node.childNodes)) {
      if (c.nodeType !== 1) continue;
      if ((c as Element).localName === name) out.push(c as Element);
      else walk(c as Element);
    }
  };
  walk(root);
  return out;
}
