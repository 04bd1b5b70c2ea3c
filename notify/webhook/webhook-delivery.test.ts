import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../db/index.ts';
import type { Alert } from '../../model/index.ts';
import { createNotifier, type Notifier } from '../notifier.ts';
import { capSchemaErrors } from '../testing/cap-schema.ts';
import { incidentAlert, plainAlarm, transitioned } from '../testing/fixtures.ts';
import { startReceiver, until, type Receiver } from '../testing/receiver.ts';

const env = { HOOK_A: 'secret-a', HOOK_B: 'secret-b' };
const fast = { baseMs: 20, maxMs: 80, maxAttempts: 50, timeoutMs: 1_000 };
let dir: string;
let store: Store;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ketwin-notify-'));
  store = await openStore({ dataDir: dir });
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function receiver(secret: string, mode: Receiver['mode'] = 'ok'): Promise<Receiver> {
  const r = await startReceiver(secret, mode);
  cleanups.push(() => r.close());
  return r;
}

function notifier(options: Partial<Parameters<typeof createNotifier>[0]>): Notifier {
  const n = createNotifier({ store, env, pollMs: 20, retry: fast, sender: 'ketwin@test', ...options });
  cleanups.push(() => n.stop());
  return n;
}

let serial = 0;
/** a fresh alert id per test, raised now (receivers check timestamps against the real clock) */
function fresh(base: Alert): Alert {
  const now = Date.now();
  return { ...base, id: `${base.id}#${++serial}`, raisedAt: now, changedAt: now, transition: { at: now, by: 'system:engine', action: 'raise' } };
}

describe('webhooks from the outbox', () => {
  it('delivers signed CAP and JSON with an idempotency key, and marks the outbox delivered', async () => {
    const a = await receiver('secret-a');
    const b = await receiver('secret-b');
    const n = notifier({
      subscribers: [
        { id: 'city', url: a.url, format: 'cap', secretEnv: 'HOOK_A' },
        { id: 'team', url: b.url, format: 'json', secretEnv: 'HOOK_B' },
      ],
    });
    await n.start();
    const alert = fresh(incidentAlert());
    await store.writeAlerts([alert]);
    await until(() => n.deliveryStatus().every((s) => s.delivered === 1), 5_000, 'both deliveries');
    const cap = a.received[0]!;
    expect(cap.signature).toEqual({ ok: true });
    expect(cap.headers['content-type']).toMatch(/^application\/cap\+xml/);
    expect(cap.key).toBe(`${alert.id}/active/${alert.changedAt}|city`);
    expect(await capSchemaErrors(cap.body)).toEqual([]);
    expect(cap.body).toContain('<msgType>Alert</msgType>');
    const json = JSON.parse(b.received[0]!.body) as { msgType: string; status: string; alert: Alert };
    expect(b.received[0]!.signature).toEqual({ ok: true });
    expect(json).toMatchObject({ msgType: 'Alert', status: 'Actual', alert: { id: alert.id } });
    expect(await store.claimOutbox(10, 0)).toEqual([]);
    expect(n.deliveryStatus().map((s) => [s.subscriber, s.delivered, s.pending])).toEqual([
      ['city', 1, 0],
      ['team', 1, 0],
    ]);
  });

  it('a receiver that fails and comes back gets everything once per key, in order', async () => {
    const a = await receiver('secret-a', 'fail');
    const n = notifier({ subscribers: [{ id: 'city', url: a.url, format: 'json', secretEnv: 'HOOK_A' }] });
    await n.start();
    const raised = fresh(incidentAlert());
    const spread = transitioned(raised, raised.changedAt + 1, { by: 'system:engine', action: 'update' });
    const out = transitioned(spread, raised.changedAt + 2, { by: 'system:engine', action: 'clear' }, { state: 'cleared' });
    await store.writeAlerts([raised]);
    await store.writeAlerts([spread]);
    await store.writeAlerts([out]);
    await until(() => a.received.length >= 4, 5_000, 'retries');
    expect(n.deliveryStatus()[0]).toMatchObject({ state: 'retrying', pending: 3, delivered: 0 });
    a.mode = 'ok';
    await until(() => n.deliveryStatus()[0]!.delivered === 3, 5_000, 'all three after recovery');
    const firsts = [...a.accepted].map((key) => JSON.parse(a.received.find((r) => r.key === key)!.body) as { msgType: string });
    expect(firsts.map((m) => m.msgType)).toEqual(['Alert', 'Update', 'Cancel']);
    // nothing lost, nothing accepted twice: one 2xx per idempotency key, every earlier try answered 503
    for (const key of a.accepted) expect(a.received.filter((r) => r.key === key && r.status === 204)).toHaveLength(1);
    expect(a.received.filter((r) => r.status === 503).length).toBeGreaterThanOrEqual(4);
    expect(a.received.every((r) => r.signature.ok)).toBe(true);
    expect(Number(a.received.at(-1)!.headers['x-ketwin-delivery-attempt'])).toBe(1);
    expect(n.deliveryStatus()[0]).toMatchObject({ state: 'idle', pending: 0, delivered: 3 });
  });

  it('dead-letters after the retry budget while the other subscribers carry on', async () => {
    const dead = await receiver('secret-a', 'fail');
    const fine = await receiver('secret-b');
    const n = notifier({
      retry: { ...fast, maxAttempts: 3 },
      subscribers: [
        { id: 'dead', url: dead.url, format: 'cap', secretEnv: 'HOOK_A' },
        { id: 'fine', url: fine.url, format: 'cap', secretEnv: 'HOOK_B' },
      ],
    });
    await n.start();
    const alarm = fresh(plainAlarm());
    await store.writeAlerts([alarm]);
    await until(() => n.deliveryStatus()[0]!.deadLetters.length === 1, 5_000, 'dead letter');
    expect(dead.received).toHaveLength(3);
    expect(fine.accepted.size).toBe(1);
    const status = n.deliveryStatus()[0]!;
    expect(status).toMatchObject({ subscriber: 'dead', state: 'dead-letters', pending: 0, lastError: 'HTTP 503' });
    expect(status.deadLetters[0]).toMatchObject({ alertId: alarm.id, attempts: 3 });
    dead.mode = 'ok';
    expect(n.retryDeadLetters('dead')).toBe(1);
    await until(() => n.deliveryStatus()[0]!.delivered === 1, 5_000, 'redelivery of the dead letter');
    expect(dead.accepted.size).toBe(1);
    expect(n.deliveryStatus()[0]!.deadLetters).toEqual([]);
  });

  it('a hanging subscriber times out without delaying the others', async () => {
    const slow = await receiver('secret-a', 'hang');
    const quick = await receiver('secret-b');
    const n = notifier({
      retry: { ...fast, timeoutMs: 3_000 },
      subscribers: [
        { id: 'slow', url: slow.url, format: 'cap', secretEnv: 'HOOK_A' },
        { id: 'quick', url: quick.url, format: 'json', secretEnv: 'HOOK_B' },
      ],
    });
    await n.start();
    await store.writeAlerts([fresh(incidentAlert())]);
    await store.writeAlerts([fresh(plainAlarm())]);
    await until(() => quick.accepted.size === 2, 1_500, 'the quick subscriber');
    expect(slow.received).toHaveLength(1);
    expect(n.deliveryStatus()[0]).toMatchObject({ subscriber: 'slow', pending: 2, delivered: 0 });
  });

  it('drills carry status Exercise and never reach live-only subscribers', async () => {
    const live = await receiver('secret-a');
    const drills = await receiver('secret-b');
    const desk = await receiver('secret-a');
    const n = notifier({
      subscribers: [
        { id: 'live', url: live.url, format: 'cap', secretEnv: 'HOOK_A', liveOnly: true },
        { id: 'drills', url: drills.url, format: 'cap', secretEnv: 'HOOK_B' },
        { id: 'desk', url: desk.url, format: 'json', secretEnv: 'HOOK_A' },
      ],
    });
    await n.start();
    await store.writeAlerts([fresh(incidentAlert({ exercise: true }))]);
    await until(() => drills.accepted.size === 1 && desk.accepted.size === 1, 5_000, 'the drill message');
    expect(drills.received[0]!.body).toContain('<status>Exercise</status>');
    // the JSON body says so too, and its subject begins with the exercise's mark in both languages
    const body = JSON.parse(desk.received[0]!.body) as { status: string; exercise: boolean; headline: { zh: string; en: string } };
    expect(body).toMatchObject({ status: 'Exercise', exercise: true });
    expect(body.headline.zh.startsWith('【演练】')).toBe(true);
    expect(body.headline.en.startsWith('[EXERCISE] ')).toBe(true);
    await store.writeAlerts([fresh(plainAlarm())]);
    await until(() => live.accepted.size === 1 && drills.accepted.size === 2, 5_000, 'the live alarm');
    expect(live.received).toHaveLength(1);
    expect(live.received[0]!.body).toContain('<status>Actual</status>');
  });

  it('keeps queued deliveries across a restart (journal under the data dir)', async () => {
    const a = await receiver('secret-a', 'fail');
    const dataDir = join(dir, 'restart');
    const subscribers = [{ id: 'city', url: a.url, format: 'cap' as const, secretEnv: 'HOOK_A' }];
    const first = createNotifier({ store, env, pollMs: 20, retry: fast, dataDir, subscribers });
    await first.start();
    await store.writeAlerts([fresh(incidentAlert())]);
    await until(() => a.received.length >= 2, 5_000, 'first attempts');
    await first.stop();
    expect(await store.claimOutbox(10, 0)).toEqual([]);
    a.mode = 'ok';
    const second = notifier({ dataDir, subscribers });
    await second.start();
    await until(() => second.deliveryStatus()[0]!.delivered === 1, 5_000, 'delivery after restart');
    expect(a.accepted.size).toBe(1);
    expect(second.deliveryStatus()[0]!.pending).toBe(0);
  });
});
