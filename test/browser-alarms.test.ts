// A real browser against the whole running system: the manager acknowledges an overfill alarm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { startTestSystem, type TestSystem } from './system.ts';
import { apiAs, openSignedIn } from './sign-in.ts';
import type { SiteDetail } from '../ui/server/index.ts';

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

describe('alarm handling in a browser', () => {
  it('the manager sees the T201 overfill alarm, acknowledges it with a comment, and sees it acknowledged', async () => {
    const page = await browser.newPage({ locale: 'en-US' });
    try {
      await openSignedIn(page, system, 'manager');
      const site = page.getByTestId('site-zhoushan-demo');
      await site.waitFor();
      await site.getByRole('link').first().click();
      await expect.poll(() => page.getByTestId('connection').getAttribute('data-connection'), { timeout: 20_000 }).toBe('live');

      system.sims[0]!.set('T201.level', 16.5);
      const row = page.locator(`[data-testid^="alert-zhoushan-demo:${HH}:T201:"]`);
      await row.waitFor({ timeout: 20_000 });
      const id = (await row.getAttribute('data-testid'))!.slice('alert-'.length);
      const lifecycle = page.getByTestId(`lifecycle-${id}`);
      expect(await lifecycle.getAttribute('data-acknowledged')).toBe('false');
      expect(await lifecycle.innerText()).toContain('not acknowledged');

      await page.getByTestId(`ack-${id}`).click();
      // the comment is required: an empty one is not sent
      await page.getByTestId('ack-submit').click();
      await page.getByTestId('alarm-dialog').waitFor();
      await page.getByTestId('ack-comment').fill('Transfer to T201 stopped, valve XV-201 closed');
      await page.getByTestId('ack-submit').click();

      await expect.poll(() => lifecycle.getAttribute('data-acknowledged'), { timeout: 10_000 }).toBe('true');
      expect(await lifecycle.getAttribute('data-state')).toBe('acknowledged');
      await expect.poll(() => page.getByTestId(`ack-${id}`).count()).toBe(0);
      await expect.poll(() => page.getByTestId('alarm-dialog').count()).toBe(0);

      // the server holds it acknowledged, by the signed-in manager with the comment
      const api = await apiAs(system, 'manager');
      const detail = (await (await api.fetch('/api/sites/zhoushan-demo')).json()) as SiteDetail;
      const alert = detail.alerts.find((a) => a.id === id);
      expect(alert?.lifecycle?.acknowledged).toBe(true);
      expect(alert?.transition).toMatchObject({ action: 'acknowledge', by: 'manager', comment: 'Transfer to T201 stopped, valve XV-201 closed' });
    } finally {
      await page.close();
    }
  });
});
