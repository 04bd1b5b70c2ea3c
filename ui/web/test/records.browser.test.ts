// The auditor's and the manager's record-keeping paths in Debian's chromium, against the real UI server
// over a real store (embedded PGlite) holding a day of verdicts. Run `npm run build:web` first; `npm test` does.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openStore, type Store } from '../../../db/index.ts';
import type { ClauseResult, Site } from '../../../model/index.ts';
import { loadDemoSite } from '../../server/testing/fixture.ts';
import { PASSWORD, startSecuredServer, type SecuredServer } from '../../server/testing/secured-app.ts';
import { DEFAULT_STATIC_DIR, verifyReport, type ReportSignature } from '../../server/index.ts';

const run = promisify(execFile);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = process.env.KETWIN_SCREENSHOTS ?? join(tmpdir(), 'ketwin-screenshots');
const HOUR = 3_600_000;
const EARLIER = Date.now() - 26 * HOUR; // the failure began then
const RECOVERED = Date.now() - 20 * HOUR;

let root: string;
let store: Store;
let site: Site;
let server: SecuredServer;
let browser: Browser;

function result(verdict: ClauseResult['verdict'], since: number): ClauseResult {
  return {
    site: 'zhoushan-demo',
    clause: 'tank-level-hh',
    subject: 'T101',
    verdict,
    since,
    evidence: [{ point: 'T101.level', value: verdict === 'fail' ? 17.9 : 12.2, quality: 'good', ts: since }],
    thresholds: { highHigh: 17.5 },
    standard: 'oil-depot-above-ground@1.0.0',
  };
}

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  root = await mkdtemp(join(tmpdir(), 'ketwin-records-web-'));
  store = await openStore({ dataDir: join(root, 'data') });
  await store.writeResults([result('pass', EARLIER - 48 * HOUR), result('fail', EARLIER), result('pass', RECOVERED)]);
  const counts = (fail: number) => ({ pass: 20, fail, unknown: 0, 'not-applicable': 3 });
  await store.writeScores([
    { site: 'zhoushan-demo', ts: EARLIER - 48 * HOUR, score: 95, grade: 'A', risk: 'blue', counts: counts(0), coverage: 1, standard: 'oil-depot-above-ground@1.0.0' },
    { site: 'zhoushan-demo', ts: EARLIER, score: 67.5, grade: 'C', risk: 'orange', counts: counts(1), coverage: 0.96, standard: 'oil-depot-above-ground@1.0.0' },
  ]);
  site = await loadDemoSite();
  server = await startSecuredServer([site, { ...site, id: 'zhoushan-demo-2', name: { zh: '舟山示范油库二期', en: 'Zhoushan demo depot II' } }], {
    staticDir: DEFAULT_STATIC_DIR,
    telemetry: store,
    verdicts: store,
    alerts: store,
    // as main.ts composes it: the record as stored, not the list writeEvidence answers
    inspections: { list: (s) => store.evidence(s), record: async (r) => (await store.writeEvidence([r]))[0] },
    audit: (entry) => void store.appendAudit(entry),
    reports: { keyDir: join(root, 'data', 'keys') },
    standards: [
      {
        key: 'oil-depot-above-ground@1.0.0',
        title: { zh: '地面油库防护标准', en: 'Above-ground oil depot guideline' },
        markdown: await readFile('standards/oil-depot-above-ground/1.0.0.md', 'utf8'),
      },
    ],
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

async function signedInPage(name: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ locale: 'zh-CN', acceptDownloads: true, viewport: { width: 1400, height: 1000 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/401|403/.test(m.text())) problems.push(m.text());
  });
  await page.goto(server.url);
  await page.getByTestId('login-name').fill(name);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user').waitFor();
  return { page, problems };
}

const localInput = (ms: number) => {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

describe('the auditor', () => {
  it('opens the site as of an earlier time, reads the clause history and downloads the signed PDF report', async () => {
    const { page, problems } = await signedInPage('auditor');
    try {
      await page.getByTestId('site-zhoushan-demo').getByRole('link').first().click();
      await page.getByTestId('as-of-link').click();
      await page.getByTestId('as-of-picker').fill(localInput(EARLIER + HOUR));
      await page.getByTestId('as-of-apply').click();
      await expect.poll(() => page.getByTestId('as-of-score').innerText()).toBe('67.5');
      await expect.poll(() => page.getByTestId('verdict-tank-level-hh-T101').getAttribute('data-verdict')).toBe('fail');
      expect(await page.getByTestId('as-of-banner').innerText()).toMatch(/^截至 /);
      await page.getByTestId('failure-period').first().waitFor();
      expect(await page.getByTestId('failure-period').first().innerText()).toMatch(/持续 6小时0分/);
      await page.screenshot({ path: join(SCREENSHOTS, 'as-of.png'), fullPage: true });

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-download').click()]);
      expect(download.suggestedFilename()).toMatch(/^ketwin-report-zhoushan-demo-\d{8}T\d{6}Z\.pdf$/);
      const file = join(root, download.suggestedFilename());
      await download.saveAs(file);
      const text = (await run('pdftotext', ['-layout', file, '-'])).stdout;
      expect(text).toContain(site.name.zh);
      expect(text).toContain(site.name.en);
      expect(text).toMatch(/得分 \/ Score: 67\.5/);

      const [sigDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-signature').click()]);
      const sigFile = join(root, 'report.sig');
      await sigDownload.saveAs(sigFile);
      const signature = JSON.parse(await readFile(sigFile, 'utf8')) as ReportSignature;
      expect(verifyReport(await readFile(file), signature)).toEqual({ ok: true });
      const exports = (await store.auditRecords()).filter((r) => r.action === 'report.export');
      expect(exports).toContainEqual(expect.objectContaining({ actor: 'auditor', site: 'zhoushan-demo', details: expect.objectContaining({ sha256: signature.sha256 }) }));
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("compares two sites clause by clause and reads the standard's clause table", async () => {
    const { page, problems } = await signedInPage('auditor');
    try {
      await page.getByTestId('nav-compare').click();
      await page.getByTestId('compare-site-zhoushan-demo').check();
      await page.getByTestId('compare-site-zhoushan-demo-2').check();
      await page.getByTestId('compare-table').waitFor();
      expect(await page.getByTestId('compare-tank-level-hh-zhoushan-demo-2').getAttribute('data-verdict')).toMatch(/^(pass|fail|unknown)$/);
      await page.screenshot({ path: join(SCREENSHOTS, 'compare.png'), fullPage: true });
      await page.getByTestId('nav-standards').click();
      await page.getByTestId('standard-table').waitFor();
      expect(await page.getByTestId('standard-table').innerText()).toContain('石油储备库类（地面）重要经济目标防护标准');
      await page.screenshot({ path: join(SCREENSHOTS, 'standards.png') });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe('the manager', () => {
  it('records a drill, which is stored, audited and listed on the site page', async () => {
    const { page, problems } = await signedInPage('manager');
    try {
      await page.getByTestId('site-zhoushan-demo').getByRole('link').first().click();
      await page.getByTestId('evidence-form').waitFor();
      await page.getByTestId('evidence-kind').fill('onsite-plan-drill');
      await page.getByTestId('evidence-done-at').fill(localInput(Date.now() - 2 * HOUR));
      await page.getByTestId('evidence-by').fill('安全科 王工');
      await page.getByTestId('evidence-reference').fill('XC-2026-02');
      // a note in Markdown, with HTML a writer should not be able to slip into the page
      await page.getByTestId('evidence-notes').fill('**42** evacuated <img src=x onerror="window.hacked=1"> [site](javascript:window.hacked=1)');
      await page.getByTestId('evidence-submit').click();
      await page.getByTestId('evidence-saved').waitFor();
      const row = page.locator('[data-testid="evidence-onsite-plan-drill-zhoushan-demo"][data-source="recorded"]');
      await expect.poll(() => row.count()).toBe(1);
      expect(await row.innerText()).toContain('XC-2026-02');
      // Markdown rendered (item 6), the HTML shown as text, no link made of the script
      expect(await row.locator('strong').innerText()).toBe('42');
      expect(await row.locator('img, a[href^="javascript"]').count()).toBe(0);
      expect(await row.innerText()).toContain('<img src=x onerror="window.hacked=1">');
      expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();
      expect(await store.evidence('zhoushan-demo', { kind: 'onsite-plan-drill' })).toContainEqual(expect.objectContaining({ reference: 'XC-2026-02', by: '安全科 王工' }));
      await expect.poll(async () => (await store.auditRecords()).some((r) => r.action === 'inspection.record' && r.actor === 'manager')).toBe(true);
      await row.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SCREENSHOTS, 'evidence.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('an auditor sees the records but no entry form', async () => {
    const { page } = await signedInPage('auditor');
    try {
      await page.getByTestId('site-zhoushan-demo').getByRole('link').first().click();
      await page.getByTestId('evidence-list').waitFor();
      expect(await page.getByTestId('evidence-form').count()).toBe(0);
    } finally {
      await page.close();
    }
  });
});
