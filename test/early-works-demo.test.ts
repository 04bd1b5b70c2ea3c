// Issue 27 item 3: `ketwin start` while simulating runs the early-works district beside the depots — its 20 works
// as sites of their own, their sensors published on the shared Mosquitto (half Sparkplug B, half JSON) and the
// rainstorm warning from the simulated met office — through the same parts as the depot: scored, their readings
// live in the API. (test/start-stop runs the whole demo; this one the district beside one depot.)
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endSession, SHARED_BROKER_URL } from '../collector/mqtt/test-broker.ts';
import { startKetwin, type Ketwin } from '../main.ts';
import type { Sample } from '../model/index.ts';
import { createMemoryUserDirectory, createUser, generatePassword } from '../ui/server/index.ts';
import { signIn } from '../ui/server/sign-in.ts';
import { eventually } from './system.ts';

let root: string;
let ketwin: Ketwin;
const password = generatePassword();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ketwin-district-'));
  const sitesDir = join(root, 'sites');
  await mkdir(sitesDir);
  await writeFile(join(sitesDir, 'zhoushan-demo.yaml'), await readFile(resolve('sites/zhoushan-demo.yaml'), 'utf8'));
  const users = createMemoryUserDirectory();
  await createUser(users, { name: 'auditor', role: 'auditor', sites: '*', password });
  ketwin = await startKetwin({
    users,
    port: 0,
    host: '127.0.0.1',
    dataDir: join(root, 'data'),
    sitesDir,
    standardsDir: resolve('standards'),
    simulate: { ports: 'ephemeral', district: true },
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  });
}, 120_000);

afterAll(async () => {
  const sessions = (ketwin?.sites ?? []).flatMap((s) => s.sources.flatMap((source) => (source.protocol === 'mqtt' && source.clientId ? [source.clientId] : [])));
  await ketwin?.close();
  // the works' persistent sessions, named for this run's data directory, are not left on the shared broker
  for (const id of sessions) await endSession(SHARED_BROKER_URL, id).catch(() => undefined);
  await rm(root, { recursive: true, force: true });
});

describe('ketwin start with the early-works district', () => {
  it('runs the 20 works beside the depot: each scored under early-works-flood, its sensors read over MQTT and its warning over CAP', async () => {
    const works = ketwin.sites.filter((s) => s.standards.includes('early-works-flood'));
    expect(works).toHaveLength(20);
    expect(ketwin.sites.map((s) => s.id)).toContain('zhoushan-demo');
    const auditor = await signIn(ketwin.url, 'auditor', password);
    const listed = await eventually('every site scored', async () => {
      const sites = (await (await auditor.fetch('/api/sites')).json()) as { id: string; risk: string | null; standard?: string }[];
      return sites.length === 21 && sites.every((s) => s.risk !== null) ? sites : undefined;
    });
    expect(listed.filter((s) => s.id.startsWith('ew-jinshui-'))).toHaveLength(20);
    // W01 (a Sparkplug B node) and W02 (JSON devices): their sump readings and the warning level arrive good
    for (const [id, work] of [
      ['ew-jinshui-w01', 'W01'],
      ['ew-jinshui-w02', 'W02'],
    ]) {
      const values = await eventually(
        `${work}'s readings`,
        async () => {
          const detail = (await (await auditor.fetch(`/api/sites/${id}`)).json()) as { values: Record<string, Sample> };
          const v = detail.values;
          return [`${work}.water_level`, `${work}.occupied`, `${work}.rainstorm_level`].every((p) => v[p]?.quality === 'good') ? v : undefined;
        },
        60_000,
      );
      expect(values[`${work}.water_level`]!.value).toBeCloseTo(0.05, 5);
      expect(values[`${work}.rainstorm_level`]!.value).toBe(0);
      expect(values[`${work}.occupied`]).toMatchObject({ value: false, quality: 'good' });
    }
  }, 120_000);
});
