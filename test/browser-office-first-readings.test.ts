// Issue 23: the office overview tells the truth from the first second. The auditor opens the overview in Debian's
// chromium (1440×900 and 1366×768) right after `ketwin start` — one depot and the early-works district, whose 20
// works' sensors report over MQTT every 30 s — before the works' first readings have arrived, and keeps looking
// while they arrive. At every look the ranking, the counts and the maps say the same of every site (its live risk
// and score), and once every work has its readings they say what the API says; the district's map draws only the
// names that have room, none over another, and counts the others under the map. (The ranking used to be asked for
// once: opened in the first seconds it kept the works red while the counts and the maps had turned them blue.)
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endSession, SHARED_BROKER_URL } from '../collector/mqtt/test-broker.ts';
import { startKetwin, type Ketwin } from '../main.ts';
import { createMemoryUserDirectory, createUser, generatePassword, type SiteSummary } from '../ui/server/index.ts';
import { compareRanked } from '../ui/server/rank-sites.ts';
import { launchChromium } from './chromium.ts';
import { apiAs, openSignedIn } from './sign-in.ts';

const ARTIFACTS = resolve('test/artifacts/office');
const SCREENS = [
  { name: 'wide', viewport: { width: 1440, height: 900 } },
  { name: 'office', viewport: { width: 1366, height: 768 } },
] as const;
const isWork = (id: string) => id.startsWith('ew-');
/** the live clauses of a work that have had no reading yet: until its first readings, all of them */
const waiting = (s: SiteSummary) => s.counts === null || s.counts.unknown > 0;

let root: string;
let system: Ketwin & { users: Record<'auditor', { name: string; password: string }> };
let browser: Browser;

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  root = await mkdtemp(join(tmpdir(), 'ketwin-first-readings-'));
  const sitesDir = join(root, 'sites');
  await mkdir(sitesDir);
  await writeFile(join(sitesDir, 'baiquan-diesel.yaml'), await readFile(resolve('sites/baiquan-diesel.yaml'), 'utf8'));
  const users = createMemoryUserDirectory();
  const auditor = { name: 'auditor', password: generatePassword() };
  await createUser(users, { ...auditor, role: 'auditor', sites: '*' });
  // the browser first: the page opens as soon as the system answers
  browser = await launchChromium();
  const ketwin = await startKetwin({
    users,
    port: 0,
    host: '127.0.0.1',
    dataDir: join(root, 'data'),
    sitesDir,
    standardsDir: resolve('standards'),
    simulate: { ports: 'ephemeral', district: true },
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  });
  system = { ...ketwin, users: { auditor } };
}, 120_000);

afterAll(async () => {
  await browser?.close();
  const sessions = (system?.sites ?? []).flatMap((s) => s.sources.flatMap((source) => (source.protocol === 'mqtt' && source.clientId ? [source.clientId] : [])));
  await system?.close();
  // the works' persistent sessions, named for this run's data directory, are not left on the shared broker
  for (const id of sessions) await endSession(SHARED_BROKER_URL, id).catch(() => undefined);
  if (root) await rm(root, { recursive: true, force: true });
});

interface Shown {
  risk: string;
  score: string;
}
/** What one page shows at one moment, read in one go (between two renders): the counts, every map marker and the ranking. */
interface Look {
  counts: Record<string, number>;
  map: Record<string, Shown>;
  ranking: ({ site: string } & Shown)[];
}

function look(page: Page): Promise<Look> {
  return page.evaluate(() => {
    const shown = (e: Element) => ({ risk: e.getAttribute('data-risk') ?? '', score: e.getAttribute('data-score') ?? '' });
    const counts: Record<string, number> = {};
    for (const e of document.querySelectorAll('[data-testid^="count-risk-"]'))
      counts[e.getAttribute('data-testid')!.slice('count-risk-'.length)] = Number(e.getAttribute('data-count'));
    const map: Record<string, Shown> = {};
    for (const e of document.querySelectorAll('[data-testid^="map-site-"]')) map[e.getAttribute('data-testid')!.slice('map-site-'.length)] = shown(e);
    const ranking = [...document.querySelectorAll('[data-testid="ranking"] tbody tr')].map((e) => ({ site: e.getAttribute('data-testid')!.slice('rank-'.length), ...shown(e) }));
    return { counts, map, ranking };
  });
}

/** The panels of one look agree: the same sites, each with the same risk and score on the map and in the ranking, counted as the map shows them, ranked lowest first. */
function expectAgreement(seen: Look, where: string): void {
  const ids = Object.keys(seen.map).sort();
  expect(seen.ranking.map((r) => r.site).sort(), `${where}: the ranking's sites are the maps'`).toEqual(ids);
  for (const r of seen.ranking)
    expect({ site: r.site, risk: r.risk, score: r.score }, `${where}: ${r.site} in the ranking as on the map`).toEqual({ site: r.site, ...seen.map[r.site] });
  const byRisk: Record<string, number> = {};
  for (const m of Object.values(seen.map)) byRisk[m.risk] = (byRisk[m.risk] ?? 0) + 1;
  // the counts name every colour (0 too) and "no risk yet" only when there is such a site
  const counted = Object.fromEntries(Object.entries(seen.counts).filter(([, n]) => n > 0));
  expect(counted, `${where}: the counts are the map's`).toEqual(byRisk);
  const ranked = seen.ranking.map((r) => ({ site: r.site, score: r.score === '' ? null : Number(r.score) }));
  expect(ranked, `${where}: lowest score first`).toEqual([...ranked].sort(compareRanked));
}

describe('the office overview while the early works report for the first time', () => {
  it('shows the same risk and score of every site in the ranking, the counts and the maps at every look, and the API once the readings are in', async () => {
    const auditor = await apiAs(system, 'auditor');
    const pages = await Promise.all(
      SCREENS.map(async (screen) => {
        const context = await browser.newContext({ viewport: screen.viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        await openSignedIn(page, system, 'auditor');
        await page.goto(`${system.url}/#/sites`);
        await page.getByTestId('ranking').locator('tbody tr').first().waitFor({ timeout: 30_000 });
        return { screen, page, errors };
      }),
    );
    const opened = (await (await auditor.fetch('/api/sites')).json()) as SiteSummary[];
    const works = opened.filter((s) => isWork(s.id));
    expect(works).toHaveLength(20);
    // the page is open before every work has reported: else this test would not look at what issue 23 saw
    const before = works.filter(waiting).map((s) => s.id);
    expect(before.length, 'works without their first readings when the page had opened').toBeGreaterThan(0);

    let looks = 0;
    let waitingSeen = 0;
    const deadline = Date.now() + 90_000;
    for (;;) {
      const now = (await (await auditor.fetch('/api/sites')).json()) as SiteSummary[];
      for (const { screen, page } of pages) {
        const seen = await look(page);
        expectAgreement(seen, `${screen.name}, look ${looks}`);
        expect(Object.keys(seen.map)).toHaveLength(21);
        looks += 1;
      }
      const still = now.filter((s) => isWork(s.id) && waiting(s));
      if (still.length > 0) waitingSeen += 1;
      if (still.length === 0) break;
      if (looks === 2) for (const { screen, page } of pages) await page.screenshot({ path: join(ARTIFACTS, `first-readings-waiting-${screen.name}.png`) });
      expect(Date.now(), `works still without readings: ${still.map((s) => s.id).join(', ')}`).toBeLessThan(deadline);
      await new Promise((done) => setTimeout(done, 500));
    }
    expect(waitingSeen).toBeGreaterThan(0);

    // every work has reported: each page shows what the API says, in all three panels
    const truth = (await (await auditor.fetch('/api/sites')).json()) as SiteSummary[];
    const expected = Object.fromEntries(truth.map((s) => [s.id, { risk: s.risk ?? 'none', score: s.score === null ? '' : String(s.score) }]));
    for (const { screen, page, errors } of pages) {
      await expect.poll(async () => (await look(page)).map, { timeout: 10_000 }).toEqual(expected);
      const seen = await look(page);
      expectAgreement(seen, `${screen.name}, after the readings`);
      expect(Object.fromEntries(seen.ranking.map((r) => [r.site, { risk: r.risk, score: r.score }]))).toEqual(expected);
      // the works that were red for want of readings are no longer ranked by what they showed then
      for (const id of before) expect(seen.ranking.find((r) => r.site === id)).toMatchObject(expected[id]!);
      // the district's twenty names on its map: those drawn readable (none over another), the rest counted under the map
      const maps = await page.getByTestId('site-map').evaluateAll((svgs) =>
        svgs.map((svg) => ({
          markers: svg.querySelectorAll('[data-testid^="map-site-"]').length,
          labels: [...svg.querySelectorAll('text')].map((t) => {
            const r = t.getBoundingClientRect();
            return { x: r.x, y: r.y, w: r.width, h: r.height };
          }),
          hidden: Number(svg.closest('figure')!.querySelector('[data-testid="map-labels-hidden"]')?.getAttribute('data-count') ?? 0),
        })),
      );
      expect(maps.map((m) => m.markers).sort()).toEqual([1, 20]);
      for (const m of maps) {
        expect(m.labels.length + m.hidden).toBe(m.markers);
        expect(m.labels.length).toBeGreaterThan(0);
        for (const a of m.labels)
          for (const b of m.labels) if (a !== b) expect(a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5).toBe(false);
      }
      await page.screenshot({ path: join(ARTIFACTS, `first-readings-in-${screen.name}.png`) });
      expect(errors).toEqual([]);
      await page.context().close();
    }
  }, 180_000);
});
