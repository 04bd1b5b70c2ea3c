/**
 * One central and two edges on one machine, as README "Try it on one machine" runs them (the nats-server at
 * NATS_URL, names of this test's own): both depots in one UI, each edge's health and backlog on its site page in
 * a real browser, and the edge that stops alarmed as silent there and in GET /api/sites/:id/edge.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteStreams, natsUrl, uniquePrefix } from '../bus/testing/nats.ts';
import { loadSite } from '../model/index.ts';
import { startEdge, startKetwin, type Edge, type Ketwin } from '../main.ts';
import { createMemoryUserDirectory, createUser, generatePassword, signIn, type EdgeStatus } from '../ui/server/index.ts';
import { launchChromium } from './chromium.ts';
import { openSignedIn } from './sign-in.ts';
import { eventually } from './system.ts';

const BEAT_MS = 1000;

describe('one central, two edges: both depots watched in one UI', () => {
  const prefix = uniquePrefix();
  const nats = { servers: [natsUrl()], prefix };
  let root: string | undefined;
  const edges: Edge[] = [];
  let central: Ketwin | undefined;
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
    for (const edge of edges) await edge.close();
    await central?.close();
    await deleteStreams(natsUrl(), prefix);
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("lists both sites, shows each edge's beat, link, backlog and devices, and alarms the one that falls silent", async () => {
    root = await mkdtemp(join(tmpdir(), 'ketwin-central-edges-'));
    const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
    // the README's second depot: the demo under another id
    const all = join(root, 'all');
    await mkdir(all);
    await copyFile(resolve('sites/zhoushan-demo.yaml'), join(all, 'zhoushan-demo.yaml'));
    const demo = await readFile(resolve('sites/zhoushan-demo.yaml'), 'utf8');
    expect(demo).toMatch(/^id: zhoushan-demo$/m);
    await writeFile(join(all, 'zhoushan-b.yaml'), demo.replace(/^id: zhoushan-demo$/m, 'id: zhoushan-b'));

    const users = createMemoryUserDirectory();
    const password = generatePassword();
    await createUser(users, { name: 'manager', role: 'manager', sites: ['zhoushan-demo', 'zhoushan-b'], password });
    central = await startKetwin({
      port: 0,
      host: '127.0.0.1',
      dataDir: join(root, 'central'),
      sitesDir: all,
      standardsDir: resolve('standards'),
      simulate: false,
      logger,
      users,
      nats,
      edgeHealthMs: BEAT_MS,
      central: {},
    });
    for (const id of ['zhoushan-demo', 'zhoushan-b']) {
      edges.push(
        await startEdge({
          sites: [await loadSite(join(all, `${id}.yaml`))],
          dataDir: join(root, `edge-${id}`),
          simulate: { ports: 'ephemeral' },
          logger,
          bus: nats,
          healthEveryMs: BEAT_MS,
        }),
      );
    }

    const manager = await signIn(central.url, 'manager', password);
    const edgeOf = async (id: string) => {
      const res = await manager.fetch(`/api/sites/${id}/edge`);
      expect(res.status).toBe(200);
      return (await res.json()) as EdgeStatus;
    };
    await eventually(
      'both sites scored in one UI',
      async () => {
        const sites = (await (await manager.fetch('/api/sites')).json()) as { id: string; risk: string | null }[];
        return sites.length === 2 && sites.every((s) => s.risk !== null) ? true : undefined;
      },
      60_000,
    );
    for (const id of ['zhoushan-demo', 'zhoushan-b']) {
      // the edge's link comes up before its devices may have answered (an OPC-UA secure channel's first handshake)
      await eventually(
        `the edge of ${id} heard, its devices online`,
        async () => {
          const e = await edgeOf(id);
          return e.link === 'up' && e.sources.every((s) => s.online) ? true : undefined;
        },
        30_000,
      );
      const edge = await edgeOf(id);
      expect(edge).toMatchObject({ site: id, silent: false, silentAfterMs: 3 * BEAT_MS, link: 'up', backlog: { dropped: 0 } });
      expect(edge.heardAt).toBeGreaterThan(Date.now() - 10_000);
      expect(edge.sources.map((s) => s.online)).toEqual(edge.sources.map(() => true));
      expect(edge.sources.length).toBeGreaterThanOrEqual(2); // the depot's OPC-UA and Modbus devices
    }

    browser = await launchChromium();
    const page = await browser.newPage({ locale: 'en-US', viewport: { width: 1366, height: 900 } });
    await openSignedIn(page, { url: central.url, users: { manager: { name: 'manager', password } } }, 'manager');
    await page.goto(`${central.url}/#/sites/zhoushan-b`);
    const panel = page.getByTestId('edge-panel');
    await expect.poll(() => panel.getAttribute('data-silent'), { timeout: 20_000 }).toBe('false');
    expect(await page.getByTestId('edge-link').getAttribute('data-link')).toBe('up');
    expect(await page.getByTestId('edge-backlog').innerText()).toMatch(/readings, [\d.]+ MB on disk/);
    expect(await page.getByTestId('edge-source').count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('edge-silent').count()).toBe(0);

    // the edge of zhoushan-b stops: after three beats missed, silent in the API and alarmed on its page; the other is not
    await edges[1]!.close();
    await eventually('the stopped edge silent', async () => ((await edgeOf('zhoushan-b')).silent ? true : undefined), 20_000);
    const silent = await edgeOf('zhoushan-b');
    expect(silent.sources.every((s) => !s.online)).toBe(true);
    expect((await edgeOf('zhoushan-demo')).silent).toBe(false);
    await page.getByTestId('edge-silent').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('edge-silent').innerText()).toMatch(/Edge silent: no health beat for 3 s/);
    expect(await panel.getAttribute('data-silent')).toBe('true');
    await page.getByTestId('language-toggle').click();
    await expect.poll(() => page.getByTestId('edge-silent').innerText()).toMatch(/边缘节点失联：3 秒内无心跳/);
    const dir = process.env.KETWIN_SCREENSHOTS;
    if (dir) {
      await mkdir(dir, { recursive: true });
      await panel.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(dir, 'site-edge-silent.png') });
    }
  }, 180_000);
});
