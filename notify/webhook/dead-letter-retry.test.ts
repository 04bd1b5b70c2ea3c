/** Issue 18, finding 6: dead letters retry themselves on a schedule with jitter, up to a limit, then stay dead with a reason. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../db/index.ts';
import type { Alert } from '../../model/index.ts';
import { createNotifier, type Notifier } from '../notifier.ts';
import { plainAlarm } from '../testing/fixtures.ts';
import { startReceiver, until, type Receiver } from '../testing/receiver.ts';
import { deadLetterWaitMs } from './retry.ts';

const env = { HOOK_A: 'secret-a' };
let dir: string;
let store: Store;
const cleanups: (() => Promise<unknown>)[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ketwin-dead-letters-'));
  store = await openStore({ dataDir: dir });
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let serial = 0;
function fresh(base: Alert): Alert {
  const now = Date.now();
  return { ...base, id: `${base.id}#dl${++serial}`, raisedAt: now, changedAt: now, transition: { at: now, by: 'system:engine', action: 'raise' } };
}
async function setUp(mode: Receiver['mode']): Promise<{ receiver: Receiver; n: Notifier }> {
  const receiver = await startReceiver('secret-a', mode);
  cleanups.push(() => receiver.close());
  const n = createNotifier({
    store,
    env,
    pollMs: 20,
    sender: 'ketwin@test',
    retry: { baseMs: 10, maxMs: 20, maxAttempts: 3, timeoutMs: 1_000 },
    deadLetters: { everyMs: 150, jitter: 0.2, maxRounds: 2 },
    subscribers: [{ id: 'team', url: receiver.url, format: 'json', secretEnv: 'HOOK_A' }],
  });
  cleanups.push(() => n.stop());
  await n.start();
  return { receiver, n };
}

describe('dead letters retry themselves', () => {
  it('the wait doubles each round and is spread by the jitter either way', () => {
    const policy = { everyMs: 1000, jitter: 0.2, maxRounds: 4 };
    expect([1, 2, 3].map((round) => deadLetterWaitMs(policy, round, 0.5))).toEqual([1000, 2000, 4000]);
    expect(deadLetterWaitMs(policy, 1, 0)).toBe(800);
    expect(deadLetterWaitMs(policy, 1, 0.999_999)).toBe(1200);
  });

  it('a subscriber that comes back gets a dead letter without anyone asking', async () => {
    const { receiver, n } = await setUp('fail');
    await store.writeAlerts([fresh(plainAlarm())]);
    await until(() => n.deliveryStatus()[0]!.deadLetters.length === 1, 5_000, 'the first death');
    const letter = n.deliveryStatus()[0]!.deadLetters[0]!;
    expect(letter.rounds).toBe(0);
    expect(letter.retryAt! - letter.deadAt).toBeGreaterThanOrEqual(120);
    expect(letter.retryAt! - letter.deadAt).toBeLessThanOrEqual(180);
    receiver.mode = 'ok';
    await until(() => n.deliveryStatus()[0]!.delivered === 1, 5_000, 'the automatic redelivery');
    expect(n.deliveryStatus()[0]).toMatchObject({ deadLetters: [], autoRetries: 1, state: 'idle' });
    expect(receiver.accepted.size).toBe(1);
  });

  it('after the last round a dead letter stays dead, with the reason', async () => {
    const { receiver, n } = await setUp('fail');
    await store.writeAlerts([fresh(plainAlarm())]);
    await until(() => n.deliveryStatus()[0]!.deadLetters[0]?.reason !== undefined, 10_000, 'the final death');
    const status = n.deliveryStatus()[0]!;
    expect(status.autoRetries).toBe(2);
    expect(status.deadLetters[0]).toMatchObject({
      rounds: 2,
      retryAt: undefined,
      reason: expect.stringMatching(/gave up after 2 automatic retries of 3 attempts each; last: HTTP 503/),
    });
    expect(receiver.received).toHaveLength(3 * 3);
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received).toHaveLength(9); // and nothing more
  });
});
