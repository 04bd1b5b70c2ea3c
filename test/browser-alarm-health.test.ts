// A real browser on the site page with the REAL engine behind the server: a fire and every tank high flood
// the alarm system; the health panel shows the flood and the fire's alarms are grouped under it.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { loadSite, type Site } from '../model/index.ts';
import { loadStandards } from '../standards/index.ts';
import { createEngine, type Engine } from '../engine/index.ts';
import { DEFAULT_STATIC_DIR, type LiveTwin } from '../ui/server/index.ts';
import { PASSWORD, startSecuredServer, type SecuredServer } from '../ui/server/testing/secured-app.ts';
import { launchChromium } from './chromium.ts';
import { openSignedIn } from './sign-in.ts';

const SITE_FILE = new URL('../sites/zhoushan-demo.yaml', import.meta.url).pathname;
const STANDARDS = new URL('../standards', import.meta.url).pathname;

let site: Site;
let engine: Engine;
let server: SecuredServer;
let browser: Browser;

beforeAll(async () => {
  site = await loadSite(SITE_FILE);
  engine = createEngine({ sites: [site], standards: await loadStandards(STANDARDS) });
  const live: LiveTwin = {
    sites: () => [site],
    snapshot: (id) => engine.snapshot(id),
    clauses: (id) => engine.clauses(id),
    events$: engine.events$,
    alarmHealth: (id) => engine.health(id),
  };
  server = await startSecuredServer([site], { live, commands: engine, staticDir: DEFAULT_STATIC_DIR });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  engine?.dispose();
});

describe('alarm-system health in a browser', () => {
  it("the manager sees the flood, the health figures, and the fire's alarms under the fire", async () => {
    const page = await browser.newPage({ locale: 'en-US', viewport: { width: 1400, height: 1000 } });
    try {
      await openSignedIn(page, { url: server.url, users: { manager: { name: 'manager', password: PASSWORD } } }, 'manager');
      await page.goto(`${server.url}/#/sites/zhoushan-demo`);
      await expect.poll(() => page.getByTestId('connection').getAttribute('data-connection'), { timeout: 20_000 }).toBe('live');
      const panel = page.getByTestId('alarm-health');
      await expect.poll(() => page.getByTestId('health-last-window').innerText(), { timeout: 10_000 }).toBe('0');
      expect(await panel.innerText()).toMatch(/Alarm-system health[\s\S]*EEMUA 191/);

      engine.ingest({ site: site.id, point: 'T201.flame', value: true, quality: 'good', ts: Date.now() });
      for (const tank of site.assets.filter((a) => a.kind === 'tank')) {
        const value = (tank.attributes as { levelCriticalHigh: number }).levelCriticalHigh - 0.3;
        engine.ingest({ site: site.id, point: `${tank.id}.level`, value, quality: 'good', ts: Date.now() });
      }

      await page.getByTestId('flood-banner').waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('flood-banner').innerText()).toMatch(/Alarm flood/);
      expect(Number(await page.getByTestId('health-last-window').innerText())).toBeGreaterThanOrEqual(10);
      await expect.poll(() => page.locator('[data-testid="health-top"] tr').count()).toBe(10);

      // the fire first, then the four alarms of its tanks under it, then the rest
      const fire = engine.snapshot(site.id)!.alerts.find((a) => a.incident?.hazard === 'tank-fire')!;
      await expect.poll(() => page.locator(`tr[data-cause="${fire.id}"]`).count(), { timeout: 10_000 }).toBe(4);
      const order = await page.locator('[data-testid="alerts"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-cause') ?? r.getAttribute('data-testid')));
      const at = order.indexOf(`alert-${fire.id}`);
      expect(order.slice(at + 1, at + 5)).toEqual([fire.id, fire.id, fire.id, fire.id]);
      expect(order.slice(at + 5)).not.toContain(fire.id);

      const dir = process.env.KETWIN_SCREENSHOTS;
      if (dir) {
        await mkdir(dir, { recursive: true });
        await page.getByTestId('alerts').scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(dir, 'site-alarm-flood-list.png') });
        await page.getByTestId('alarm-health').scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(dir, 'site-alarm-health.png') });
      }
      await page.getByTestId('language-toggle').click();
      await expect.poll(() => panel.innerText()).toMatch(/报警系统健康[\s\S]*报警泛滥/);
    } finally {
      await page.close();
    }
  });
});
