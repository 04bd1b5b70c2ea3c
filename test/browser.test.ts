// A real browser (Debian's chromium via playwright-core) against the whole running system.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { startTestSystem, type TestSystem } from './system.ts';
import { openSignedIn } from './sign-in.ts';

const HH = 'GB50074-15.1.2-HH';

let system: TestSystem;
let browser: Browser;

beforeAll(async () => {
  system = await startTestSystem();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

describe('site page in a browser', () => {
  it('lists the demo depot, opens it, shows clause verdicts and follows a live change', async () => {
    const page = await browser.newPage({ locale: 'en-US' });
    try {
      await openSignedIn(page, system, 'manager');
      const row = page.getByTestId('site-zhoushan-demo');
      await row.waitFor();
      await row.getByRole('link').first().click();

      const verdict = page.getByTestId(`verdict-${HH}-T202`);
      await expect.poll(() => verdict.getAttribute('data-verdict'), { timeout: 20_000 }).toBe('pass');
      await expect.poll(() => page.getByTestId('connection').getAttribute('data-connection'), { timeout: 10_000 }).toBe('live');

      // the page follows the depot without a reload: overfill T202 in the simulator
      const before = Number(await page.getByTestId('score').innerText());
      system.sims[0]!.set('T202.level', 16.6);
      await expect.poll(() => verdict.getAttribute('data-verdict'), { timeout: 20_000 }).toBe('fail');
      await expect.poll(() => page.getByTestId(`clause-${HH}-T202`).innerText(), { timeout: 5_000 }).toContain('16.6');
      await expect.poll(async () => Number(await page.getByTestId('score').innerText()), { timeout: 5_000 }).toBeLessThan(before);
    } finally {
      await page.close();
    }
  });
});
