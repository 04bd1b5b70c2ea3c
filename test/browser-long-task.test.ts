// Issue 22 item 10 in Debian's chromium: on the site page during the rim-seal-fire scenario the browser's
// main thread is never held for long — the longest task the long-task observer reports stays under 200 ms
// while the page opens (from the link to the whole clause table and the trend drawn) and over 30 s of the
// fire after, on the desk screen and on a phone screen. Prints one JSON line per screen with the figures.
// (Opening took one task of 201–250 ms before the page was drawn a part per task: SitePage, ClauseTable.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { startTestSystem, type TestSystem } from './system.ts';
import { SCREENS, untilTankFire, watchSitePage } from './long-task.ts';

const SITE = 'zhoushan-demo';
const WATCH_MS = 30_000;
const LIMIT_MS = 200;
let system: TestSystem;
let browser: Browser;

beforeAll(async () => {
  system = await startTestSystem({ scenario: 'rim-seal-fire' });
  browser = await launchChromium();
  await untilTankFire(system);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

describe('the site page during a tank fire', () => {
  it.each(SCREENS)(
    'never holds the main thread for 200 ms while it opens or runs live on the $name screen',
    async (screen) => {
      const figures = await watchSitePage(browser, system, SITE, screen, WATCH_MS);
      console.log(JSON.stringify(figures));
      // the page was live all along: the trend took the fire's readings while it was watched
      expect(figures.readingsTaken).toBeGreaterThan(0);
      expect(figures.longestTaskOpeningMs).toBeLessThan(LIMIT_MS);
      expect(figures.longestTaskLiveMs).toBeLessThan(LIMIT_MS);
    },
    180_000,
  );
});
