// Each user's path through the whole running system in Debian's chromium, with the tank-overfill
// scenario playing in the simulated demo depot (T201 fills past high-high, critical-high and over the top).
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { startTestSystem, eventually, type TestSystem } from './system.ts';
import { apiAs, openSignedIn } from './sign-in.ts';
import type { IncidentSummary, IncidentView, SiteAsOf, SiteDetail } from '../ui/server/index.ts';

const HH = 'GB50074-15.1.2-HH';
const SITE = 'zhoushan-demo';
const SITE_NAME = 'Haiyu Oil Depot, Zhoushan (demo)';
const PHONE = { width: 390, height: 844 };
const SCREENSHOTS = process.env.KETWIN_SCREENSHOTS;

let system: TestSystem;
let browser: Browser;
let downloads: string;

beforeAll(async () => {
  downloads = await mkdtemp(join(tmpdir(), 'ketwin-downloads-'));
  if (SCREENSHOTS) await mkdir(SCREENSHOTS, { recursive: true });
  system = await startTestSystem({ scenario: 'tank-overfill' });
  browser = await launchChromium();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await system?.stop();
  if (downloads) await rm(downloads, { recursive: true, force: true });
});

/** the viewport (the top of long pages), or the whole page */
async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}

/** a page that records uncaught errors, so that a path that "works" while throwing fails */
async function newPage(viewport?: { width: number; height: number }): Promise<{ page: Page; problems: string[] }> {
  const phone = viewport !== undefined && viewport.width < 600;
  const page = await browser.newPage({ locale: 'en-US', ...(viewport ? { viewport } : {}), ...(phone ? { isMobile: true, hasTouch: true } : {}) });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  return { page, problems };
}

/** the open overfill incident of T201, once the engine has raised it */
async function overfillIncident(): Promise<IncidentSummary> {
  const rescue = await apiAs(system, 'rescue');
  return eventually(
    'the T201 overfill incident',
    async () => {
      const list = (await (await rescue.fetch('/api/incidents')).json()) as IncidentSummary[];
      return list.find((i) => i.alert.incident?.hazard === 'overfill' && i.alert.subjects.includes('T201'));
    },
    60_000,
  );
}

describe('user paths on the demo with the tank-overfill scenario playing', () => {
  it('the manager sees T201 turn red on the plan and acknowledges its high-high alarm with a comment', async () => {
    const { page, problems } = await newPage();
    try {
      await openSignedIn(page, system, 'manager');
      const row = page.getByTestId(`site-${SITE}`);
      await row.waitFor();
      await screenshot(page, 'overview');
      await row.getByRole('link').first().click();

      const tank = page.getByTestId('site-plan').getByTestId('asset-T201');
      await expect.poll(() => tank.getAttribute('data-state'), { timeout: 90_000 }).toBe('fail');
      expect(await tank.evaluate((g) => getComputedStyle(g.querySelector('.shape')!).fill)).toBe('rgb(255, 129, 130)');
      // the overfill incident's zone (dike D2) is drawn on the manager's plan too
      await page.getByTestId('site-plan').locator('[data-testid^="zone-"]').first().waitFor({ timeout: 30_000 });
      await screenshot(page, 'site');

      const alarm = page.locator(`[data-testid^="alert-${SITE}:${HH}:T201:"]`);
      await alarm.waitFor({ timeout: 20_000 });
      const id = (await alarm.getAttribute('data-testid'))!.slice('alert-'.length);
      await page.getByTestId(`ack-${id}`).click();
      await page.getByTestId('ack-comment').fill('Pumps P-201A/B stopped, inlet valve XV-201 closed');
      await page.getByTestId('ack-submit').click();
      await expect.poll(() => page.getByTestId(`lifecycle-${id}`).getAttribute('data-acknowledged'), { timeout: 10_000 }).toBe('true');

      const detail = (await (await (await apiAs(system, 'manager')).fetch(`/api/sites/${SITE}`)).json()) as SiteDetail;
      const acked = detail.alerts.find((a) => a.id === id);
      expect(acked?.lifecycle?.acknowledged).toBe(true);
      expect(acked?.transition).toMatchObject({ action: 'acknowledge', by: 'manager', comment: 'Pumps P-201A/B stopped, inlet valve XV-201 closed' });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 150_000);

  it('the rescue team lands on its open incidents, opens the overfill on a phone, sees its zones and reports en route', async () => {
    const { alert } = await overfillIncident();
    const { page, problems } = await newPage(PHONE);
    try {
      await openSignedIn(page, system, 'rescue');
      const link = page.getByTestId(`incident-link-${alert.id}`);
      await link.waitFor({ timeout: 20_000 });
      await link.click();

      await page.getByTestId('incident').waitFor();
      expect(await page.getByTestId('incident-hazard').innerText()).toBe('Tank overfill');
      // the zones drawn on the plan are the incident's own: dike D2 around T201, which is outlined as affected
      const zones = page.getByTestId('site-plan').locator('[data-testid^="zone-"]');
      await zones.first().waitFor({ timeout: 20_000 });
      expect(await zones.count()).toBe(alert.incident!.planZones!.features.length);
      expect(await zones.first().getAttribute('data-kind')).toBe('dike');
      expect(await page.getByTestId('site-plan').getByTestId('asset-T201').getAttribute('data-affected')).toBe('true');
      // where, in WGS84 for the phone's map app
      expect(await page.getByTestId('incident-geo-link').getAttribute('href')).toMatch(/^geo:30\.05\d{4},122\.03\d{4}$/);
      expect(await page.getByTestId('incident-inventory').innerText()).toContain('T201');
      // the scenario holds the wind from 10°: approach from the north, the shelter is outside the dike's zone
      await expect.poll(() => page.getByTestId('incident-wind').getAttribute('data-from'), { timeout: 10_000 }).toBe('10');
      expect(await page.getByTestId('incident-approach').innerText()).toBe('Approach from upwind: from the N');
      expect(await page.getByTestId('incident-access').locator('li[data-asset="SH1"]').getAttribute('data-inside')).toBe('false');
      // the plan draws the fire lanes to scale and the gates; of the two gates, both outside the dike, the team is sent to
      // the east emergency gate, crosswind and nearer, not the main gate downwind in the south; then along a road to the zone's edge
      const plan = page.getByTestId('site-plan');
      expect(await plan.getByTestId('road-R1').getAttribute('data-width')).toBe('6');
      expect(await plan.locator('[data-testid^="road-"]').count()).toBe(5);
      expect(await plan.locator('[data-testid^="gate-"]').count()).toBe(2);
      const recommended = page.getByTestId('recommended-gate');
      expect(await recommended.getAttribute('data-gate')).toBe('G2');
      expect(await recommended.innerText()).toMatch(/^Come in by the East emergency gate — \d+ m SE · crosswind · outside the zones$/);
      expect(await page.getByTestId('incident-gates').locator('li[data-gate="G1"]').getAttribute('data-side')).toBe('downwind');
      expect(await page.getByTestId('road-approach').innerText()).toMatch(/^Road approach: Fire lane between the .+, to \d+ m [NESW]+ of the incident/);
      expect(await page.getByTestId('road-route').getAttribute('data-roads')).toMatch(/^R5 R4 R[123]/);
      expect(await page.getByTestId('road-route').innerText()).toMatch(/^From the East emergency gate: Service road → Main road → .+, about \d+ m, clear of the zones$/);
      const countdown = page.getByTestId('countdown-0');
      await expect.poll(() => countdown.innerText()).toMatch(/^(\d{2}:\d{2}|overdue by \d+ (s|min))$/);
      // it ticks
      const first = await countdown.innerText();
      await expect.poll(() => countdown.innerText(), { timeout: 5_000 }).not.toBe(first);

      await page.getByTestId('incident-respond-en-route').click();
      await page.locator('[data-testid="incident-reports"] li[data-status="en-route"][data-by="rescue"]').waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('incident-respond-en-route').getAttribute('aria-pressed')).toBe('true');
      // nothing wider than the phone
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await screenshot(page, 'incident-phone', true);
      // in Chinese, the team's language on site
      await page.getByTestId('language-toggle').click();
      await expect.poll(() => page.getByTestId('incident-hazard').innerText()).toBe('储罐冒顶');
      expect(await page.getByTestId('incident-respond-en-route').innerText()).toBe('正在赶赴');
      expect(await page.getByTestId('incident-approach').innerText()).toBe('建议从上风向进场：从北侧');
      expect(await page.getByTestId('recommended-gate').innerText()).toMatch(/^建议从东侧应急出入口进场/);
      await screenshot(page, 'incident-phone-zh', true);

      // the server recorded it
      const view = (await (await (await apiAs(system, 'rescue')).fetch(`/api/incidents/${encodeURIComponent(alert.id)}`)).json()) as IncidentView;
      expect(view.responses[0]).toMatchObject({ status: 'en-route', by: 'rescue' });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('the manager follows the same incident from the alarm list on a control-room screen', async () => {
    const { alert } = await overfillIncident();
    const { page, problems } = await newPage({ width: 1920, height: 1080 });
    try {
      await openSignedIn(page, system, 'manager');
      await page.evaluate((hash) => (location.hash = hash), `#/sites/${SITE}`);
      await page.getByTestId(`incident-open-${alert.id}`).click();
      await page.getByTestId('incident').waitFor();
      await page.getByTestId('site-plan').locator('[data-testid^="zone-"]').first().waitFor({ timeout: 20_000 });
      // the rescue team's report is there for the control room to see
      await page.locator('[data-testid="incident-reports"] li[data-status="en-route"][data-by="rescue"]').waitFor();
      // and follows the next one live, over the event stream
      const onScene = await (
        await apiAs(system, 'rescue')
      ).fetch(`/api/alerts/${encodeURIComponent(alert.id)}/respond`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'on-scene' }),
      });
      expect(onScene.status).toBe(200);
      await page.locator('[data-testid="incident-reports"] li[data-status="on-scene"][data-by="rescue"]').waitFor({ timeout: 10_000 });
      await screenshot(page, 'incident-control-room');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('the auditor opens the site as of an earlier time and downloads the signed PDF, which names the site and its score then', async () => {
    const auditorApi = await apiAs(system, 'auditor');
    // an instant by which a score had been stored
    const at = await eventually(
      'a stored score',
      async () => {
        const t = Date.now() - 2_000;
        const then = (await (await auditorApi.fetch(`/api/sites/${SITE}/as-of?at=${t}`)).json()) as SiteAsOf;
        return then.score ? t : undefined;
      },
      30_000,
    );
    const { page, problems } = await newPage();
    try {
      await openSignedIn(page, system, 'auditor');
      await page.getByTestId(`site-${SITE}`).getByRole('link').first().click();
      await page.getByTestId('as-of-link').click();
      await page.getByTestId('as-of-picker').waitFor();
      await page.evaluate((hash) => (location.hash = hash), `#/sites/${SITE}/as-of/${at}`);
      await expect.poll(() => page.getByTestId('as-of-banner').getAttribute('data-at')).toBe(String(at));
      const score = page.getByTestId('as-of-score');
      await expect.poll(async () => /^\d+(\.\d+)?$/.test(await score.innerText()), { timeout: 10_000 }).toBe(true);
      const shown = await score.innerText();
      await screenshot(page, 'audit');

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-download').click()]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`^ketwin-report-${SITE}-\\d{8}T\\d{6}Z\\.pdf$`));
      const file = join(downloads, download.suggestedFilename());
      await download.saveAs(file);
      const { stdout: text } = await promisify(execFile)('pdftotext', ['-enc', 'UTF-8', file, '-']);
      expect(text).toContain(SITE_NAME);
      expect(text).toContain(`Score: ${shown}`);
      expect(text).toContain(`As of: ${new Date(at).toISOString().slice(0, 19).replace('T', ' ')} UTC`);
      await page.getByTestId('report-sha256').waitFor();
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);

  it('a manager of another site is refused, in the app and by the API', async () => {
    const { alert } = await overfillIncident();
    const { page } = await newPage();
    try {
      await openSignedIn(page, system, 'elsewhere');
      await page.getByTestId('nav-sites').click();
      await page.getByText('No sites yet').waitFor();
      await page.evaluate((hash) => (location.hash = hash), `#/sites/${SITE}`);
      await expect.poll(() => page.getByRole('alert').innerText(), { timeout: 10_000 }).toContain(`no access to site "${SITE}"`);
      await page.evaluate((hash) => (location.hash = hash), `#/incidents/${encodeURIComponent(alert.id)}`);
      const refused = page.getByTestId('incident-error');
      await refused.waitFor();
      expect(await refused.getAttribute('data-status')).toBe('403');
      await screenshot(page, 'refused');
    } finally {
      await page.close();
    }
    const elsewhere = await apiAs(system, 'elsewhere');
    expect((await elsewhere.fetch(`/api/sites/${SITE}`)).status).toBe(403);
    expect((await elsewhere.fetch(`/api/incidents/${encodeURIComponent(alert.id)}`)).status).toBe(403);
    expect((await elsewhere.fetch(`/api/sites/${SITE}/report.pdf`)).status).toBe(403);
    const respond = await elsewhere.fetch(`/api/alerts/${encodeURIComponent(alert.id)}/respond`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'en-route' }),
    });
    expect(respond.status).toBe(403);
    expect(await (await elsewhere.fetch('/api/incidents')).json()).toEqual([]);
  }, 60_000);
});
