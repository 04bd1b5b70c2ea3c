import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../db/index.ts';
import type { Alert } from '../../model/index.ts';
import type { AlarmCommands } from './commands.ts';
import { createResponseLog } from './incident-responses.ts';

const ID = 'zhoushan-demo:hazard:tank-fire:T101:1000';
const fire: Alert = {
  id: ID,
  site: 'zhoushan-demo',
  kind: 'hazard-tank-fire',
  severity: 1,
  state: 'active',
  raisedAt: 1000,
  changedAt: 1000,
  subjects: ['T101'],
  message: { zh: '火灾', en: 'fire' },
  actions: [],
  standard: 'x@1.0.0',
  transition: { at: 1000, by: 'system:engine', action: 'raise' },
  incident: { hazard: 'tank-fire', zones: { type: 'FeatureCollection', features: [] }, affected: ['T101'], inventory: [], countdowns: [] },
};
const responded = (at: number, by: string, status: string): Alert => ({ ...fire, changedAt: at, transition: { at, by, action: 'respond', status } });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ketwin-responses-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the rescue teams' reports on an incident", () => {
  it('are read back from the stored transitions after a restart, newest first, with what was reported since', async () => {
    const before = await openStore({ dataDir: dir });
    await before.writeAlerts([
      fire,
      responded(2000, 'team-1', 'acknowledged'),
      responded(3000, 'team-1', 'en-route'),
      { ...fire, changedAt: 3500, transition: { at: 3500, by: 'system:engine', action: 'update' } },
    ]);
    await before.close();

    // the server starts again: nothing in memory, the store has the reports
    const store = await openStore({ dataDir: dir });
    try {
      const log = createResponseLog(store);
      expect(await log.of(ID)).toEqual([
        { status: 'en-route', by: 'team-1', at: 3000 },
        { status: 'acknowledged', by: 'team-1', at: 2000 },
      ]);
      // a report made now shows at once, before the writer has stored it, and once when it has
      const commands = { respond: () => responded(4000, 'team-2', 'on-scene') } as unknown as AlarmCommands;
      log.watch(commands).respond(ID, 'team-2', 'on-scene');
      expect((await log.of(ID)).map((r) => [r.by, r.status])).toEqual([
        ['team-2', 'on-scene'],
        ['team-1', 'en-route'],
        ['team-1', 'acknowledged'],
      ]);
      await store.writeAlerts([responded(4000, 'team-2', 'on-scene')]);
      expect(await log.of(ID)).toHaveLength(3);
    } finally {
      await store.close();
    }
  });
});
