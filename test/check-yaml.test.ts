/** Issue 18, finding 8: `ketwin check` names the file and the line of a bad YAML alias, in a site file and in a standard file. */
import { cp, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../main.ts';

let dir: string;
const saved = { ...process.env };
const standards = fileURLToPath(new URL('../standards', import.meta.url));
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ketwin-check-yaml-'));
  Object.assign(process.env, { KETWIN_DATA: dir, LOG_LEVEL: 'silent', KETWIN_STANDARDS: standards });
});
afterAll(async () => {
  process.env = saved;
  await rm(dir, { recursive: true, force: true });
});

async function check(...files: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    return { code: await main(['check', ...files]), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('ketwin check and bad YAML aliases', () => {
  it('a site file: exit 2, the file and the line of the alias', async () => {
    const file = join(dir, 'bad-site.yaml');
    await writeFile(file, 'id: bad-site\nname:\n  zh: 坏的\n  en: *missing\n');
    const { code, err } = await check(file);
    expect(code).toBe(2);
    expect(err).toContain(`${file}: invalid site definition`);
    expect(err).toMatch(/\(line 4\): Unresolved alias/);
  });

  it('a standard file: exit 2, the file and the line of the alias', async () => {
    const own = join(dir, 'standards');
    await cp(standards, own, { recursive: true });
    await mkdir(join(own, 'broken'), { recursive: true });
    const file = join(own, 'broken', '1.0.0.yaml');
    await writeFile(file, 'id: broken\nversion: 1.0.0\ntitle: *nowhere\nclauses: []\n');
    process.env['KETWIN_STANDARDS'] = own;
    try {
      const { code, err } = await check(fileURLToPath(new URL('../sites/zhoushan-demo.yaml', import.meta.url)));
      expect(code).toBe(2);
      expect(err).toContain(file);
      expect(err).toMatch(/line 3.*Unresolved alias|Unresolved alias.*line 3/);
    } finally {
      process.env['KETWIN_STANDARDS'] = standards;
    }
  });
});
