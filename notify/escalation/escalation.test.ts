import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../db/index.ts';
import type { Alert, EscalationPolicy } from '../../model/index.ts';
import { createManualClock, type ManualClock } from '../clock.ts';
import { createNotifier, type Notifier } from '../notifier.ts';
import { incidentAlert, plainAlarm, transitioned } from '../testing/fixtures.ts';
import { startReceiver, until, type Receiver } from '../testing/receiver.ts';

const MIN = 60_000;
const env = { HOOK: 'team-secret' };
let dir: string;
let store: Store;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ketwin-escalation-'));
  store = await openStore({ dataDir: dir });
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let sites = 0;
interface Teams {
  fire: Receiver;
  repair: Receiver;
  office: Receiver;
  platform: Receiver;
}

async function setUp(): Promise<{ clock: ManualClock; notifier: Notifier; teams: Teams; site: string }> {
  // the virtual clock starts at real time; receivers check timestamps against it
  const clock = createManualClock(Date.now());
  const teams = {} as Teams;
  for (const name of ['fire', 'repair', 'office', 'platform'] as const) {
    teams[name] = await startReceiver('team-secret', 'ok', clock.now);
    cleanups.push(() => teams[name].close());
  }
  const contact = (id: string, r: Receiver, role: 'fire' | 'repair' | 'civil-air-defence') => ({
    id,
    role,
    name: { zh: id, en: id },
    url: r.url,
    secretEnv: 'HOOK',
    format: 'json' as const,
    liveOnly: role === 'civil-air-defence',
  });
  const policy: EscalationPolicy = {
    regionCode: '330902',
    maxSeverity: 2,
    contacts: [contact('fire', teams.fire, 'fire'), contact('repair', teams.repair, 'repair'), contact('office', teams.office, 'civil-air-defence')],
    steps: [
      { afterMinutes: 0, notify: ['fire'] },
      { afterMinutes: 5, notify: ['repair'] },
      { afterMinutes: 15, notify: ['office'] },
    ],
  };
  const site = `site${++sites}`;
  const notifier = createNotifier({
    store,
    env,
    clock,
    sender: 'ketwin@test',
    sites: [{ id: site, name: { zh: '测试库', en: 'Test depot' }, location: { lat: 30, lon: 122 }, escalation: policy }],
    subscribers: [{ id: 'platform', url: teams.platform.url, format: 'json', secretEnv: 'HOOK', sites: [site] }],
  });
  cleanups.push(() => notifier.stop());
  return { clock, notifier, teams, site };
}

const msgTypes = (r: Receiver) => r.received.map((x) => (JSON.parse(x.body) as { msgType: string }).msgType);
const delivered = (n: Notifier, key: string) => n.deliveryStatus().find((s) => s.subscriber === key)?.delivered ?? 0;

function raise(site: string, at: number, overrides: Partial<Alert> = {}): Alert {
  return incidentAlert({ id: `${site}/tank-fire`, site, raisedAt: at, changedAt: at, transition: { at, by: 'system:engine', action: 'raise' }, ...overrides });
}

describe('escalation on virtual time', () => {
  it('tells step 0 at once, the next steps when nobody acknowledges within their minutes, and records it', async () => {
    const { clock, notifier, teams, site } = await setUp();
    const alert = raise(site, clock.now());
    await store.writeAlerts([alert]);
    await notifier.poll();
    await until(() => delivered(notifier, `${site}/fire`) === 1 && delivered(notifier, 'platform') === 1, 5_000, 'step 0 and the platform');
    expect(teams.repair.received).toHaveLength(0);

    await clock.advance(5 * MIN - 1);
    expect(teams.repair.received).toHaveLength(0);
    await clock.advance(1);
    await until(() => delivered(notifier, `${site}/repair`) === 1, 5_000, 'step 1');
    expect(msgTypes(teams.repair)).toEqual(['Alert']);
    expect(teams.office.received).toHaveLength(0);

    await clock.advance(10 * MIN);
    await until(() => delivered(notifier, `${site}/office`) === 1, 5_000, 'step 2');
    expect(teams.office.received.every((r) => r.signature.ok)).toBe(true);
    const audit = (await store.auditRecords()).filter((r) => r.subject === alert.id && r.action === 'alert.escalate');
    expect(audit.map((r) => r.details['step'])).toEqual([1, 2]);
    expect(audit[1]!.details['notified']).toEqual([`${site}/office`]);
    expect(notifier.escalations().find((e) => e.alertId === alert.id)).toMatchObject({ reached: 3, closed: false });

    // later transitions reach everyone told so far
    await store.writeAlerts([transitioned(alert, clock.now(), { by: 'system:engine', action: 'update' })]);
    await notifier.poll();
    await until(() => delivered(notifier, `${site}/office`) === 2 && delivered(notifier, `${site}/fire`) === 2, 5_000, 'the update');
    expect(msgTypes(teams.fire)).toEqual(['Alert', 'Update']);
  });

  it('an acknowledgement by a rescue member stops the escalation and is recorded', async () => {
    const { clock, notifier, teams, site } = await setUp();
    const alert = raise(site, clock.now());
    await store.writeAlerts([alert]);
    await notifier.poll();
    await until(() => delivered(notifier, `${site}/fire`) === 1, 5_000, 'step 0');
    await clock.advance(3 * MIN);
    const ack = transitioned(alert, clock.now(), { by: 'rescue-li', action: 'respond', status: 'en-route' }, { state: 'acknowledged' });
    await store.writeAlerts([ack]);
    await notifier.poll();
    await until(() => delivered(notifier, `${site}/fire`) === 2, 5_000, 'the acknowledgement update');
    await clock.advance(30 * MIN);
    expect(teams.repair.received).toHaveLength(0);
    expect(teams.office.received).toHaveLength(0);
    expect(msgTypes(teams.fire)).toEqual(['Alert', 'Update']);
    const stop = (await store.auditRecords()).filter((r) => r.subject === alert.id && r.action === 'escalation.stop');
    expect(stop).toHaveLength(1);
    expect(stop[0]).toMatchObject({ actor: 'rescue-li', site, details: { by: 'rescue-li', transition: 'respond', reachedSteps: 1 } });
  });

  it('clearing stops it too; alarms below the policy severity and system acknowledgements do not escalate', async () => {
    const { clock, notifier, teams, site } = await setUp();
    const minor = plainAlarm({ id: `${site}/minor`, site, severity: 3, raisedAt: clock.now(), changedAt: clock.now() });
    const alert = raise(site, clock.now());
    await store.writeAlerts([minor, alert]);
    await notifier.poll();
    await store.writeAlerts([transitioned(alert, clock.now() + 1, { by: 'system:engine', action: 'acknowledge' })]);
    await notifier.poll();
    await until(() => delivered(notifier, `${site}/fire`) === 2, 5_000, 'step 0 and the update');
    await clock.advance(5 * MIN);
    await until(() => delivered(notifier, `${site}/repair`) === 1, 5_000, 'step 1 despite a system acknowledgement');
    await store.writeAlerts([transitioned(alert, clock.now(), { by: 'system:engine', action: 'clear' }, { state: 'cleared' })]);
    await notifier.poll();
    await until(() => delivered(notifier, `${site}/repair`) === 2, 5_000, 'the cancel');
    await clock.advance(20 * MIN);
    expect(teams.office.received).toHaveLength(0);
    expect(msgTypes(teams.repair)).toEqual(['Update', 'Cancel']);
    expect(teams.platform.received.map((r) => (JSON.parse(r.body) as { alert: Alert }).alert.id)).not.toContain(minor.id);
  });

  it('a drill escalates too but never reaches the live-only office', async () => {
    const { clock, notifier, teams, site } = await setUp();
    await store.writeAlerts([raise(site, clock.now(), { exercise: true })]);
    await notifier.poll();
    await until(() => delivered(notifier, `${site}/fire`) === 1, 5_000, 'step 0 of the drill');
    await clock.advance(5 * MIN);
    await until(() => delivered(notifier, `${site}/repair`) === 1, 5_000, 'step 1 of the drill');
    await clock.advance(15 * MIN);
    expect(notifier.escalations()[0]).toMatchObject({ reached: 3, told: [`${site}/fire`, `${site}/repair`, `${site}/office`] });
    expect(teams.office.received).toHaveLength(0);
    expect((JSON.parse(teams.fire.received[0]!.body) as { status: string }).status).toBe('Exercise');
  });
});
