// The rescue page's countdowns in Debian's chromium (a phone and a desk), against the real UI server (an in-memory
// live view stands in for the engine): a flood whose time to the next water level cannot be told shows that
// countdown as unknown with its reason — never no countdown at all — beside a countdown that runs, and the
// unknown one turns into a running one as the engine's update arrives live (issue 27). Run `npm run build:web` first.
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Alert } from '../../../model/index.ts';
import { launchChromium } from '../../../test/chromium.ts';
import { loadDemoSite } from '../../server/testing/fixture.ts';
import { PASSWORD, startSecuredServer, type SecuredServer } from '../../server/testing/secured-app.ts';
import { DEFAULT_STATIC_DIR } from '../../server/index.ts';

const SCREENSHOTS = process.env.KETWIN_SCREENSHOTS ?? join(tmpdir(), 'ketwin-screenshots');
let server: SecuredServer;
let browser: Browser;
beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  server = await startSecuredServer([await loadDemoSite()], { staticDir: DEFAULT_STATIC_DIR });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const NOW = Date.now();
const DANGER = { zh: '预计达危险水位', en: 'Forecast danger level' };
const flood = (incident: Partial<NonNullable<Alert['incident']>>): Alert => ({
  id: 'zhoushan-demo:hazard-flood:T101',
  site: 'zhoushan-demo',
  kind: 'hazard-flood',
  severity: 1,
  state: 'active',
  raisedAt: NOW,
  changedAt: NOW,
  subjects: ['T101'],
  message: { zh: '水位已达报警水位', en: 'water has reached the alarm level' },
  actions: [],
  lifecycle: { condition: 'active', acknowledged: false, escalations: 0 },
  incident: {
    hazard: 'flood',
    zones: { type: 'FeatureCollection', features: [] },
    affected: ['T101'],
    inventory: [],
    countdowns: [{ kind: 'all-clear', label: { zh: '最早解除', en: 'All clear at the earliest' }, deadline: NOW + 20 * 60_000 }],
    ...incident,
  },
});

describe.each([
  { name: 'phone', viewport: { width: 390, height: 844 } },
  { name: 'desk', viewport: { width: 1440, height: 900 } },
])('the rescue page on a $name', ({ name, viewport }) => {
  it('shows a countdown that cannot be told as unknown with why, beside one that runs, until it can be told', async () => {
    server.live.push({
      type: 'alert',
      data: flood({ unknownCountdowns: [{ kind: 'flood-level', label: DANGER, reason: { zh: '水位读数失效', en: 'the level reading is not good' } }] }),
    });
    const page = await browser.newPage({ viewport, locale: 'en-GB' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}/#/incidents/${encodeURIComponent('zhoushan-demo:hazard-flood:T101')}`);
    await page.getByTestId('login-name').fill('rescue');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    const list = page.getByTestId('incident-countdowns');
    await list.waitFor();
    const unknown = list.getByTestId('countdown-unknown-0');
    await expect.poll(() => unknown.innerText()).toMatch(/Forecast danger level\s+unknown\s+the level reading is not good/);
    expect(await unknown.getAttribute('data-kind')).toBe('flood-level');
    expect(await unknown.isVisible()).toBe(true);
    await list.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, `countdown-unknown-${name}.png`) });
    // the running one keeps counting beside it
    expect(await list.locator('li[data-kind="all-clear"]').getAttribute('data-deadline')).toBe(String(NOW + 20 * 60_000));
    // the level reads good again: the engine's update counts down to the danger level instead
    server.live.push({ type: 'alert', data: { ...flood({ countdowns: [{ kind: 'flood-level', label: DANGER, deadline: NOW + 5 * 60_000 }] }), changedAt: NOW + 1 } });
    await expect.poll(() => list.locator('li[data-kind="flood-level"]').getAttribute('data-deadline')).toBe(String(NOW + 5 * 60_000));
    expect(await list.getByTestId('countdown-unknown-0').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
