/**
 * An exercise ends with the process that ran it (issue 24): ketwin stops while an exercise of the rim-seal fire
 * runs; started again on the same data, the exercise's alerts are not taken into the live twin, and each is
 * cleared, so that the CAP feed's last word on it is a Cancel, still marked Exercise; the exercise is kept to review, stopped.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { create } from 'xmlbuilder2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKetwin, type Ketwin } from '../main.ts';
import type { Exercise } from '../model/index.ts';
import { createMemoryUserDirectory, createUser, generatePassword, type SiteDetail, type UserDirectory } from '../ui/server/index.ts';
import { signIn } from '../ui/server/sign-in.ts';
import { eventually } from './system.ts';

const SITE = 'zhoushan-demo';
let root: string;
let users: UserDirectory;
const password = generatePassword();
const start = (): Promise<Ketwin> =>
  startKetwin({
    users,
    port: 0,
    host: '127.0.0.1',
    dataDir: join(root, 'data'),
    sitesDir: join(root, 'sites'),
    standardsDir: resolve('standards'),
    simulate: { ports: 'ephemeral' },
    logger: pino({ level: 'silent' }),
  });

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ketwin-exercise-restart-'));
  await mkdir(join(root, 'sites'));
  await writeFile(join(root, 'sites', `${SITE}.yaml`), await readFile(resolve(`sites/${SITE}.yaml`), 'utf8'));
  users = createMemoryUserDirectory();
  await createUser(users, { name: 'manager', role: 'manager', sites: [SITE], password });
  await createUser(users, { name: 'rescue', role: 'rescue', sites: [SITE], password });
});
afterAll(() => rm(root, { recursive: true, force: true }));

type Node = Record<string, unknown>;
const list = (v: unknown): Node[] => (v === undefined ? [] : Array.isArray(v) ? (v as Node[]) : [v as Node]);

/** the latest CAP message of each alert in the feed, by alert id */
async function feed(url: string): Promise<Map<string, Node>> {
  const rescue = await signIn(url, 'rescue', password);
  const doc = create(await (await rescue.fetch(`/cap/feed.xml?site=${SITE}`)).text());
  const alerts = doc.filter((n) => n.node.nodeName === 'alert', false, true).map((a) => (create(a.toString()).end({ format: 'object' }) as { alert: Node }).alert);
  const byId = new Map<string, Node>();
  for (const a of alerts) {
    const id = list(list(a['info'])[0]?.['parameter']).find((p) => p['valueName'] === 'ketwin:alertId')?.['value'];
    if (typeof id === 'string') byId.set(id, a);
  }
  return byId;
}

describe('an exercise across a restart', () => {
  it('is over: its alerts are cleared (CAP Cancel, Exercise) and never taken into the live twin', async () => {
    let ketwin = await start();
    let fire: string;
    try {
      const manager = await signIn(ketwin.url, 'manager', password);
      const res = await manager.fetch('/api/exercises', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ site: SITE, scenario: 'rim-seal-fire', speed: 60 }),
      });
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as Exercise;
      fire = await eventually('the exercise tank fire', async () => {
        const x = (await (await manager.fetch(`/api/exercises/${id}`)).json()) as Exercise;
        return x.alerts.find((a) => a.incident?.hazard === 'tank-fire')?.id;
      });
      const alert = await eventually('its CAP Alert in the feed', async () => (await feed(ketwin.url)).get(fire));
      expect(alert['status']).toBe('Exercise');
    } finally {
      await ketwin.close();
    }

    ketwin = await start();
    try {
      const manager = await signIn(ketwin.url, 'manager', password);
      const cancel = await eventually('the CAP Cancel of the exercise alert', async () => {
        const last = (await feed(ketwin.url)).get(fire);
        return last?.['msgType'] === 'Cancel' ? last : undefined;
      });
      expect(cancel['status']).toBe('Exercise');
      for (const info of list(cancel['info'])) expect(String(info['headline'])).toMatch(/^(【演练】解除：|\[EXERCISE\] All clear: )/);
      const site = (await (await manager.fetch(`/api/sites/${SITE}`)).json()) as SiteDetail;
      expect(site.alerts.filter((a) => a.exercise === true || a.id.includes(':exercise:'))).toEqual([]);
      // the exercise itself is kept to review: stopped by the restart, its alerts cleared
      const [kept] = (await (await manager.fetch('/api/exercises')).json()) as Exercise[];
      expect(kept).toMatchObject({ state: 'stopped', endedBy: 'system:exercise', scenario: 'rim-seal-fire' });
      expect(kept!.timeline.at(-1)).toMatchObject({ what: 'stop', text: 'exercise ended by a restart' });
      expect(kept!.alerts.find((a) => a.id === fire)!.state).toBe('cleared');
    } finally {
      await ketwin.close();
    }
  }, 120_000);
});
