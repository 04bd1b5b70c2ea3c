// Issue 16 in Debian's chromium: while T101 burns (the rim-seal-fire scenario on the simulated depot) the
// depot manager's screens lead with the live risk — red, with the fire as its reason — on the site list
// and in the site page header, on a desk and on a phone; the fire alarm offers no shelve button, and says
// why. (The rescue team's page is walked in test/browser-rescue-phone.test.ts.)
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { startTestSystem, eventually, type TestSystem } from './system.ts';
import { apiAs, openSignedIn } from './sign-in.ts';
import type { SiteDetail } from '../ui/server/index.ts';

const SCREENSHOTS = process.env.KETWIN_SCREENSHOTS;
const SITE = 'zhoushan-demo';
let system: TestSystem;
let browser: Browser;
let fireId: string;

beforeAll(async () => {
  if (SCREENSHOTS) await mkdir(SCREENSHOTS, { recursive: true });
  system = await startTestSystem({ scenario: 'rim-seal-fire' });
  browser = await launchChromium();
  const manager = await apiAs(system, 'manager');
  fireId = await eventually(
    'the T101 fire, red',
    async () => {
      const detail = (await (await manager.fetch(`/api/sites/${SITE}`)).json()) as SiteDetail;
      const fire = detail.alerts.find((a) => a.incident?.hazard === 'tank-fire' && a.subjects[0] === 'T101');
      return fire && detail.score?.risk === 'red' ? fire.id : undefined;
    },
    60_000,
  );
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

const noSidewaysScroll = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth);

describe('the live risk leads while T101 burns', () => {
  for (const [name, viewport, locale] of [
    ['desk', { width: 1440, height: 900 }, 'en-US'],
    ['phone', { width: 390, height: 844 }, 'zh-CN'],
  ] as const) {
    it(`on the manager's ${name} (${viewport.width}×${viewport.height}, ${locale}): red with the fire as its reason, the score beside it, no shelve button on the fire`, async () => {
      const page = await browser.newPage({ locale, viewport, ...(name === 'phone' ? { isMobile: true, hasTouch: true } : {}) });
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(String(e)));
      try {
        await openSignedIn(page, system, 'manager');
        // the site list: the live risk column, red with its reason, before the score
        const risk = page.getByTestId(`site-risk-${SITE}`);
        await expect.poll(() => risk.getByTestId('risk').getAttribute('data-risk'), { timeout: 20_000 }).toBe('red');
        const reason = await page.getByTestId(`site-risk-reason-${SITE}`).innerText();
        expect(reason).toMatch(locale === 'en-US' ? /open incident: Tank fire at T101/ : /事件未解除：T101 储罐火灾/);
        const headers = await page.getByTestId('site-list').locator('thead th').allInnerTexts();
        expect(headers.findIndex((h) => /Live risk|实时风险/.test(h))).toBeLessThan(headers.findIndex((h) => /Score|得分/.test(h)));
        if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `live-risk-list-${name}.png`), fullPage: true });

        // the site page header: the live risk first, with the reason; the compliance colour beside the score
        await page.goto(`${system.url}/#/sites/${SITE}`);
        const live = page.getByTestId('live-risk');
        await expect.poll(() => live.getAttribute('data-risk'), { timeout: 20_000 }).toBe('red');
        expect(await page.getByTestId('risk-reason').innerText()).toMatch(locale === 'en-US' ? /Tank fire at T101/ : /储罐火灾/);
        expect(await page.getByTestId('compliance-risk').getByTestId('risk').getAttribute('data-risk')).not.toBe('red');
        const box = async (id: string) => (await page.getByTestId(id).boundingBox())!;
        const [riskBox, scoreBox] = [await box('live-risk'), await box('score')];
        // first: to the left on the same line, or above
        expect(riskBox.y < scoreBox.y - 1 || (Math.abs(riskBox.y - scoreBox.y) < 40 && riskBox.x < scoreBox.x)).toBe(true);

        // the fire alarm: never shelved, and the screen says so instead of offering the button
        await page.getByTestId(`alert-${fireId}`).waitFor();
        expect(await page.getByTestId(`shelve-${fireId}`).count()).toBe(0);
        expect(await page.getByTestId(`never-shelve-${fireId}`).count()).toBe(1);
        expect(await noSidewaysScroll(page)).toBe(true);
        if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `live-risk-site-${name}.png`), fullPage: false });
        expect(problems).toEqual([]);
      } finally {
        await page.close();
      }
    }, 90_000);
  }

  it('the API refuses to shelve the fire (409, with the reason) even when asked directly', async () => {
    const manager = await apiAs(system, 'manager');
    const res = await manager.fetch(`/api/alerts/${encodeURIComponent(fireId)}/shelve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ minutes: 30, reason: 'nuisance' }),
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: string }).error).toMatch(/tank-fire incident is never shelved/);
  });
});
