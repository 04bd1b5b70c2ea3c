// The rescue team's incident page on a tank fire, in Debian's chromium on a phone: the rim-seal-fire
// scenario plays in the simulated demo depot (T101's seal burns, then the whole surface, T102 is exposed).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { startTestSystem, eventually, type TestSystem } from './system.ts';
import { apiAs, openSignedIn } from './sign-in.ts';
import type { IncidentSummary } from '../ui/server/index.ts';

const SCREENSHOTS = process.env.KETWIN_SCREENSHOTS;
let system: TestSystem;
let browser: Browser;

beforeAll(async () => {
  if (SCREENSHOTS) await mkdir(SCREENSHOTS, { recursive: true });
  system = await startTestSystem({ scenario: 'rim-seal-fire' });
  browser = await launchChromium();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

describe("a tank fire on the rescue team's phone", () => {
  it("shows the radiation zones around T101, the cooling countdowns, the inventory and the wind, and takes the team's report", async () => {
    const rescue = await apiAs(system, 'rescue');
    const fire = await eventually(
      'the T101 tank-fire incident',
      async () => {
        const list = (await (await rescue.fetch('/api/incidents')).json()) as IncidentSummary[];
        return list.find((i) => i.alert.incident?.hazard === 'tank-fire' && i.alert.subjects.includes('T101'));
      },
      60_000,
    );
    const page = await browser.newPage({ locale: 'en-US', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    try {
      await openSignedIn(page, system, 'rescue');
      await page.getByTestId(`incident-link-${fire.alert.id}`).click();
      await page.getByTestId('incident').waitFor();
      expect(await page.getByTestId('incident-hazard').innerText()).toBe('Tank fire');

      // one drawn zone per radiation level, innermost last (on top), centred on T101
      const zones = page.getByTestId('site-plan').locator('[data-testid^="zone-"]');
      await zones.first().waitFor({ timeout: 20_000 });
      await expect.poll(async () => (await zones.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).every((k) => k === 'thermal-radiation')).toBe(true);
      expect(await zones.count()).toBeGreaterThanOrEqual(3);
      expect(await page.getByTestId('site-plan').getByTestId('asset-T101').getAttribute('data-affected')).toBe('true');
      const centre = page.getByTestId('incident-centre');
      const t101 = system.sites[0]!.assets.find((a) => a.id === 'T101')!.position;
      // the centre of the innermost ring is the burning tank: about T101's position north and east of the site's origin
      const lat = Number(await centre.getAttribute('data-lat'));
      const lon = Number(await centre.getAttribute('data-lon'));
      const origin = system.sites[0]!.location;
      expect((lat - origin.lat) * 111_195).toBeCloseTo(t101.y, -1);
      expect((lon - origin.lon) * 111_195 * Math.cos((origin.lat * Math.PI) / 180)).toBeCloseTo(t101.x, -1);

      // GB 50074 cooling deadlines, ticking
      await page.getByTestId('incident-countdowns').locator('li[data-kind="cooling"]').first().waitFor();
      expect(await page.getByTestId('incident-inventory').innerText()).toMatch(/T101[\s\S]*crude oil/);
      await page.getByTestId('incident-wind').waitFor();

      await page.getByTestId('incident-respond-acknowledged').click();
      await page.locator('[data-testid="incident-reports"] li[data-status="acknowledged"][data-by="rescue"]').waitFor({ timeout: 10_000 });
      if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, 'incident-fire-phone.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);
});
