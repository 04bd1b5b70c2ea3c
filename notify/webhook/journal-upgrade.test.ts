/**
 * An upgrade keeps the deliveries an older version had queued: its journal was one JSON file,
 * <dataDir>/notify/journal.json (the state as JSON.stringify wrote it). The notifier reads it once,
 * moves it into the log of changes, and delivers what was pending.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../db/index.ts';
import { openFileJournal } from '../journal.ts';
import { createNotifier } from '../notifier.ts';
import { incidentAlert } from '../testing/fixtures.ts';
import { startReceiver, until } from '../testing/receiver.ts';

const env = { HOOK_A: 'secret-a' };
const retry = { baseMs: 20, maxMs: 80, maxAttempts: 50, timeoutMs: 1_000 };
let dir: string;
let store: Store;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ketwin-journal-upgrade-'));
  store = await openStore({ dataDir: dir });
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a journal.json of an older version', () => {
  it('is read once: its pending deliveries are delivered after the upgrade, and the file is gone', async () => {
    const receiver = await startReceiver('secret-a', 'fail');
    try {
      const dataDir = join(dir, 'data');
      const subscribers = [{ id: 'city', url: receiver.url, format: 'cap' as const, secretEnv: 'HOOK_A' }];
      const before = createNotifier({ store, env, pollMs: 20, retry, dataDir, subscribers, sender: 'ketwin@test' });
      await before.start();
      const now = Date.now();
      await store.writeAlerts([{ ...incidentAlert(), id: 'upgrade#1', raisedAt: now, changedAt: now, transition: { at: now, by: 'system:engine', action: 'raise' } }]);
      await until(() => receiver.received.length >= 2, 5_000, 'first attempts');
      await before.stop();
      // the data dir as the older version left it: the same state, as one JSON file
      const journal = await openFileJournal(join(dataDir, 'notify'));
      expect(journal.state.queues['city']).toHaveLength(1);
      const state = JSON.stringify(journal.state);
      await journal.close();
      await rm(join(dataDir, 'notify', 'journal'), { recursive: true });
      await writeFile(join(dataDir, 'notify', 'journal.json'), state);

      receiver.mode = 'ok';
      const after = createNotifier({ store, env, pollMs: 20, retry, dataDir, subscribers, sender: 'ketwin@test' });
      await after.start();
      await until(() => after.deliveryStatus()[0]!.delivered === 1, 5_000, 'the pending delivery');
      await after.stop();
      expect(receiver.accepted.size).toBe(1);
      expect(await readdir(join(dataDir, 'notify'))).toEqual(['journal']);
    } finally {
      await receiver.close();
    }
  });
});
