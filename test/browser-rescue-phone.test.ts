// The rescue team's incident page during the rim-seal-fire scenario, in Debian's chromium on a phone
// (390×844) and a control-room screen (1440×900): it leads with what is happening, where, the zones, the
// wind, the recommended approach, the countdown and the acknowledgement, in that order, with nothing
// wider than the screen, and the gate it recommends is never within ±45° of downwind (issue 16).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { startTestSystem, eventually, type TestSystem } from './system.ts';
import { apiAs, openSignedIn } from './sign-in.ts';
import type { IncidentSummary, IncidentView } from '../ui/server/index.ts';
import { angleBetween, DOWNWIND_HALF_ANGLE_DEG, offDownwind } from '../ui/web/src/lib/wind-side.ts';

const SCREENSHOTS = process.env.KETWIN_SCREENSHOTS;
const LEADING = ['what', 'where', 'zones', 'wind', 'approach', 'countdown', 'ack'];
const SIZES = [
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  { name: 'desktop', viewport: { width: 1440, height: 900 }, isMobile: false, hasTouch: false },
] as const;
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

async function t101Fire(): Promise<IncidentSummary> {
  const rescue = await apiAs(system, 'rescue');
  return eventually('the T101 tank-fire incident with its wind', async () => {
    const list = (await (await rescue.fetch('/api/incidents')).json()) as IncidentSummary[];
    return list.find((i) => i.alert.incident?.hazard === 'tank-fire' && i.alert.subjects.includes('T101') && i.alert.incident.wind);
  }, 60_000);
}

/** the sections that carry data-section, in document order, and where each starts on the page */
const sections = (page: Page) =>
  page.locator('[data-testid="incident"] [data-section]').evaluateAll((els) =>
    els.map((e) => {
      const box = e.getBoundingClientRect();
      return { name: e.getAttribute('data-section')!, top: box.top + window.scrollY, left: box.left };
    }),
  );

const noHorizontalScroll = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth);

describe('the rescue page on a tank fire', () => {
  it.each(SIZES)('on a $name: what, where, zones, wind, approach, countdown, acknowledgement; no sideways scrolling; the gate is not downwind', async (size) => {
    const fire = await t101Fire();
    const page = await browser.newPage({ locale: 'en-US', viewport: size.viewport, isMobile: size.isMobile, hasTouch: size.hasTouch });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    try {
      await openSignedIn(page, system, 'rescue');
      await page.getByTestId(`incident-link-${fire.alert.id}`).click();
      await page.getByTestId('incident').waitFor();
      await page.getByTestId('site-plan').locator('[data-testid^="zone-"]').first().waitFor({ timeout: 20_000 });
      await page.getByTestId('incident-countdowns').waitFor();
      await page.locator('[data-testid="incident-approach-section"][data-wind]').waitFor({ timeout: 20_000 });

      // first of all the site's live risk with its reason: a burning tank makes it red
      const risk = page.getByTestId('incident-risk');
      await expect.poll(() => risk.getAttribute('data-risk'), { timeout: 20_000 }).toBe('red');
      expect((await page.getByTestId('incident-risk-reason').innerText()).length).toBeGreaterThan(0);

      // the leading sections, in the order a team on the way reads them
      const found = await sections(page);
      expect(found[0]!.name).toBe('risk');
      expect(found.map((s) => s.name).filter((n) => LEADING.includes(n))).toEqual(LEADING);
      const top = (name: string) => found.find((s) => s.name === name)!.top;
      if (size.name === 'phone') {
        // one column: each starts below the one before
        for (let i = 1; i < LEADING.length; i++) expect(top(LEADING[i]!)).toBeGreaterThan(top(LEADING[i - 1]!));
      } else {
        // the plan beside them: the left column reads down in order, the zones start at the top on the right
        const left = LEADING.filter((n) => n !== 'zones');
        for (let i = 1; i < left.length; i++) expect(top(left[i]!)).toBeGreaterThan(top(left[i - 1]!));
        const zones = found.find((s) => s.name === 'zones')!;
        expect(zones.left).toBeGreaterThan(found.find((s) => s.name === 'what')!.left);
        expect(zones.top).toBeLessThan(top('where'));
      }
      expect(await noHorizontalScroll(page)).toBe(true);

      // the wind the page goes by is the weather station's, live; the incident carries the wind it was issued with
      const wind = page.getByTestId('incident-wind-section');
      expect(await wind.getAttribute('data-state')).toBe('known');
      const pageFrom = Number(await wind.getAttribute('data-from'));
      const view = (await (await (await apiAs(system, 'rescue')).fetch(`/api/incidents/${encodeURIComponent(fire.alert.id)}`)).json()) as IncidentView;
      const issuedFrom = view.alert.incident!.wind!.fromDeg;
      const recommended = page.getByTestId('recommended-gate');
      const staging = page.getByTestId('staging');
      await expect.poll(async () => (await recommended.count()) + (await staging.count())).toBe(1);
      if (await recommended.count()) {
        const bearing = Number(await recommended.getAttribute('data-bearing'));
        expect(offDownwind(bearing, pageFrom)).toBeGreaterThan(DOWNWIND_HALF_ANGLE_DEG);
        // against the incident's own wind: the live wind has drifted from it by `drift` at most, so the gate is at least that much clear
        const drift = angleBetween(pageFrom, issuedFrom);
        expect(drift).toBeLessThan(45);
        expect(offDownwind(bearing, issuedFrom)).toBeGreaterThan(DOWNWIND_HALF_ANGLE_DEG - drift);
        expect(await page.getByTestId('site-plan').getByTestId('mark-gate').count()).toBe(1);
      } else {
        // every gate downwind or in a zone: staging upwind, on the plan
        expect(angleBetween(Number(await staging.getAttribute('data-bearing')), pageFrom)).toBeLessThan(1);
        expect(await page.getByTestId('site-plan').getByTestId('mark-staging').count()).toBe(1);
      }
      const approach = page.getByTestId('road-approach');
      if (await approach.count()) expect(offDownwind(Number(await approach.getAttribute('data-bearing')), pageFrom)).toBeGreaterThan(DOWNWIND_HALF_ANGLE_DEG);
      for (const gate of await page.getByTestId('incident-gates').locator('li').all()) {
        const bearing = Number(await gate.getAttribute('data-bearing'));
        if (offDownwind(bearing, pageFrom) <= DOWNWIND_HALF_ANGLE_DEG) expect(await gate.getAttribute('data-excluded')).toBe('downwind');
      }
      // a countdown is a time left or "overdue by …", never a negative time
      for (const time of await page.getByTestId('incident-countdowns').locator('[data-testid^="countdown-"]').allInnerTexts()) {
        expect(time).toMatch(/^(\d{1,2}:\d{2}(:\d{2})?|overdue by \d+ (s|min|h \d+ min))$/);
      }
      // the team's acknowledgement: "Received"
      await page.getByTestId('incident-respond-acknowledged').waitFor();
      if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `rescue-${size.name}-en.png`), fullPage: true });

      await page.getByTestId('language-toggle').click();
      await expect.poll(() => page.getByTestId('incident-hazard').innerText()).toBe('储罐火灾');
      expect(await noHorizontalScroll(page)).toBe(true);
      if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `rescue-${size.name}-zh.png`), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 150_000);
});
