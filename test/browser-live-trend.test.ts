// Issue 22 item 3 in Debian's chromium: on the site page the trend runs on with the live stream — the
// readings the simulated depot sends after the page loaded appear in the chart without a reload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { startTestSystem, type TestSystem } from './system.ts';
import { openSignedIn } from './sign-in.ts';

const SITE = 'zhoushan-demo';
let system: TestSystem;
let browser: Browser;

beforeAll(async () => {
  system = await startTestSystem();
  browser = await launchChromium();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

describe('the site page trend', () => {
  it('takes the live readings of its point without a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    try {
      await openSignedIn(page, system, 'manager');
      await page.goto(`${system.url}/#/sites/${SITE}`);
      const chart = page.getByTestId('trend-chart');
      await expect.poll(() => chart.getAttribute('data-status'), { timeout: 30_000 }).toBe('ready');
      const loaded = Number(await chart.getAttribute('data-readings'));
      const navigations: string[] = [];
      page.on('framenavigated', (f) => navigations.push(f.url()));
      // the depot's tank levels move on every scan: more readings arrive on the stream within seconds
      await expect.poll(async () => Number(await chart.getAttribute('data-readings')), { timeout: 20_000 }).toBeGreaterThan(loaded + 2);
      expect(navigations).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
