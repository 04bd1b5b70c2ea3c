// The site page's main thread during a scenario, as the browser's long-task observer sees it (issue 22 item 10):
// test/browser-long-task holds it under the limit, bench/event-stream prints it. Needs a system started with
// a scenario playing and a chromium (test/chromium.ts).
import type { Browser } from 'playwright-core';
import { apiAs, openSignedIn } from './sign-in.ts';
import { eventually, type TestSystem } from './system.ts';
import type { IncidentSummary } from '../ui/server/index.ts';

/** once the rim-seal-fire scenario's fire is burning: its incident is open, and the stream carries its readings and verdicts */
export async function untilTankFire(system: TestSystem): Promise<void> {
  const rescue = await apiAs(system, 'rescue');
  await eventually(
    'the tank-fire incident',
    async () => ((await (await rescue.fetch('/api/incidents')).json()) as IncidentSummary[]).find((i) => i.alert.incident?.hazard === 'tank-fire'),
    60_000,
  );
}

/** the screens a person opens the site page on: an office desk and a phone */
export const SCREENS = [
  { name: 'desk', viewport: { width: 1366, height: 768 }, isMobile: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true },
] as const;
export type Screen = (typeof SCREENS)[number];

export interface LongTaskFigures {
  screen: Screen['name'];
  /** the longest task from the link followed until the page is drawn whole (trend, every clause row) */
  longestTaskOpeningMs: number;
  /** the longest task while the page then ran live for `watchedMs` */
  longestTaskLiveMs: number;
  longTasksLive: number;
  watchedMs: number;
  /** readings the trend took while watched: the page was live all along */
  readingsTaken: number;
}

/** Opens the site page signed in as `who` on `screen` (in Chinese), watches it for `watchMs` and says its longest tasks. */
export async function watchSitePage(browser: Browser, system: TestSystem, site: string, screen: Screen, watchMs: number, who = 'manager'): Promise<LongTaskFigures> {
  const context = await browser.newContext({ viewport: screen.viewport, isMobile: screen.isMobile, hasTouch: screen.isMobile, locale: 'zh-CN' });
  const page = await context.newPage();
  try {
    await openSignedIn(page, system, who);
    // every long task from here on, with when it began
    await page.evaluate(() => {
      const tasks: { start: number; duration: number }[] = [];
      (window as unknown as { longTasks: typeof tasks }).longTasks = tasks;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask' });
    });
    const opened = await page.evaluate(() => performance.now());
    await page.goto(`${system.url}/#/sites/${encodeURIComponent(site)}`);
    await page.locator('[data-testid="connection"][data-connection="live"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="trend-chart"][data-status="ready"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="clause-table"][data-complete="true"]').waitFor({ timeout: 30_000 });
    const shown = await page.evaluate(() => performance.now());
    const readingsBefore = Number(await page.getByTestId('trend-chart').getAttribute('data-readings'));
    await page.waitForTimeout(watchMs);
    const readingsAfter = Number(await page.getByTestId('trend-chart').getAttribute('data-readings'));
    const tasks = await page.evaluate(() => (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks);
    const longest = (from: number, to = Infinity) => Math.round(Math.max(0, ...tasks.filter((t) => t.start >= from && t.start < to).map((t) => t.duration)));
    return {
      screen: screen.name,
      longestTaskOpeningMs: longest(opened, shown),
      longestTaskLiveMs: longest(shown),
      longTasksLive: tasks.filter((t) => t.start >= shown).length,
      watchedMs: watchMs,
      readingsTaken: readingsAfter - readingsBefore,
    };
  } finally {
    await context.close();
  }
}
