import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { capSchemaErrors } from '../../notify/testing/cap-schema.ts';
import { parseSite, type CapSource, type Site } from '../../model/index.ts';
import { findFreePort } from '../../sim/free-port.ts';
import { startWarningFeed, type WarningFeed } from '../../sim/warning-feed.ts';
import type { Source } from '../source.ts';
import { createRecorder, waitFor, type Recorder } from '../test-support.ts';
import { createCapSource } from './cap-source.ts';

function warningSite(endpoint: string, over: Record<string, unknown> = {}): Site {
  const source = { id: 'met-warnings', protocol: 'cap', endpoint, areaCodes: ['410105'], pollIntervalMs: 100, staleAfterMs: 1000, ...over };
  return parseSite(
    `
id: cap-test
name: { zh: 预警测试, en: Warning test }
location: { lat: 34.78, lon: 113.69 }
plan: { width: 100, height: 100 }
standards: [early-works-flood]
sources:
  - ${JSON.stringify(source)}
assets:
  - { id: MET, kind: weather-station, name: { zh: 气象预警, en: Weather warnings }, position: { x: 1, y: 1 } }
points:
  - { asset: MET, name: rainstorm_level, unit: state, source: met-warnings, cap: { events: ["11B03"], field: level } }
  - { asset: MET, name: rainstorm_colour, unit: state, source: met-warnings, cap: { events: ["11B03", 暴雨], field: colour } }
  - { asset: MET, name: rainstorm_expires, unit: state, source: met-warnings, cap: { events: ["11B03"], field: expires } }
`,
    'cap-test.yaml',
  );
}

const sources: Source[] = [];
const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(sources.splice(0).map((s) => s.stop()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function startSource(site: Site): { source: Source; recorder: Recorder } {
  const recorder = createRecorder();
  const source = createCapSource({ site: site.id, location: site.location, source: site.sources[0] as CapSource, points: site.points });
  sources.push(source);
  void source.start(recorder.sink);
  return { source, recorder };
}

async function feed(now?: () => number): Promise<WarningFeed> {
  const f = await startWarningFeed({ areaCode: '410100', areaName: '郑州市', senderName: '郑州市气象台', ...(now ? { now } : {}) });
  servers.push(f);
  return f;
}

/** an HTTP server answering whatever the test says */
async function rawServer(answer: (respond: (status: number, body: string) => void) => void): Promise<string> {
  const server: Server = createServer((_request, response) => answer((status, body) => response.writeHead(status, { 'content-type': 'application/atom+xml' }).end(body)));
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, () => resolve()));
  servers.push({ close: () => new Promise<void>((resolve) => (server.close(() => resolve()), server.closeAllConnections())) });
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/feed.xml`;
}

const level = (r: Recorder) => r.latest('MET.rainstorm_level');

describe('CAP warning source over HTTP, fed by the simulated meteorological office', () => {
  it('follows a rainstorm signal raised yellow, changed to red and lifted, for the site’s city', async () => {
    const office = await feed();
    const { recorder, source } = startSource(warningSite(office.url));
    await waitFor(() => level(recorder)?.quality === 'good', 'a first reading');
    expect(level(recorder)?.value).toBe(0);
    expect(recorder.latest('MET.rainstorm_colour')?.value).toBe('none');

    office.signal('rainstorm', 'yellow', { hours: 6 });
    await waitFor(() => level(recorder)?.value === 2, 'yellow');
    expect(recorder.latest('MET.rainstorm_colour')).toMatchObject({ value: 'yellow', quality: 'good' });
    const expires = recorder.latest('MET.rainstorm_expires')!.value as number;
    expect(expires - Date.now()).toBeGreaterThan(5.9 * 3_600_000);

    office.signal('rainstorm', 'red');
    await waitFor(() => level(recorder)?.value === 4, 'red');
    expect(recorder.latest('MET.rainstorm_colour')?.value).toBe('red');

    office.signal('rainstorm', 'none');
    await waitFor(() => level(recorder)?.value === 0, 'lifted');
    expect(source.stats()).toMatchObject({ protocol: 'cap', online: true });
    expect(recorder.latest('met-warnings.online')?.value).toBe(true);

    // every message of the simulated office is a valid CAP 1.2 alert
    expect(office.documents()).toHaveLength(3);
    for (const xml of office.documents()) expect(await capSchemaErrors(xml)).toEqual([]);
  });

  it('leaves out a signal for another district, and drops one when it expires, between polls', async () => {
    const office = await feed();
    const { recorder } = startSource(warningSite(office.url, { pollIntervalMs: 60_000, staleAfterMs: 120_000 }));
    office.signal('rainstorm', 'orange', { areaCode: '410102', hours: 1 });
    office.signal('rainstorm', 'blue', { hours: 1.2 / 3600 }); // 1.2 s
    await waitFor(() => level(recorder) !== undefined, 'a first reading');
    expect(level(recorder)).toMatchObject({ value: 1, quality: 'good' }); // blue for the site; the orange is for 410102
    await waitFor(() => level(recorder)?.value === 0, 'the blue signal expired', 5000); // no poll in between: the expiry timer
  });

  it('a feed that is down, answers 503, or is cut short or garbled: points bad with the reason, once; good again when it mends', async () => {
    const { recorder: refused } = startSource(warningSite(`http://127.0.0.1:${await findFreePort()}/feed.xml`));
    await waitFor(() => level(refused)?.quality === 'bad', 'refused');
    expect(level(refused)?.reason).toBe('not connected (ECONNREFUSED)');
    expect(refused.latest('met-warnings.online')).toMatchObject({ value: false, reason: 'not connected (ECONNREFUSED)' });

    const office = await feed();
    office.signal('rainstorm', 'yellow');
    const whole = await (await fetch(office.url)).text();
    let answer: [number, string] = [503, 'Service Unavailable'];
    const url = await rawServer((respond) => respond(...answer));
    const { recorder, source } = startSource(warningSite(url));
    await waitFor(() => level(recorder)?.quality === 'bad', '503');
    expect(level(recorder)).toMatchObject({ reason: 'HTTP 503 from the feed', value: Number.NaN });
    await new Promise((r) => setTimeout(r, 350)); // three more polls
    expect(recorder.of('MET.rainstorm_level')).toHaveLength(1);

    answer = [200, whole];
    await waitFor(() => level(recorder)?.value === 2, 'the feed mended');
    answer = [200, whole.slice(0, whole.length - 200)];
    await waitFor(() => level(recorder)?.quality === 'bad', 'cut short');
    expect(level(recorder)).toMatchObject({ value: 2, reason: 'malformed feed: the document ends before its <feed> is closed (cut short?)' });
    answer = [200, whole.replace('<severity>Moderate</severity>', '<severity>Unknown</severity>').replace(/<parameter>[\s\S]*?<\/parameter>/, '')];
    await waitFor(() => level(recorder)?.reason?.startsWith('warning ') === true, 'a warning without a level');
    expect(level(recorder)?.reason).toMatch(/^warning \d{6}99900000_\d{14}_0 \(暴雨\) gives no level: severity Unknown$/);
    answer = [200, whole];
    await waitFor(() => level(recorder)?.quality === 'good', 'mended again');
    expect(source.stats().reconnects).toBeGreaterThanOrEqual(2);
  });

  it('follows entries that link to their CAP documents (relative links too), and says which linked alert it could not read', async () => {
    const office = await feed();
    office.signal('rainstorm', 'orange');
    let missing = false;
    const server: Server = createServer((request, response) => {
      if (request.url === '/feed.xml')
        response
          .writeHead(200, { 'content-type': 'application/rss+xml' })
          .end(`<?xml version="1.0"?><rss version="2.0"><channel><title>warnings</title><item><title>暴雨橙色预警信号</title><link>alerts/1.xml</link></item></channel></rss>`);
      else if (request.url === '/alerts/1.xml' && !missing) response.writeHead(200, { 'content-type': 'application/cap+xml' }).end(office.documents()[0]);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, () => resolve()));
    servers.push({ close: () => new Promise<void>((resolve) => (server.close(() => resolve()), server.closeAllConnections())) });
    const port = (server.address() as { port: number }).port;
    const { recorder } = startSource(warningSite(`http://127.0.0.1:${port}/feed.xml`));
    await waitFor(() => level(recorder)?.value === 3, 'orange from the linked alert');
    missing = true; // read once, kept: a CAP message is never changed
    await new Promise((r) => setTimeout(r, 300));
    expect(level(recorder)).toMatchObject({ value: 3, quality: 'good' });

    const fresh = startSource(warningSite(`http://127.0.0.1:${port}/feed.xml`));
    await waitFor(() => level(fresh.recorder)?.quality === 'bad', 'the linked alert missing');
    expect(level(fresh.recorder)?.reason).toBe(`HTTP 404 from the linked alert http://127.0.0.1:${port}/alerts/1.xml`);
  });

  it('a feed that does not answer in time: timeout', async () => {
    const url = await rawServer(() => undefined); // never answers
    const { recorder } = startSource(warningSite(url, { timeoutMs: 200 }));
    await waitFor(() => level(recorder)?.quality === 'bad', 'timeout');
    expect(level(recorder)?.reason).toBe('not connected (timeout)');
  });

  it('refuses a point with a unit other than state', () => {
    const site = warningSite('http://127.0.0.1:8090/feed.xml');
    expect(() => createCapSource({ site: site.id, location: site.location, source: site.sources[0] as CapSource, points: [{ ...site.points[0]!, unit: 'm' }] })).toThrow(
      "CAP feed met-warnings (http://127.0.0.1:8090/feed.xml): point MET.rainstorm_level reports a warning's level: its unit must be state, not m",
    );
  });
});
