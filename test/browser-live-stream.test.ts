// Issue 22 item 3 in Debian's chromium: on the site page the trend runs on with the live stream — the
// readings the simulated depot sends after the page loaded appear in the chart without a reload — and
// when the stream drops, a banner says since when (in the site's zone) the data is not live, until it is back.
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { startTestSystem, type TestSystem } from './system.ts';
import { openSignedIn } from './sign-in.ts';

const SITE = 'zhoushan-demo';
let system: TestSystem;
let browser: Browser;

beforeAll(async () => {
  system = await startTestSystem();
  browser = await launchChromium();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

describe('the site page trend', () => {
  it('takes the live readings of its point without a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    try {
      await openSignedIn(page, system, 'manager');
      await page.goto(`${system.url}/#/sites/${SITE}`);
      const chart = page.getByTestId('trend-chart');
      await expect.poll(() => chart.getAttribute('data-status'), { timeout: 30_000 }).toBe('ready');
      const loaded = Number(await chart.getAttribute('data-readings'));
      const navigations: string[] = [];
      page.on('framenavigated', (f) => navigations.push(f.url()));
      // the depot's tank levels move on every scan: more readings arrive on the stream within seconds
      await expect.poll(async () => Number(await chart.getAttribute('data-readings')), { timeout: 20_000 }).toBeGreaterThan(loaded + 2);
      expect(navigations).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('says since when the data is not live while the stream is down, and clears when it is back', async () => {
    // the browser reaches the server through a proxy this test can cut: the stream drops as on a lost link
    const proxy = await cuttableProxy(new URL(system.url));
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, locale: 'zh-CN' });
    const page = await context.newPage();
    try {
      await openSignedIn(page, { ...system, url: proxy.url }, 'manager');
      await page.goto(`${proxy.url}/#/sites/${SITE}`);
      await page.locator('[data-testid="connection"][data-connection="live"]').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('stream-paused').count()).toBe(0);
      await proxy.cut();
      const banner = page.getByTestId('stream-paused');
      await banner.waitFor({ timeout: 20_000 });
      expect(await banner.innerText()).toMatch(/实时数据已中断（自 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} GMT\+8 起），正在重新连接/);
      expect(await banner.getAttribute('role')).toBe('alert');
      // back: the stream reconnects on its own and the banner goes
      await proxy.restore();
      await expect.poll(() => banner.count(), { timeout: 30_000 }).toBe(0);
    } finally {
      await context.close();
      await proxy.close();
    }
  });
});

/** A TCP proxy to `target` on a free loopback port: `cut` drops every connection and refuses new ones until `restore`. */
async function cuttableProxy(target: URL): Promise<{ url: string; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let port = 0;
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
  await listen();
  port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, cut: stop, restore: listen, close: () => (server.listening ? stop() : Promise.resolve()) };
}
