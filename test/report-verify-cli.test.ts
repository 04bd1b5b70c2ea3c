/**
 * Issue 23, item 4's signature: a report the server exports (GET /api/sites/:id/report.pdf and its .sig from
 * GET /api/reports/:digest/signature) is checked offline by `ketwin report verify FILE` against the server's key
 * under KETWIN_DATA; one changed byte, another server's key or a missing .sig is refused.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadSite } from '../model/index.ts';
import { loadReportSigner } from '../ui/server/index.ts';
import { DEMO_SITE_FILE } from '../ui/server/testing/fixture.ts';
import { startSecuredServer, type SecuredServer } from '../ui/server/testing/secured-app.ts';
import { main } from '../main.ts';

let root: string;
let server: SecuredServer;
let pdfFile: string;
const saved = { ...process.env };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ketwin-report-verify-'));
  const dataDir = join(root, 'data');
  Object.assign(process.env, { KETWIN_DATA: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: '' });
  // the server signs with the key under <data dir>/keys, as main.ts gives it
  server = await startSecuredServer([await loadSite(DEMO_SITE_FILE)], { reports: { keyDir: join(dataDir, 'keys') } });
  const auditor = await server.as('auditor');
  const res = await auditor.fetch('/api/sites/zhoushan-demo/report.pdf');
  expect(res.status).toBe(200);
  const pdf = Buffer.from(await res.arrayBuffer());
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')![1]!;
  const sig = await auditor.fetch(`/api/reports/${res.headers.get('x-ketwin-report-sha256')}/signature`);
  expect(sig.status).toBe(200);
  pdfFile = join(root, name);
  await writeFile(pdfFile, pdf);
  // saved as the browser saves it: <report>.pdf.sig beside the report
  await writeFile(`${pdfFile}.sig`, Buffer.from(await sig.arrayBuffer()));
}, 60_000);
afterAll(async () => {
  await server?.close();
  process.env = saved;
  if (root) await rm(root, { recursive: true, force: true });
});

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    return { code: await main(argv), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('ketwin report verify', () => {
  it("verifies an exported report against this server's key, and refuses it after one byte is changed", async () => {
    const ok = await run('report', 'verify', pdfFile);
    expect(ok).toMatchObject({ code: 0, out: expect.stringMatching(/^report verified: .*signed by auditor at .* with key [0-9a-f]{16} \(this server's key\)$/) });
    const pdf = await readFile(pdfFile);
    const changed = Buffer.from(pdf);
    const middle = Math.floor(changed.length / 2);
    changed.writeUInt8(changed.readUInt8(middle) ^ 0x01, middle);
    const altered = join(root, 'altered.pdf');
    await writeFile(altered, changed);
    expect(await run('report', 'verify', altered, '--sig', `${pdfFile}.sig`)).toMatchObject({
      code: 1,
      out: `report NOT verified: ${altered}: the file does not match the signed SHA-256 (changed or another file)`,
    });
  });

  it('refuses a report signed by another key than the one trusted, and says what it proves without any trusted key', async () => {
    const other = await loadReportSigner(join(root, 'other-keys'));
    const otherKey = join(root, 'other.pem');
    await writeFile(otherKey, other.publicKey);
    expect(await run('report', 'verify', pdfFile, '--key', otherKey)).toMatchObject({ code: 1, out: expect.stringContaining(`not with the trusted key ${other.keyId}`) });
    // a re-signed report with a key of its own passes the file check only: without a trusted key it cannot say who signed
    const forged = join(root, 'forged.pdf');
    await writeFile(forged, await readFile(pdfFile));
    await writeFile(`${forged}.sig`, JSON.stringify(other.sign(await readFile(forged), { file: 'forged.pdf', signedBy: 'someone' })));
    expect((await run('report', 'verify', forged)).code).toBe(1); // this server's key did not sign it
    process.env.KETWIN_DATA = join(root, 'no-keys-here');
    try {
      expect(await run('report', 'verify', forged)).toMatchObject({ code: 0, out: expect.stringContaining('only the file against the key in its .sig is proven') });
    } finally {
      process.env.KETWIN_DATA = join(root, 'data');
    }
  });

  it('says which file it cannot read, and shows the usage for a malformed command', async () => {
    expect(await run('report', 'verify', join(root, 'missing.pdf'))).toMatchObject({ code: 2, err: expect.stringContaining('missing.pdf') });
    expect((await run('report', 'verify')).code).toBe(2);
    expect((await run('report', 'verify', pdfFile, '--sig')).err).toMatch(/usage: ketwin .*report verify FILE/);
  });
});
