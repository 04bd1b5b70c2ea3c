import { describe, expect, it } from 'vitest';
import { parseCapFeed, readCapDocument } from './cap-feed.ts';
import { coversSite, warningInForce } from './warnings-in-force.ts';

/** A CAP alert as a GB/T 35965.1 warning release system lays it out (colour as severity), trimmed to what is read. */
function alert(o: {
  id: string;
  msgType?: string;
  status?: string;
  references?: string;
  severity?: string;
  event?: string;
  code?: string;
  onset?: string;
  expires?: string;
  area?: string;
  parameter?: string;
}): string {
  return `<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${o.id}</identifier><sender>郑州市气象台</sender><sent>2026-07-20T08:00:00+08:00</sent>
  <status>${o.status ?? 'Actual'}</status><msgType>${o.msgType ?? 'Alert'}</msgType><scope>Public</scope>
  ${o.references ? `<references>${o.references}</references>` : ''}
  <info><language>zh-CN</language><category>Met</category><event>${o.event ?? '暴雨'}</event>
    <urgency>Immediate</urgency><severity>${o.severity ?? 'Yellow'}</severity><certainty>Likely</certainty>
    <eventCode><valueName>eventType</valueName><value>${o.code ?? '11B03'}</value></eventCode>
    <onset>${o.onset ?? '2026-07-20T08:00:00+08:00'}</onset>${o.expires === '' ? '' : `<expires>${o.expires ?? '2026-07-20T20:00:00+08:00'}</expires>`}
    ${o.parameter ?? ''}
    ${o.area ?? '<area><areaDesc>郑州市</areaDesc><geocode><valueName>GB/T 2260</valueName><value>410100</value></geocode></area>'}
  </info>
</alert>`;
}
const feed = (...alerts: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>warnings</title>${alerts.map((a) => `<entry><content type="application/cap+xml">${a}</content></entry>`).join('')}</feed>\n`;

const site = { areaCodes: ['410105'], lat: 34.78, lon: 113.69 }; // a district of Zhengzhou
const at = Date.parse('2026-07-20T12:00:00+08:00');
const RAIN = ['11B03'];

describe('CAP feed: reading the warnings in force for a site', () => {
  it('reads the colour from a GB/T 35965.1 severity, an OASIS severity or a warningLevel parameter', () => {
    const levelOf = (xml: string) => warningInForce(parseCapFeed(feed(xml)), RAIN, site, at);
    expect(levelOf(alert({ id: 'a', severity: 'Yellow' }))).toMatchObject({
      level: 2,
      colour: 'yellow',
      onset: Date.parse('2026-07-20T08:00:00+08:00'),
      expires: Date.parse('2026-07-20T20:00:00+08:00'),
    });
    expect(levelOf(alert({ id: 'a', severity: 'Extreme' }))).toMatchObject({ level: 4, colour: 'red' });
    expect(levelOf(alert({ id: 'a', severity: 'Unknown', parameter: '<parameter><valueName>warningLevel</valueName><value>橙色（二级）</value></parameter>' }))).toMatchObject({
      level: 3,
      colour: 'orange',
    });
    expect(levelOf(alert({ id: 'a', severity: 'Unknown' }))).toEqual({
      unreadable: 'warning a (暴雨) gives no level: severity Unknown',
      next: Date.parse('2026-07-20T20:00:00+08:00'),
    });
    // a bare alert, not in a feed, by its event text
    expect(warningInForce(parseCapFeed(alert({ id: 'a', severity: 'Blue', code: 'x' })), ['暴雨'], site, at)).toMatchObject({ level: 1, identifier: 'a' });
  });

  it('takes the strongest warning in force: not one that is updated, cancelled, an exercise, not yet begun or expired, nor another event', () => {
    const alerts = parseCapFeed(
      feed(
        alert({ id: 'y', severity: 'Yellow' }),
        alert({ id: 'r', severity: 'Red', msgType: 'Update', references: '郑州市气象台,y,2026-07-20T08:00:00+08:00' }),
        alert({ id: 'x', severity: 'Red', status: 'Exercise' }),
        alert({ id: 'later', severity: 'Red', onset: '2026-07-20T13:00:00+08:00' }),
        alert({ id: 'old', severity: 'Red', expires: '2026-07-20T11:00:00+08:00' }),
        alert({ id: 'wind', severity: 'Red', code: '11B06', event: '大风' }),
        alert({ id: 'o', severity: 'Orange', expires: '' }),
      ),
    );
    expect(warningInForce(alerts, RAIN, site, at)).toEqual({
      level: 4,
      colour: 'red',
      identifier: 'r',
      onset: Date.parse('2026-07-20T08:00:00+08:00'),
      expires: Date.parse('2026-07-20T20:00:00+08:00'),
      next: Date.parse('2026-07-20T13:00:00+08:00'),
    });
    const cancelled = parseCapFeed(
      feed(alert({ id: 'y', severity: 'Yellow' }), alert({ id: 'c', severity: 'Yellow', msgType: 'Cancel', references: '郑州市气象台,y,2026-07-20T08:00:00+08:00' })),
    );
    expect(warningInForce(cancelled, RAIN, site, at)).toEqual({ level: 0, colour: 'none', onset: 0, expires: 0 });
  });

  it('is for the site by its own code, its city or province, a polygon or a circle around it; not for another district', () => {
    const coded = (code: string) => [{ desc: '', geocodes: [code], polygons: [], circles: [] }];
    expect(coversSite(coded('410105'), site)).toBe(true);
    expect(coversSite(coded('410100'), site)).toBe(true); // its city
    expect(coversSite(coded('410000'), site)).toBe(true); // its province
    expect(coversSite(coded('410102'), site)).toBe(false); // another district
    expect(coversSite(coded('420100'), site)).toBe(false);
    const [warned] = parseCapFeed(
      alert({ id: 'p', area: `<area><areaDesc>box</areaDesc><polygon>34.7,113.6 34.7,113.8 34.9,113.8 34.9,113.6 34.7,113.6</polygon><circle>30.0,120.0 5</circle></area>` }),
    );
    expect(coversSite(warned!.infos[0]!.areas, site)).toBe(true);
    expect(coversSite(warned!.infos[0]!.areas, { areaCodes: [], lat: 35.5, lon: 113.7 })).toBe(false);
    expect(coversSite(warned!.infos[0]!.areas, { areaCodes: [], lat: 30.03, lon: 120.0 })).toBe(true); // 3.3 km from the centre
  });

  it('lists the CAP documents that entries link to instead of embedding: Atom (its cap+xml link first) and RSS', () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><link rel="self" href="/feed.xml"/>
      <entry><link rel="alternate" href="/alerts/1.html"/><link rel="alternate" type="application/cap+xml" href="/alerts/1.xml"/></entry>
      <entry><link href="https://other.example/2.xml"/></entry>
      <entry><content type="application/cap+xml">${alert({ id: 'embedded' })}</content></entry></feed>`;
    expect(readCapDocument(atom)).toMatchObject({ alerts: [{ identifier: 'embedded' }], links: ['/alerts/1.xml', 'https://other.example/2.xml'] });
    const rss = `<rss version="2.0"><channel><link>https://warnings.example/</link><item><title>暴雨黄色预警</title><link>https://warnings.example/cap/3.xml</link></item></channel></rss>`;
    expect(readCapDocument(rss)).toEqual({ alerts: [], links: ['https://warnings.example/cap/3.xml'] });
  });

  it('refuses a feed cut short, a document that is not XML or not a feed, an alert without its identifier, a time without a zone', () => {
    const whole = feed(alert({ id: 'a' }));
    expect(() => parseCapFeed(whole.slice(0, whole.length - 20))).toThrow('the document ends before its <feed> is closed (cut short?)');
    expect(() => parseCapFeed('{"warnings": []}')).toThrow('not an XML document');
    expect(() => parseCapFeed('<html><body>Service unavailable</body></html>')).toThrow('the document is a <html>, not an Atom or RSS feed or a CAP alert');
    expect(() => parseCapFeed(feed(alert({ id: 'a' }).replace('<identifier>a</identifier>', '')))).toThrow('alert 1 has no <identifier>');
    expect(() => parseCapFeed(feed(alert({ id: 'a', onset: '2026-07-20 08:00:00' })))).toThrow(
      'alert 1 (a) <onset> "2026-07-20 08:00:00" is not a CAP time such as 2026-07-20T16:00:00+08:00',
    );
    expect(parseCapFeed(feed())).toEqual([]);
  });
});
