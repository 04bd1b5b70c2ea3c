// Issue 22 item 10 in Debian's chromium: on the site page during the rim-seal-fire scenario the browser's
// main thread is never held for long — the longest task the long-task observer reports stays under 200 ms
// while the page opens (from the link to the whole clause table and the trend drawn) and over 30 s of the
// fire after, on the desk screen and on a phone screen. Prints one JSON line per screen with the figures.
// (Opening took one task of 201–250 ms before the page was drawn a part per task: SitePage, ClauseTable.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { eventually, startTestSystem, type TestSystem } from './system.ts';
import { apiAs, openSignedIn } from './sign-in.ts';
import type { IncidentSummary } from '../ui/server/index.ts';

const SITE = 'zhoushan-demo';
const WATCH_MS = 30_000;
const LIMIT_MS = 200;
let system: TestSystem;
let browser: Browser;

beforeAll(async () => {
  system = await startTestSystem({ scenario: 'rim-seal-fire' });
  browser = await launchChromium();
  // the fire is burning: its incident is open, and the stream carries its readings and verdicts
  const rescue = await apiAs(system, 'rescue');
  await eventually(
    'the tank-fire incident',
    async () => ((await (await rescue.fetch('/api/incidents')).json()) as IncidentSummary[]).find((i) => i.alert.incident?.hazard === 'tank-fire'),
    60_000,
  );
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

const SCREENS = [
  { name: 'desk', viewport: { width: 1366, height: 768 }, isMobile: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true },
] as const;

describe('the site page during a tank fire', () => {
  it.each(SCREENS)(
    'never holds the main thread for 200 ms while it opens or runs live on the $name screen',
    async (screen) => {
      const context = await browser.newContext({ viewport: screen.viewport, isMobile: screen.isMobile, hasTouch: screen.isMobile, locale: 'zh-CN' });
      const page = await context.newPage();
      try {
        await openSignedIn(page, system, 'manager');
        // every long task from here on, with when it began
        await page.evaluate(() => {
          const tasks: { start: number; duration: number }[] = [];
          (window as unknown as { longTasks: typeof tasks }).longTasks = tasks;
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
          }).observe({ type: 'longtask' });
        });
        const opened = await page.evaluate(() => performance.now());
        await page.goto(`${system.url}/#/sites/${SITE}`);
        await page.locator('[data-testid="connection"][data-connection="live"]').waitFor({ timeout: 30_000 });
        await page.locator('[data-testid="trend-chart"][data-status="ready"]').waitFor({ timeout: 30_000 });
        await page.locator('[data-testid="clause-table"][data-complete="true"]').waitFor({ timeout: 30_000 });
        const shown = await page.evaluate(() => performance.now());
        const readingsBefore = Number(await page.getByTestId('trend-chart').getAttribute('data-readings'));
        await page.waitForTimeout(WATCH_MS);
        const readingsAfter = Number(await page.getByTestId('trend-chart').getAttribute('data-readings'));
        const tasks = await page.evaluate(() => (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks);
        const longest = (from: number, to = Infinity) => Math.round(Math.max(0, ...tasks.filter((t) => t.start >= from && t.start < to).map((t) => t.duration)));
        const figures = {
          screen: screen.name,
          longestTaskOpeningMs: longest(opened, shown),
          longestTaskLiveMs: longest(shown),
          longTasksLive: tasks.filter((t) => t.start >= shown).length,
          watchedMs: WATCH_MS,
          readingsTaken: readingsAfter - readingsBefore,
        };
        console.log(JSON.stringify(figures));
        // the page was live all along: the trend took the fire's readings while it was watched
        expect(figures.readingsTaken).toBeGreaterThan(0);
        expect(figures.longestTaskOpeningMs).toBeLessThan(LIMIT_MS);
        expect(figures.longestTaskLiveMs).toBeLessThan(LIMIT_MS);
      } finally {
        await context.close();
      }
    },
    180_000,
  );
});
