/**
 * Issue 18, finding 3: `ketwin audit head` prints the newest row's seq and hash signed with the
 * site key; `ketwin audit verify --head FILE` refuses a forged head file and catches a truncated tail.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStore } from '../db/index.ts';
import { main } from '../main.ts';

let dataDir: string;
const saved = { ...process.env };
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ketwin-audit-cli-'));
  Object.assign(process.env, { KETWIN_DATA: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: '' });
  const store = await openStore({ dataDir });
  for (let i = 0; i < 6; i++) await store.appendAudit({ actor: 'li', action: 'acknowledge', subject: `a${i}` });
  await store.close();
});
afterAll(async () => {
  process.env = saved;
  await rm(dataDir, { recursive: true, force: true });
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

describe('ketwin audit head / verify --head', () => {
  it('as a user runs it, `ketwin audit head > head.json` writes nothing but the signed head (logs and notices go to stderr)', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'main.ts', 'audit', 'head'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...saved, KETWIN_DATA: dataDir, LOG_LEVEL: 'info', DATABASE_URL: '' },
    });
    expect(JSON.parse(stdout)).toMatchObject({ format: 'ketwin-audit-head/1' });
    expect(stderr).toMatch(/store open/); // the log lines are still there, on stderr
  }, 60_000);

  it('signs the head, verifies against it, refuses a forged head file and catches a truncated tail', async () => {
    const head = await run('audit', 'head');
    expect(head.code).toBe(0);
    const signed = JSON.parse(head.out) as { format: string; seq: number; hash: string; signature: { algorithm: string } };
    expect(signed).toMatchObject({ format: 'ketwin-audit-head/1', seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/), signature: { algorithm: 'Ed25519' } });
    const file = join(dataDir, 'head.json');
    await writeFile(file, head.out);
    expect(await run('audit', 'verify', '--head', file)).toMatchObject({ code: 0, out: expect.stringMatching(/intact: 6 rows.*matches the signed head/) });

    const forged = join(dataDir, 'forged.json');
    await writeFile(forged, JSON.stringify({ ...signed, seq: signed.seq - 2 }));
    await expect(run('audit', 'verify', '--head', forged)).rejects.toThrow(/signature does not hold/);

    // a superuser deletes the newest two rows behind the trigger
    const db = await PGlite.create(join(dataDir, 'pglite'));
    await db.exec(`ALTER TABLE audit_log DISABLE TRIGGER USER; DELETE FROM audit_log WHERE seq > ${signed.seq - 2}; ALTER TABLE audit_log ENABLE TRIGGER USER;`);
    await db.close();
    expect((await run('audit', 'verify')).code).toBe(0); // without the head nothing shows
    const caught = await run('audit', 'verify', '--head', file);
    expect(caught.code).toBe(1);
    expect(caught.err).toMatch(/the newest rows were deleted/);
  }, 60_000);
});
