/**
 * Issue 26 item 5: `ketwin check` lists a major hazard unit without named responsible persons
 * (the design clause MEM-2021-BAOBAO-NAMED), and a named person who is no user of the site.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../main.ts';
import { createFileUserDirectory, createUser } from '../ui/server/index.ts';

let dir: string;
const saved = { ...process.env };
const standards = fileURLToPath(new URL('../standards', import.meta.url));
const demo = fileURLToPath(new URL('../sites/zhoushan-demo.yaml', import.meta.url));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ketwin-check-responsible-'));
  Object.assign(process.env, { KETWIN_DATA: dir, LOG_LEVEL: 'silent', KETWIN_STANDARDS: standards });
});
afterAll(async () => {
  process.env = saved;
  await rm(dir, { recursive: true, force: true });
});

async function check(file: string): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  try {
    return { code: await main(['check', file]), out: out.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** the demo site with D3 left out of the named responsibilities */
async function withoutD3(): Promise<string> {
  const text = (await readFile(demo, 'utf8')).replace(/^ {4}- \{ unit: D3,.*\n/m, '');
  expect(text).not.toContain('unit: D3');
  const file = join(dir, 'no-d3.yaml');
  await writeFile(file, text);
  return file;
}

describe('ketwin check: named responsible persons of each major hazard unit', () => {
  it('lists the major hazard unit that names nobody, and passes the units that do', async () => {
    const { code, out } = await check(await withoutD3());
    expect(code).toBe(1);
    expect(out).toMatch(/^FAIL {2}MEM-2021-BAOBAO-NAMED \[design\] D3: Named responsible persons of a major hazard unit/m);
    expect(out).toMatch(/^PASS {2}MEM-2021-BAOBAO-NAMED \[design\] D1:/m);
    expect(out).toMatch(/^PASS {2}MEM-2021-BAOBAO-NAMED \[design\] D2:/m);
    // no users file yet: the persons are not checked, and the check says so
    expect(out).toContain('the named responsible persons are not checked against users');
  });

  it('with a users file: a named person who is no user, or may not operate the site, is listed', async () => {
    const users = createFileUserDirectory(join(dir, 'users.json'));
    const password = 'a long enough password';
    await createUser(users, { name: 'manager', role: 'manager', sites: ['zhoushan-demo'], password });
    await createUser(users, { name: 'li.gong', role: 'auditor', sites: '*', password });
    await createUser(users, { name: 'zhao.ban', role: 'manager', sites: ['zhoushan-demo'], password });
    const { code, out } = await check(demo);
    expect(code).toBe(1);
    expect(out).toContain('FAIL  majorHazard.responsible D1 technical: user "li.gong" (auditor) may not operate site zhoushan-demo');
    expect(out).toContain('FAIL  majorHazard.responsible D2 operations: no user "qian.ban"');
    expect(out).not.toMatch(/responsible D1 (principal|operations)/);
  });

  it('a unit the site does not have is refused with the file and the field (exit 2)', async () => {
    const text = (await readFile(demo, 'utf8')).replace('{ unit: D3,', '{ unit: D9,');
    const file = join(dir, 'bad-unit.yaml');
    await writeFile(file, text);
    const { code, out } = await check(file);
    expect(code).toBe(2);
    expect(out).toContain(file);
    expect(out).toMatch(/majorHazard\.responsible\[2\]\.unit \(line \d+\): no dike or process unit "D9"/);
  });
});
