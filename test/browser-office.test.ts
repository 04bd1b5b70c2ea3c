// Issue 23 item 6: the civil air defence office's auditor in Debian's chromium, at 1440×900 and 1366×768, over the whole
// system with every demo depot (five around Zhoushan, simulated over OPC-UA and Modbus, recorded in PGlite):
//   - the overview: five depots on a map with land and sea, each marker in its live risk's colour and shape with its
//     name, risk in words and score; the counts add up; zoom to a depot's plan; the map's data credited;
//   - the due list: sorted by days left both ways, exported as CSV (the same rows as the API);
//   - compare three depots at a past instant picked in the form: the verdicts shown are the record's, with evidence;
//   - the monthly report: made, downloaded with its signature, verified by `ketwin report verify FILE`, and refused
//     after one changed byte;
//   - axe-core finds nothing serious or critical on those pages.
// Screenshots go to test/artifacts/office/.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { eventually } from './system.ts';
import { apiAs, openSignedIn } from './sign-in.ts';
import { findInaccessible, type Finding } from './page-findings.ts';
import { startOfficeSystem, type OfficeSystem } from './browser-office-system.ts';
import type { Comparison, DueItem, SiteSummary } from '../ui/server/index.ts';
import type { RegionMap } from '../ui/server/office-types.ts';
import { main } from '../main.ts';

const DEPOTS = ['baiquan-diesel', 'daishan-fuel', 'jintang-crude', 'putuo-products', 'zhoushan-demo'];
const ARTIFACTS = resolve('test/artifacts/office');
let system: OfficeSystem;
let browser: Browser;
let downloads: string;
/** when every depot had its first score on record */
let scoredAt: number;

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  downloads = await mkdtemp(join(tmpdir(), 'ketwin-office-downloads-'));
  system = await startOfficeSystem();
  browser = await launchChromium();
  const auditor = await apiAs(system, 'auditor');
  await eventually(
    'every demo depot scored',
    async () => {
      const sites = (await (await auditor.fetch('/api/sites')).json()) as SiteSummary[];
      return DEPOTS.every((id) => sites.find((s) => s.id === id)?.score != null) ? sites : undefined;
    },
    90_000,
  );
  scoredAt = Date.now();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await system?.stop();
  if (downloads) await rm(downloads, { recursive: true, force: true });
});

const SCREENS = [
  { name: 'wide', viewport: { width: 1440, height: 900 } },
  { name: 'office', viewport: { width: 1366, height: 768 } },
] as const;

async function openAs(viewport: { width: number; height: number }, lang: 'zh' | 'en'): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, locale: lang === 'zh' ? 'zh-CN' : 'en-GB', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await openSignedIn(page, system, 'auditor');
  return { page, errors };
}

/** the CLI as an auditor runs it, in this process: its exit code and what it printed */
async function ketwin(...argv: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const saved = { ...process.env };
  // the server's report key lives under its data directory, where `ketwin report verify` looks
  Object.assign(process.env, { KETWIN_DATA: system.dataDir, LOG_LEVEL: 'silent', DATABASE_URL: '' });
  try {
    return { code: await main(argv), out: out.join('\n') };
  } finally {
    process.env = saved;
    log.mockRestore();
    error.mockRestore();
  }
}

describe.each(SCREENS)('the office auditor at $viewport.width×$viewport.height', (screen) => {
  it('sees the five depots on a map with land and sea, coloured by live risk with words, counted, and zooms to a plan', async () => {
    const { page, errors } = await openAs(screen.viewport, 'zh');
    const auditor = await apiAs(system, 'auditor');
    const sites = (await (await auditor.fetch('/api/sites')).json()) as SiteSummary[];
    await page.goto(`${system.url}/#/sites`);
    const map = page.getByTestId('site-map');
    await map.locator('[data-testid="map-land"]').waitFor({ timeout: 20_000 });
    // Natural Earth's land around the depots: several islands, not a blank frame
    expect(Number(await map.getAttribute('data-land'))).toBeGreaterThanOrEqual(6);
    const region = (await (await auditor.fetch(`/api/map?sites=${DEPOTS.join(',')}`)).json()) as RegionMap;
    for (const id of DEPOTS) {
      const site = sites.find((s) => s.id === id)!;
      const marker = map.getByTestId(`map-site-${id}`);
      await expect.poll(() => marker.isVisible()).toBe(true);
      const risk = await marker.getAttribute('data-risk');
      expect(risk).not.toBe('none');
      const text = (await marker.locator('text').textContent())!;
      // the name, and the colour in words: never colour alone
      expect(text).toContain(site.name.zh);
      expect(text).toContain({ red: '红色', orange: '橙色', yellow: '黄色', blue: '蓝色' }[risk as 'red']);
      // inside the region drawn
      const [w, s, e, n] = region.bbox!;
      expect(site.location.lon > w && site.location.lon < e && site.location.lat > s && site.location.lat < n).toBe(true);
    }
    await expect
      .poll(async () => (await page.getByTestId('map-credits').textContent())?.replace(/\s+/g, ' '))
      .toMatch(/Natural Earth 1:10m \(4\.1\.0\).*公有领域.*world-atlas 2\.0\.2/);
    // the counts add up to the sites shown, by colour and by grade
    const counts = page.getByTestId('office-counts');
    const sum = async (prefix: string) =>
      (await counts.locator(`[data-testid^="${prefix}"]`).evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))))).reduce((a, b) => a + b, 0);
    expect(await sum('count-risk-')).toBe(sites.length);
    expect(await sum('count-grade-')).toBe(sites.length);
    // the ranking: lowest score first, each with its trend from the record
    const ranks = await page
      .getByTestId('ranking')
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')));
    expect(ranks).toHaveLength(sites.length);
    await page.getByTestId('ranking').getByTestId('sparkline').first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, `overview-${screen.name}.png`) });
    const findings: Finding[] = await findInaccessible(page);
    // zoom to Jintang's plan: the map narrows to its footprint and the plan is drawn beneath
    await page.getByTestId('map-zoom-jintang-crude').click();
    await expect.poll(() => map.getAttribute('data-zoomed')).toBe('jintang-crude');
    const wide = region.bbox![2] - region.bbox![0];
    const viewBox = (await map.getAttribute('viewBox'))!.split(' ').map(Number);
    // a few kilometres across instead of the region's tens
    expect(viewBox[2]!).toBeLessThan((wide * 111.32 * Math.cos((30 * Math.PI) / 180)) / 10);
    await page.getByTestId('map-plan').locator('svg').first().waitFor();
    await page.getByTestId('map-plan').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, `zoom-${screen.name}.png`) });
    findings.push(...(await findInaccessible(page)));
    expect(findings).toEqual([]);
    await page.getByTestId('map-whole').click();
    await expect.poll(() => map.getAttribute('data-zoomed')).toBe('');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('sorts the due list across sites and exports it as CSV', async () => {
    const { page, errors } = await openAs(screen.viewport, 'en');
    const office = (await (await (await apiAs(system, 'auditor')).fetch('/api/due')).json()) as DueItem[];
    await page.goto(`${system.url}/#/sites`);
    const table = page.getByTestId('due-list');
    await table.locator('tbody tr[data-status]').first().waitFor();
    const daysLeft = () =>
      table.locator('tbody tr td.num').evaluateAll((cells) =>
        cells
          .map((c) => c.textContent!.trim())
          .filter((t) => t !== '—')
          .map(Number),
      );
    await page.getByTestId('due-sort-daysLeft').click();
    const up = await daysLeft();
    expect(up.length).toBeGreaterThan(3);
    expect(up).toEqual([...up].sort((a, b) => a - b));
    expect(await page.locator('th:has([data-testid="due-sort-daysLeft"])').getAttribute('aria-sort')).toBe('ascending');
    await page.getByTestId('due-sort-daysLeft').click();
    const down = await daysLeft();
    expect(down).toEqual([...up].sort((a, b) => b - a));
    // by site name: every site's rows together
    await page.getByTestId('due-sort-site').click();
    const names = await table.locator('tbody tr td:nth-child(2)').evaluateAll((cells) => cells.map((c) => c.textContent!.trim()));
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
    await table.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, `due-${screen.name}.png`) });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('due-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^ketwin-due-\d{4}-\d{2}-\d{2}\.csv$/);
    const file = join(downloads, `${screen.name}-${download.suggestedFilename()}`);
    await download.saveAs(file);
    const rows = (await readFile(file, 'utf8'))
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(rows[0]).toMatch(/^site,site_name_zh,site_name_en,status,clause,/);
    // every duty of every depot, as the API has it (an in-date one too)
    expect(rows.length - 1).toBe(office.length);
    for (const id of DEPOTS) expect(rows.some((r) => r.startsWith(`${id},`))).toBe(true);
    // in the order sorted on screen (by site, names as the page reads them), not the server's: the rows the screen
    // shows (what needs action) in the file's order are the screen's
    const onScreen = await table.locator('tbody tr[data-status]').evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-site')}|${tr.getAttribute('data-testid')}`));
    // RFC 4180 cells: a quoted title may hold commas
    const cells = (row: string) => [...row.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => m[1]!.replace(/^"|"$/g, '').replaceAll('""', '"'));
    const filed = rows
      .slice(1)
      .map(cells)
      .filter((c) => c[3] !== 'ok')
      .map((c) => `${c[0]}|due-${c[4]}-${c[7]}`);
    expect(filed).toEqual(onScreen);
    expect(filed).not.toEqual(office.filter((i) => i.status !== 'ok').map((i) => `${i.site}|due-${i.clause}-${i.subject}`));
    expect(await findInaccessible(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('compares three depots at a past instant picked in the form, clause by clause as recorded, with evidence', async () => {
    const { page, errors } = await openAs(screen.viewport, 'zh');
    // a whole minute (the picker's step) after every depot was on record
    const minute = Math.ceil((scoredAt + 1_000) / 60_000) * 60_000;
    if (Date.now() < minute + 2_000) await new Promise((done) => setTimeout(done, minute + 2_000 - Date.now()));
    const three = ['jintang-crude', 'putuo-products', 'zhoushan-demo'];
    await page.goto(`${system.url}/#/compare/${three.join(',')}`);
    await page.getByTestId('compare-table').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('compare-when').getAttribute('data-at')).toBe('live');
    // the picker is in the browser's zone (Shanghai here): write the minute as it reads it
    const local = new Date(minute + 8 * 3_600_000).toISOString().slice(0, 16);
    await page.getByTestId('compare-at').fill(local);
    await page.getByTestId('compare-at-apply').click();
    await expect.poll(() => page.getByTestId('compare-when').getAttribute('data-at'), { timeout: 20_000 }).toBe(String(minute));
    const recorded = (await (await (await apiAs(system, 'auditor')).fetch(`/api/compare?sites=${three.join(',')}&at=${minute}`)).json()) as Comparison;
    // every cell shows the verdict on record at that instant
    const shown = await page
      .getByTestId('compare-table')
      .locator('td[data-verdict]')
      .evaluateAll((cells) => cells.map((c) => [c.getAttribute('data-testid'), c.getAttribute('data-verdict')]));
    const expected = recorded.clauses.flatMap((c) => recorded.sites.map((s) => [`compare-${c.id}-${s.id}`, c.cells[s.id]!.verdict]));
    expect(shown).toEqual(expected);
    expect(expected.filter(([, v]) => v === 'fail').length).toBeGreaterThan(0);
    // the demo's dike D3 has one set of steps where the standard asks for two: failed, and the evidence says so
    const cell = page.getByTestId('compare-GB50351-3.1.7-STEPS-zhoushan-demo');
    expect(await cell.getAttribute('data-verdict')).toBe('fail');
    await cell.locator('summary').click();
    const evidence = cell.getByTestId('compare-evidence-GB50351-3.1.7-STEPS-zhoushan-demo-D3');
    await evidence.waitFor();
    expect(await evidence.getByTestId('evidence-words').textContent()).toMatch(/1/);
    // only the clauses on which the three differ
    await page.getByTestId('compare-differences').check();
    const differing = recorded.clauses.filter((c) => new Set(Object.values(c.cells).map((x) => x.verdict)).size > 1);
    await expect.poll(() => page.getByTestId('compare-table').locator('tbody tr').count()).toBe(differing.length);
    await page.screenshot({ path: join(ARTIFACTS, `compare-${screen.name}.png`) });
    expect(await findInaccessible(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 150_000);

  it('makes the monthly report, downloads it with its signature, and ketwin report verify accepts it and refuses a changed byte', async () => {
    const { page, errors } = await openAs(screen.viewport, 'en');
    await page.goto(`${system.url}/#/sites`);
    const form = page.getByTestId('monthly-report');
    await form.scrollIntoViewIfNeeded();
    // two of the five depots
    for (const id of DEPOTS.filter((d) => !['jintang-crude', 'zhoushan-demo'].includes(d))) await page.getByTestId(`monthly-site-${id}`).uncheck();
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('monthly-pdf').click()]);
    const month = await page.getByTestId('monthly-month').inputValue();
    expect(pdf.suggestedFilename()).toBe(`ketwin-monthly-${month}.pdf`);
    const file = join(downloads, `${screen.name}-${pdf.suggestedFilename()}`);
    await pdf.saveAs(file);
    expect((await readFile(file)).subarray(0, 5).toString()).toBe('%PDF-');
    // the signature link appears once the report is made; saved beside it, as the browser names it
    const [sig] = await Promise.all([page.waitForEvent('download'), page.getByTestId('monthly-signature').click()]);
    expect(sig.suggestedFilename()).toBe(`${pdf.suggestedFilename()}.sig`);
    await sig.saveAs(`${file}.sig`);
    expect(await form.textContent()).toContain(`ketwin report verify ${pdf.suggestedFilename()}`);
    await page.screenshot({ path: join(ARTIFACTS, `monthly-${screen.name}.png`) });
    const ok = await ketwin('report', 'verify', file);
    expect(ok).toMatchObject({ code: 0 });
    // one byte changed: refused
    const bytes = await readFile(file);
    bytes.writeUInt8(bytes.readUInt8(300) ^ 0x01, 300);
    const changed = join(downloads, `${screen.name}-changed.pdf`);
    await writeFile(changed, bytes);
    await writeFile(`${changed}.sig`, await readFile(`${file}.sig`));
    expect((await ketwin('report', 'verify', changed)).code).not.toBe(0);
    // the CSV of the same choice covers the two depots
    const csv = await (
      await apiAs(system, 'auditor')
    ).fetch(
      new URL((await page.getByTestId('monthly-csv').getAttribute('href'))!, system.url).pathname +
        new URL((await page.getByTestId('monthly-csv').getAttribute('href'))!, system.url).search,
    );
    const text = await csv.text();
    expect(text).toContain('jintang-crude');
    expect(text).toContain('zhoushan-demo');
    expect(text).not.toContain('putuo-products');
    expect(await findInaccessible(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
