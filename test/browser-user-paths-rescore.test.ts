// The auditor re-scores a period under a newer standard version in Debian's chromium: readings and
// verdicts recorded under 0.1.0 in a real store (PGlite), replayed through the real engine under 1.0.0.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { loadSite, type Sample, type Site } from '../model/index.ts';
import { loadStandard, renderClauseTable, type Standard } from '../standards/index.ts';
import { replay } from '../engine/index.ts';
import { openStore, type Store } from '../db/index.ts';
import { DEFAULT_STATIC_DIR, type Rescore, type Rescorer } from '../ui/server/index.ts';
import { DEMO_SITE_FILE } from '../ui/server/testing/fixture.ts';
import { PASSWORD, startSecuredServer, type SecuredServer } from '../ui/server/testing/secured-app.ts';
import { launchChromium } from './chromium.ts';

const SCREENSHOTS = process.env.KETWIN_SCREENSHOTS;
const MINUTE = 60_000;
/** ten minutes ago, on a whole minute: the period pickers work in minutes */
const T0 = Math.floor(Date.now() / MINUTE) * MINUTE - 10 * MINUTE;

let dir: string;
let site: Site;
let store: Store;
let server: SecuredServer;
let browser: Browser;

/** two minutes of the depot, each point every second; T201 climbs past high-high during the first half-minute */
function readings(): Sample[] {
  const out: Sample[] = [];
  for (let s = 0; s < 120; s++) {
    for (const p of site.points) {
      let value: number | boolean =
        p.unit === 'bool' ? true : p.name === 'level' ? (p.asset === 'FWP1' ? 4.8 : 10) : p.name === 'gas' ? 1 : p.name === 'pressure' ? 0.3 : p.name.includes('level') ? 90 : 1;
      if (p.name === 'flame' || p.name === 'sounding') value = false;
      if (p.name.endsWith('temperature')) value = 25;
      if (p.name === 'water_level') value = 0.05;
      if (p.id === 'T201.level') value = s < 30 ? 15 + s * 0.05 : 14;
      out.push({ site: site.id, point: p.id, value, quality: 'good', ts: T0 + s * 1000 });
    }
  }
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ketwin-rescore-ui-'));
  if (SCREENSHOTS) await mkdir(SCREENSHOTS, { recursive: true });
  site = await loadSite(DEMO_SITE_FILE);
  const root = new URL('..', import.meta.url).pathname;
  const standards: Standard[] = await Promise.all(['0.1.0', '1.0.0'].map((v) => loadStandard(`${root}standards/oil-depot-above-ground/${v}.yaml`)));
  store = await openStore({ dataDir: dir });
  const samples = readings();
  const then = replay({ samples, site, standard: standards[0]! });
  await store.writeSamples(samples);
  await store.writeResults(then.results);
  await store.writeScores(then.scores);
  // what main.ts wires: the loaded standards and engine/replay.ts
  const rescore: Rescorer = {
    standards: standards.map((s) => s.key),
    replay: ({ standard, ...input }) => replay({ ...input, standard: standards.find((s) => s.key === standard)! }),
  };
  server = await startSecuredServer([site, { ...site, id: 'zhoushan-demo-2', name: { zh: '舟山第二油库（演示）', en: 'Second depot (demo)' } }], {
    staticDir: DEFAULT_STATIC_DIR,
    telemetry: store,
    verdicts: store,
    alerts: store,
    rescore,
    standards: standards.map((s) => ({ key: s.key, title: s.title, markdown: renderClauseTable(s) })),
  });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function signedIn(name: string, hash: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ locale: 'en-US' });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(server.url);
  await page.getByTestId('login-name').fill(name);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user').waitFor();
  await page.evaluate((h) => (location.hash = h), hash);
  return { page, problems };
}

describe('re-scoring a period in the browser', () => {
  it('the auditor re-scores under 1.0.0 and sees the score then and now, and the clauses whose verdict differs', async () => {
    const at = T0 + 2 * MINUTE;
    const { page, problems } = await signedIn('auditor', `#/sites/zhoushan-demo/as-of/${at}`);
    try {
      await page.getByTestId('rescore').locator('summary').click();
      await expect.poll(() => page.getByTestId('rescore-standard').inputValue(), { timeout: 10_000 }).toBe('oil-depot-above-ground@1.0.0');
      const answer = page.waitForResponse((r) => r.url().includes('/rescore?'));
      await page.getByTestId('rescore-run').click();
      const body = (await (await answer).json()) as Rescore;
      // the pickers offered the hour before the as-of instant
      expect([body.from, body.to]).toEqual([at - 60 * MINUTE, at]);
      const result = page.getByTestId('rescore-result');
      await result.waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('rescore-recorded').innerText()).toBe(String(body.recorded.score!.score));
      expect(await page.getByTestId('rescore-rescored').innerText()).toBe(String(body.rescored.score!.score));
      expect(body.recorded.standards).toEqual(['oil-depot-above-ground@0.1.0']);
      const changed = body.clauses.filter((c) => c.changed);
      expect(changed.length).toBeGreaterThan(0);
      expect(Number(await result.getAttribute('data-changed'))).toBe(changed.length);
      const first = changed[0]!;
      const row = page.getByTestId(`rescore-row-${first.clause}-${first.subject}`);
      expect(await row.getAttribute('data-changed')).toBe('true');
      expect(await row.innerText()).toContain('oil-depot-above-ground@1.0.0');
      await page.getByTestId('rescore').scrollIntoViewIfNeeded();
      if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, 'rescore.png') });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('the rescue team is not offered re-scoring (the server refuses it too), and the auditor compares two sites', async () => {
    const rescue = await signedIn('rescue', `#/sites/zhoushan-demo/as-of/${T0 + MINUTE}`);
    try {
      await rescue.page.getByTestId('as-of-banner').waitFor();
      expect(await rescue.page.getByTestId('rescore-form').count()).toBe(0);
      const status = await rescue.page.evaluate(
        async (q) => (await fetch(q)).status,
        `/api/sites/zhoushan-demo/rescore?from=${T0}&to=${T0 + MINUTE}&standard=oil-depot-above-ground@1.0.0`,
      );
      expect(status).toBe(403);
    } finally {
      await rescue.page.close();
    }
    const auditor = await signedIn('auditor', '#/compare/zhoushan-demo,zhoushan-demo-2');
    try {
      await auditor.page.getByText('Second depot (demo)').first().waitFor();
      if (SCREENSHOTS) await auditor.page.screenshot({ path: join(SCREENSHOTS, 'compare.png') });
      expect(auditor.problems).toEqual([]);
    } finally {
      await auditor.page.close();
    }
  });
});
