// The built web app in Debian's chromium, against the real UI server with authentication on
// (an in-memory live view stands in for the engine). Run `npm run build:web` first; `npm test` does.
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadDemoSite } from '../../server/testing/fixture.ts';
import { PASSWORD, startSecuredServer, type SecuredServer } from '../../server/testing/secured-app.ts';
import { DEFAULT_STATIC_DIR, type SeriesPoint } from '../../server/index.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = process.env.KETWIN_SCREENSHOTS ?? join(tmpdir(), 'ketwin-screenshots');

let server: SecuredServer;
let browser: Browser;
beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  server = await startSecuredServer([await loadDemoSite()], {
    staticDir: DEFAULT_STATIC_DIR,
    telemetry: {
      series: async (_site, _point, from, to) =>
        Array.from({ length: 120 }, (_, i): SeriesPoint => ({ ts: from + ((to - from) * i) / 120, value: 15 + Math.sin(i / 10), quality: 'good' })),
    },
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signIn(page: Page, name: string, password = PASSWORD): Promise<void> {
  await page.getByTestId('login-name').fill(name);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** a page that fails the test on any CSP violation or uncaught error */
async function newPage(options: { viewport?: { width: number; height: number } } = {}): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ locale: 'en-US', ...options });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/401|403/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  return { page, problems };
}

describe('the web app with sign-in', () => {
  it('a manager signs in, sorts the overview, opens the site, taps a tank, reads its trend with limits, filters clauses and signs out', async () => {
    const { page, problems } = await newPage();
    try {
      await page.goto(server.url);
      await page.getByTestId('login-form').waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, 'login.png') });
      await signIn(page, 'manager', 'not my password');
      await expect.poll(() => page.getByTestId('login-error').innerText()).toContain('wrong user name or password');
      await signIn(page, 'manager');
      await expect.poll(() => page.getByTestId('user').getAttribute('data-role')).toBe('manager');
      await page.getByTestId('site-zhoushan-demo').waitFor();
      await page.getByTestId('site-map').waitFor();
      await page.getByTestId('sort-score').click();
      await page.screenshot({ path: join(SCREENSHOTS, 'overview.png'), fullPage: true });

      await page.getByTestId('site-zhoushan-demo').getByRole('link').first().click();
      await expect.poll(() => page.getByTestId('score').innerText()).toBe('93');
      await expect.poll(() => page.getByTestId('connection').getAttribute('data-connection')).toBe('live');
      // a live change colours the tank on the plan
      const hh = server.live.snapshot('zhoushan-demo')!.results.find((r) => r.clause === 'tank-level-hh' && r.subject === 'T201')!;
      server.live.push({ type: 'result', data: { ...hh, verdict: 'fail' } });
      await expect.poll(() => page.getByTestId('asset-T201').getAttribute('data-state')).toBe('fail');
      server.live.push({ type: 'sample', data: { site: 'zhoushan-demo', point: 'T201.level', value: 16.4, quality: 'good', ts: Date.now() } });
      await page.getByTestId('asset-T201').click();
      await expect.poll(() => page.getByTestId('asset-details').innerText()).toMatch(/16\.4 m/);
      await page.getByTestId('pick-T201.level').click();
      await expect.poll(() => page.getByTestId('trend-chart').getAttribute('data-status')).toBe('ready');
      expect(await page.getByTestId('trend-chart').locator('canvas').count()).toBe(1);
      await page.screenshot({ path: join(SCREENSHOTS, 'site.png'), fullPage: true });

      await page.getByTestId('filter-verdict').selectOption('unknown');
      const rows = page.locator('[data-testid^="clause-"][data-verdict]');
      await expect.poll(async () => [...new Set(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-verdict'))))]).toEqual(['unknown']);
      await page.getByTestId('filter-verdict').selectOption('');
      await page.getByTestId('filter-category').selectOption('gas');
      await expect.poll(() => rows.count()).toBe(6);

      await page.getByTestId('sign-out').click();
      await page.getByTestId('login-form').waitFor();
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a user of another site is refused the site', async () => {
    const { page } = await newPage();
    try {
      await page.goto(`${server.url}/#/sites/zhoushan-demo`);
      await signIn(page, 'elsewhere');
      await expect.poll(() => page.getByRole('alert').innerText(), { timeout: 10_000 }).toContain('no access to site "zhoushan-demo"');
    } finally {
      await page.close();
    }
  });

  it('fits a phone screen', async () => {
    const { page, problems } = await newPage({ viewport: { width: 390, height: 844 } });
    try {
      await page.goto(`${server.url}/#/sites/zhoushan-demo`);
      await signIn(page, 'rescue');
      await page.getByTestId('site-plan').waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(390);
      await page.screenshot({ path: join(SCREENSHOTS, 'site-phone.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
