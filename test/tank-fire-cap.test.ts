// Issue 8 end to end: the rim-seal-fire scenario on the simulated depot, read over real OPC-UA by the
// collector, through the engine, db's outbox and notify/, to a real HTTP receiver on loopback and
// the CAP Atom feed: an Alert, Updates as the fire spreads, a Cancel when it is out.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'xmlbuilder2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capSchemaErrors } from '../notify/testing/cap-schema.ts';
import { startReceiver, type Receiver } from '../notify/testing/receiver.ts';
import { loadScenario } from '../sim/index.ts';
import type { SiteDetail } from '../ui/server/index.ts';
import { apiAs } from './sign-in.ts';
import { eventually, startTestSystem, type TestSystem } from './system.ts';

const SITE = 'zhoushan-demo';
const SECRET_ENV = 'KETWIN_HOOK_TANK_FIRE_TEST';
/** the 300 s timeline in 15 s; the simulator still scans every second, so each stage is seen */
const SPEED = 20;

/** What the test reads of a CAP 1.2 document. */
interface Cap {
  xml: string;
  identifier: string;
  sender: string;
  sent: string;
  status: string;
  msgType: string;
  /** identifiers of the messages referred to */
  references: string[];
  alertId: string;
  hazard: string;
  responseTypes: string[];
  description: string;
  areas: number;
}

type Node = Record<string, unknown>;
const list = (v: unknown): Node[] => (v === undefined ? [] : Array.isArray(v) ? (v as Node[]) : [v as Node]);

function parseCap(xml: string): Cap {
  const alert = (create(xml).end({ format: 'object' }) as { alert: Node }).alert;
  const en = list(alert['info']).find((i) => i['language'] === 'en-US')!;
  const parameter = (name: string) => String(list(en['parameter']).find((p) => p['valueName'] === name)?.['value'] ?? '');
  return {
    xml,
    identifier: String(alert['identifier']),
    sender: String(alert['sender']),
    sent: String(alert['sent']),
    status: String(alert['status']),
    msgType: String(alert['msgType']),
    references: alert['references']
      ? String(alert['references'])
          .split(' ')
          .map((r) => r.split(',')[1]!)
      : [],
    alertId: parameter('ketwin:alertId'),
    hazard: String((en['eventCode'] as Node)['value']),
    responseTypes: list(en['responseType']).map(String),
    description: String(en['description']),
    areas: list(en['area']).length,
  };
}

let system: TestSystem;
let receiver: Receiver;
let dir: string;

beforeAll(async () => {
  const secret = randomBytes(24).toString('hex');
  process.env[SECRET_ENV] = secret;
  receiver = await startReceiver(secret);
  dir = await mkdtemp(join(tmpdir(), 'ketwin-subscribers-'));
  const subscribersFile = join(dir, 'subscribers.yaml');
  await writeFile(subscribersFile, `subscribers:\n  - { id: city-fire-platform, url: "${receiver.url}", format: cap, secretEnv: ${SECRET_ENV}, sites: [${SITE}] }\n`);
  system = await startTestSystem({ subscribersFile });
});
afterAll(async () => {
  await system?.stop();
  await receiver?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  delete process.env[SECRET_ENV];
});

/** the tank-fire messages the receiver accepted, once each (deliveries are at-least-once), in the order received */
function fireMessages(): Cap[] {
  const seen = new Set<string>();
  return receiver.received
    .filter((r) => r.status === 204 && !seen.has(r.key) && seen.add(r.key))
    .map((r) => parseCap(r.body))
    .filter((c) => c.hazard === 'tank-fire');
}

async function feed(as: string, query = ''): Promise<{ status: number; caps: Cap[]; entries: { id: string; summary: string }[] }> {
  const res = await (await apiAs(system, as)).fetch(`/cap/feed.xml${query}`);
  if (res.status !== 200) return { status: res.status, caps: [], entries: [] };
  expect(res.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
  const xml = await res.text();
  const doc = create(xml);
  const caps = doc.filter((n) => n.node.nodeName === 'alert', false, true).map((a) => parseCap(a.toString()));
  const entries = list((doc.end({ format: 'object' }) as { feed: Node }).feed['entry']).map((e) => ({ id: String(e['id']), summary: String(e['summary']) }));
  return { status: res.status, caps, entries };
}

describe('a tank fire that spreads, to the rescue teams as CAP', () => {
  it('sends an Alert on the rim-seal fire, Updates as it spreads, an Update when it is out, a Cancel when it is closed — schema-valid, chained, signed, in the feed', async () => {
    const manager = await apiAs(system, 'manager');
    // the collector reads T101's seal and flame detectors, and no fire, before the lightning strikes
    await eventually('T101 detectors read over OPC-UA', async () => {
      const { values } = (await (await manager.fetch(`/api/sites/${SITE}`)).json()) as SiteDetail;
      const ok = (p: string) => values[p]?.quality === 'good' && values[p]?.value === false;
      return ok('T101.flame') && ok('T101.rim_seal_fire') ? true : undefined;
    });
    expect(fireMessages()).toEqual([]);
    const playback = system.sims[0]!.play(await loadScenario('rim-seal-fire'), { speed: SPEED });

    // the rim-seal fire: an Alert with the small zones along T101's shell, nobody else exposed
    const alert = await eventually('the CAP Alert', () => fireMessages()[0]);
    expect(alert.msgType).toBe('Alert');
    expect(alert.status).toBe('Actual');
    expect(alert.references).toEqual([]);
    expect(alert.description).toMatch(/^Crude tank 1: rim-seal fire — .*exposed neighbours: —/);
    expect(alert.areas).toBe(5); // the ring fire reaches every flux of the standard (37.5 … 1.6 kW/m²) within metres of the shell
    const alertId = alert.alertId;
    expect(alertId).toMatch(new RegExp(`^${SITE}:hazard:tank-fire:T101:\\d+$`));
    // the feed already carries it (the latest message of the alert, whichever that is by now)
    const early = await eventually('the alert in the CAP feed', async () => {
      const f = await feed('rescue');
      return f.caps.find((c) => c.alertId === alertId);
    });
    expect(fireMessages().map((m) => m.identifier)).toContain(early.identifier);

    // the fire spreads: full surface. The solid-flame model gives T102's shell 1–4.4 kW/m² (engine/hazards/pool-fire.test.ts),
    // below the 15 kW/m² of an atmospheric tank: T102 is not exposed and gets no cooling deadline (the point source said 24.6)
    const spread = await eventually('a CAP Update for the full-surface fire', () =>
      fireMessages().find((m) => m.msgType === 'Update' && m.description.includes('full-surface fire')),
    );
    expect(spread.description).toContain('exposed neighbours: —');
    expect(spread.description).toContain('37.5, 25 kW/m² not reached outside the flame');
    expect(spread.description).toMatch(/Affected: T101(\n|$)/m);
    expect(spread.description).not.toMatch(/Cool T102: /);
    expect(spread.areas).toBe(3); // the 12.5, 4 and 1.6 kW/m² zones, from the shell

    // the depot manager acknowledges while the brigade fights the fire (it also stops the escalation)
    const ack = await manager.fetch(`/api/alerts/${encodeURIComponent(alertId)}/ack`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ comment: 'brigade on scene, foam attack on T101, cooling T102' }),
    });
    expect(ack.status).toBe(200);
    await eventually('the acknowledgement as an Update', () => fireMessages().find((m) => m.description.includes('Acknowledged by manager')));

    // the foam attack succeeds: once out for the incident's delay-off it awaits closing (an Update saying so,
    // no countdowns), and only a person's close with a comment clears it: then the Cancel
    await playback.done;
    const cleared = await eventually(
      'the CAP Update: condition cleared, awaiting close',
      () => fireMessages().find((m) => m.description.includes('Condition cleared, awaiting close')),
      60_000,
    );
    expect(cleared.msgType).toBe('Update');
    expect(cleared.description).not.toMatch(/Cool T10[12]: /);
    expect(fireMessages().some((m) => m.msgType === 'Cancel')).toBe(false);
    const close = await manager.fetch(`/api/alerts/${encodeURIComponent(alertId)}/close`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ comment: 'fire out, foam blanket holding; T102 cooled' }),
    });
    expect(close.status).toBe(200);
    const cancel = await eventually('the CAP Cancel', () => fireMessages().find((m) => m.msgType === 'Cancel'), 30_000);
    expect(cancel.responseTypes).toEqual(['AllClear']);

    const messages = fireMessages();
    expect(messages.every((m) => m.alertId === alertId)).toBe(true); // one incident from start to end
    expect(messages[0]!.msgType).toBe('Alert');
    expect(messages.at(-1)).toEqual(cancel);
    expect(messages.slice(1, -1).map((m) => m.msgType)).toEqual(messages.slice(1, -1).map(() => 'Update'));
    expect(messages.length).toBeGreaterThanOrEqual(5); // Alert, full-surface Update, acknowledgement Update, awaiting-close Update, Cancel
    // rim-seal came before full-surface, and the fire never shrank on the way out
    const stages = messages.slice(0, -2).map((m) => (m.description.includes('full-surface fire') ? 'full' : 'rim'));
    expect(stages.indexOf('full')).toBeGreaterThan(stages.lastIndexOf('rim'));
    // GB/T 35965.1 identifiers, each new; each message refers to every one before it; one sender; time never runs back
    const ids = messages.map((m) => m.identifier);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^330902[0-9A-Z]{8}_\d{14}_\d+$/);
    messages.forEach((m, i) => expect(m.references, `references of message ${i} (${m.msgType})`).toEqual(ids.slice(0, i)));
    expect(new Set(messages.map((m) => m.sender)).size).toBe(1);
    const sent = messages.map((m) => Date.parse(m.sent));
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
    // every document valid against the OASIS CAP 1.2 schema, every delivery signed
    for (const m of messages) expect(await capSchemaErrors(m.xml), `${m.msgType} ${m.identifier}`).toEqual([]);
    expect(receiver.received.every((r) => r.signature.ok)).toBe(true);

    // the feed, signed in as the rescue team, now holds the Cancel for this alert (valid CAP too)
    const after = await eventually('the Cancel in the CAP feed', async () => {
      const f = await feed('rescue', `?site=${SITE}`);
      const entry = f.caps.find((c) => c.alertId === alertId);
      return entry?.msgType === 'Cancel' ? f : undefined;
    });
    const inFeed = after.caps.find((c) => c.alertId === alertId)!;
    expect(inFeed.identifier).toBe(cancel.identifier);
    expect(after.entries).toContainEqual({ id: `urn:cap:${cancel.identifier}`, summary: 'Cancel (Actual)' });
    expect(await capSchemaErrors(inFeed.xml)).toEqual([]);
    // and nobody reads it without signing in
    expect((await fetch(new URL('/cap/feed.xml', system.url))).status).toBe(401);
  }, 120_000);
});
