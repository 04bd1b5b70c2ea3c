// Issue 16, "the truth during an incident": the rim-seal-fire, overfill and loss-of-comms scenarios on
// the simulated depot, read over real OPC-UA and Modbus by the collectors, through the engine, the
// store, notify/ and the UI server. At each phase the site's live risk must be the same on every
// surface — the API (site list and site detail), the manager's event stream, the CAP messages and
// JSON webhooks, the signed PDF export and the as-of view — and never look safer than the danger.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { create } from 'xmlbuilder2';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Alert, RiskColour, SiteScore } from '../model/index.ts';
import { startReceiver, type Receiver } from '../notify/testing/receiver.ts';
import { loadScenario, type Scenario } from '../sim/index.ts';
import { signIn, type SignedIn, type SiteDetail, type SiteSummary } from '../ui/server/index.ts';
import { openSse, type SseClient } from '../ui/server/testing/sse-client.ts';
import { apiAs } from './sign-in.ts';
import { eventually, startTestSystem, type TestSystem } from './system.ts';

const SITE = 'zhoushan-demo';
const RANK: Record<RiskColour, number> = { red: 3, orange: 2, yellow: 1, blue: 0 };
const run = promisify(execFile);

/** One running system with a CAP and a JSON webhook subscriber and the manager's event stream. */
interface Rig {
  system: TestSystem;
  cap: Receiver;
  json: Receiver;
  manager: SignedIn;
  /** every score the manager's event stream delivered, in order */
  streamed: SiteScore[];
  stream: SseClient;
  dir: string;
}

let rig: Rig | undefined;
afterEach(async () => {
  if (!rig) return;
  rig.stream.close();
  await rig.system.stop();
  await rig.cap.close();
  await rig.json.close();
  await rm(rig.dir, { recursive: true, force: true });
  rig = undefined;
});
afterAll(() => {
  delete process.env['KETWIN_HOOK_RISK_CAP'];
  delete process.env['KETWIN_HOOK_RISK_JSON'];
});

async function startRig(): Promise<Rig> {
  const secret = randomBytes(24).toString('hex');
  process.env['KETWIN_HOOK_RISK_CAP'] = secret;
  process.env['KETWIN_HOOK_RISK_JSON'] = secret;
  const [cap, json] = await Promise.all([startReceiver(secret), startReceiver(secret)]);
  const dir = await mkdtemp(join(tmpdir(), 'ketwin-live-risk-'));
  const subscribersFile = join(dir, 'subscribers.yaml');
  await writeFile(
    subscribersFile,
    'subscribers:\n' +
      `  - { id: city-fire-platform, url: "${cap.url}", format: cap, secretEnv: KETWIN_HOOK_RISK_CAP, sites: [${SITE}] }\n` +
      `  - { id: duty-desk, url: "${json.url}", format: json, secretEnv: KETWIN_HOOK_RISK_JSON, sites: [${SITE}] }\n`,
  );
  const system = await startTestSystem({ subscribersFile });
  const manager = await signIn(system.url, system.users['manager']!.name, system.users['manager']!.password);
  const stream = await openSse(`${system.url}/api/events?site=${SITE}`, { cookie: manager.cookie });
  const streamed: SiteScore[] = [];
  // the stream's snapshot and every score after it, read in the background for as long as the rig runs
  void (async () => {
    for (;;) {
      const event = await stream.next(600_000).catch(() => undefined);
      if (!event) return;
      if (event.event === 'snapshot') {
        const score = (event.data as SiteDetail).score;
        if (score) streamed.push(score);
      } else if (event.event === 'score') streamed.push(event.data as SiteScore);
    }
  })();
  return { system, cap, json, manager, streamed, stream, dir };
}

/** The live risk as the API tells it: the site list and the site page must agree. */
async function apiRisk(r: Rig): Promise<{ risk: RiskColour; reason: string; detail: SiteDetail }> {
  const [list, detail] = await Promise.all([
    (await r.manager.fetch('/api/sites')).json() as Promise<SiteSummary[]>,
    (await r.manager.fetch(`/api/sites/${SITE}`)).json() as Promise<SiteDetail>,
  ]);
  const row = list.find((s) => s.id === SITE)!;
  expect(row.risk).toBe(detail.score!.risk);
  expect(row.riskReason).toEqual(detail.score!.riskReason);
  return { risk: row.risk!, reason: row.riskReason!.en, detail };
}

/** Waits until the API, the stream and the as-of view show one state `wanted` accepts; then the signed PDF of that instant must say the same. */
async function everySurface(
  r: Rig,
  phase: string,
  wanted: (risk: RiskColour, reason: string) => boolean,
): Promise<{ risk: RiskColour; reason: string; at: number; detail: SiteDetail }> {
  // a site settles at its own pace (readings come back one by one, the score moves with them): the surfaces
  // are read until the API, the manager's stream and the store all show one state the phase wants
  const now = await eventually(
    `${phase}: the API, the event stream and the as-of view agreeing`,
    async () => {
      const a = await apiRisk(r);
      if (!wanted(a.risk, a.reason)) return undefined;
      const last = r.streamed.at(-1);
      if (!last || last.risk !== a.risk || last.riskReason.en !== a.reason) return undefined;
      const at = Date.now();
      const asOf = (await (await r.manager.fetch(`/api/sites/${SITE}/as-of?at=${at}`)).json()) as { score: SiteScore | null };
      return asOf.score?.risk === a.risk && asOf.score.riskReason.en === a.reason ? { ...a, at } : undefined;
    },
    60_000,
  );
  const at = now.at;
  const auditor = await apiAs(r.system, 'auditor');
  // the signed PDF of that instant says the same
  const pdf = await auditor.fetch(`/api/sites/${SITE}/report.pdf?at=${at}`);
  expect(pdf.status).toBe(200);
  const file = join(r.dir, `report-${Date.now()}.pdf`);
  await writeFile(file, new Uint8Array(await pdf.arrayBuffer()));
  const text = (await run('pdftotext', ['-layout', file, '-'])).stdout.replace(/\s+/g, ' ');
  const head = text.slice(text.indexOf('Live risk'), text.indexOf('Live risk') + 400);
  expect(head).toMatch(new RegExp(`^Live risk: (\\S+ / )?${now.risk.toUpperCase()}`));
  expect(head).toContain(now.reason.slice(0, 40));
  return now;
}

type Node = Record<string, unknown>;
const list = (v: unknown): Node[] => (v === undefined ? [] : Array.isArray(v) ? (v as Node[]) : [v as Node]);

/** Each CAP message the platform accepted, once: its alert id, msgType and the site risk it carried. */
function capMessages(r: Rig): { alertId: string; msgType: string; siteRisk: string; reason: string; condition: string }[] {
  const seen = new Set<string>();
  return r.cap.received
    .filter((m) => m.status === 204 && !seen.has(m.key) && seen.add(m.key))
    .map((m) => {
      const alert = (create(m.body).end({ format: 'object' }) as { alert: Node }).alert;
      const en = list(alert['info']).find((i) => i['language'] === 'en-US')!;
      const parameter = (name: string) => String(list(en['parameter']).find((p) => p['valueName'] === name)?.['value'] ?? '');
      return {
        alertId: parameter('ketwin:alertId'),
        msgType: String(alert['msgType']),
        siteRisk: parameter('ketwin:siteRisk'),
        reason: parameter('ketwin:siteRiskReason'),
        condition: parameter('ketwin:condition'),
      };
    });
}

/** Each JSON webhook body's alert, once. */
function webhookAlerts(r: Rig): Alert[] {
  const seen = new Set<string>();
  return r.json.received.filter((m) => m.status === 204 && !seen.has(m.key) && seen.add(m.key)).map((m) => (JSON.parse(m.body) as { alert: Alert }).alert);
}

/** The scenario with extra steps added. */
async function scenarioWith(name: string, extra: Scenario['steps']): Promise<Scenario> {
  const scenario = await loadScenario(name);
  return { ...scenario, steps: [...scenario.steps, ...extra].sort((a, b) => a.at - b.at) };
}

const fireRisk = (risk: RiskColour, reason: string) => risk === 'red' && reason.includes('Tank fire at T101');

describe('live risk on every surface', () => {
  it("rim-seal fire: blue before, red with its reason during (also while T101's level gauge is lost), the fire's red gone once it is out and awaiting close", async () => {
    rig = await startRig();
    const r = rig;
    await eventually('T101 detectors read over OPC-UA', async () => {
      const { detail } = await apiRisk(r);
      const ok = (p: string) => detail.values[p]?.quality === 'good' && detail.values[p]?.value === false;
      return ok('T101.flame') && ok('T101.rim_seal_fire') && detail.values['FWP1.level']?.quality === 'good' ? true : undefined;
    });
    const before = await everySurface(r, 'before the fire', (risk) => risk === 'blue');
    expect(before.reason).toMatch(/^compliance score/);

    // the fire as the scenario tells it, 20× faster; T101's level gauge fails in the middle of the full-surface fire
    const scenario = await scenarioWith('rim-seal-fire', [
      { at: 120, action: 'fail', point: 'T101.level' },
      { at: 240, action: 'release', point: 'T101.level' },
    ]);
    const playback = r.system.sims[0]!.play(scenario, { speed: 20 });

    const during = await everySurface(r, 'during the fire', fireRisk);
    expect(during.detail.score!.complianceRisk).toBe('blue'); // the score alone would have said blue: it is shown beside, never instead
    // the platforms are told the same colour and words with the fire's own messages
    const fireId = await eventually('the CAP Alert of the fire', () => capMessages(r).find((m) => m.msgType === 'Alert' && m.alertId.includes(':hazard:tank-fire:T101:'))?.alertId);
    const capFire = capMessages(r).filter((m) => m.alertId === fireId);
    expect(capFire[0]).toMatchObject({ siteRisk: 'red' });
    expect(capFire[0]!.reason).toContain('Tank fire at T101');
    const hooked = await eventually('the fire as a JSON webhook', () => webhookAlerts(r).find((a) => a.id === fireId));
    expect(hooked.siteRisk).toMatchObject({ risk: 'red' });

    // the level gauge goes bad in the middle of the fire: nothing looks safer
    await eventually('T101.level lost', async () => ((await apiRisk(r)).detail.values['T101.level']?.quality === 'bad' ? true : undefined), 30_000);
    const lost = await everySurface(r, 'the level gauge lost during the fire', fireRisk);
    expect(r.streamed.slice(r.streamed.findIndex((s) => s.risk === 'red')).every((s) => s.risk === 'red')).toBe(true);

    // the fire is out (300 s at 20× is 15 s); the incident waits out its delay-off, then awaits a person
    await playback.done;
    const awaiting = await eventually(
      'the fire incident awaiting close',
      async () => {
        const fire = (await apiRisk(r)).detail.alerts.find((a) => a.id === fireId);
        return fire?.lifecycle?.condition === 'returned' ? fire : undefined;
      },
      60_000,
    );
    expect(awaiting.lifecycle).toMatchObject({ closeRequired: true });
    expect(awaiting.incident!.countdowns).toEqual([]);
    const after = await everySurface(r, 'after the fire', (_risk, reason) => !reason.includes('Tank fire'));
    expect(await eventually('the CAP Update saying so', () => capMessages(r).find((m) => m.alertId === fireId && m.condition === 'cleared, awaiting close'))).toMatchObject({
      msgType: 'Update',
      siteRisk: after.risk,
    });

    // closing takes a person and a comment; then the platforms get the Cancel
    const refused = await r.manager.fetch(`/api/alerts/${encodeURIComponent(fireId)}/close`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ comment: ' ' }),
    });
    expect(refused.status).toBe(400);
    const closed = await r.manager.fetch(`/api/alerts/${encodeURIComponent(fireId)}/close`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ comment: 'fire out, foam blanket holding, T102 cooled' }),
    });
    expect(closed.status).toBe(200);
    expect(((await closed.json()) as Alert).state).toBe('cleared');
    await eventually('the CAP Cancel', () => capMessages(r).find((m) => m.alertId === fireId && m.msgType === 'Cancel'));

    // the as-of view tells each phase afterwards exactly as it was shown then
    for (const phase of [before, during, lost, after]) {
      const asOf = (await (await r.manager.fetch(`/api/sites/${SITE}/as-of?at=${phase.at}`)).json()) as { score: SiteScore };
      expect([asOf.score.risk, asOf.score.riskReason.en]).toEqual([phase.risk, phase.reason]);
    }
    // and the CSV export of the period holds every one of them, in order
    const csv = await (await apiAs(r.system, 'auditor')).fetch(`/api/sites/${SITE}/risk.csv?from=${before.at}&to=${Date.now()}`);
    const rows = (await csv.text())
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(','));
    const shown = rows.map((row) => row[3]);
    expect(shown[0]).toBe('blue');
    expect(rows.some((row) => row[3] === 'red' && row[4]!.includes('Tank fire at T101'))).toBe(true);
    expect(shown.at(-1)).toBe(after.risk);
  }, 180_000);

  it("overfill: red from the forecast, and held red while T201's level gauge is lost with high-high failing", async () => {
    rig = await startRig();
    const r = rig;
    await eventually('T201 level read over OPC-UA', async () => ((await apiRisk(r)).detail.values['T201.level']?.quality === 'good' ? true : undefined));
    await everySurface(r, 'before the overfill', (risk) => risk === 'blue');
    // in the live depot an hour passes in a minute: at 2.33 m/h T201 passes high-high about 45 s in
    r.system.sims[0]!.play(await loadScenario('tank-overfill'));
    const forecast = await everySurface(r, 'the overfill forecast', (risk, reason) => risk === 'red' && reason.includes('Overfill forecast at T201'));
    expect(forecast.reason).toContain('open incident');
    const hhOf = (detail: SiteDetail) => detail.clauses.find((c) => c.id === 'GB50074-15.1.2-HH')!.subjects.find((s) => s.subject === 'T201')!;
    await eventually('T201 high-high failing', async () => (hhOf((await apiRisk(r)).detail).verdict === 'fail' ? true : undefined), 120_000);
    // then its level gauge fails while the tank is still over high-high
    r.system.sims[0]!.play({ ...(await loadScenario('tank-overfill')), steps: [{ at: 0, action: 'fail', point: 'T201.level' }] });
    await eventually('T201.level lost', async () => ((await apiRisk(r)).detail.values['T201.level']?.quality === 'bad' ? true : undefined), 30_000);
    const lost = await everySurface(r, 'the level gauge lost', (risk) => risk === 'red');
    // high-high had failed before the gauge was lost: compliance itself holds red, not only the incident
    expect(lost.detail.score!.complianceRisk).toBe('red');
    const hh = hhOf(lost.detail);
    expect(hh.verdict).toBe('unknown');
    expect(hh.reason?.en).toContain('T201.level is bad');
    expect(r.streamed.slice(r.streamed.findIndex((s) => s.risk === 'red')).every((s) => s.risk === 'red')).toBe(true);
  }, 180_000);

  it('loss of comms: a source serving safety-critical points lost raises the risk with its reason, and it falls back when the source returns', async () => {
    rig = await startRig();
    const r = rig;
    await eventually('the RTU read over Modbus', async () => ((await apiRisk(r)).detail.values['FWP1.level']?.quality === 'good' ? true : undefined));
    const before = await everySurface(r, 'before the RTU drops', (risk) => risk === 'blue');
    await r.system.sims[0]!.dropSource('rtu-fire');
    const lost = await everySurface(r, 'the RTU lost', (risk, reason) => RANK[risk] >= RANK.orange && reason.includes('communications lost with rtu-fire'));
    expect(RANK[lost.risk]).toBeGreaterThan(RANK[before.risk]);
    const alarm = lost.detail.alerts.find((a) => a.kind === 'comms-loss')!;
    expect(alarm.siteRisk?.risk).toBe(lost.risk);
    await r.system.sims[0]!.restoreSource('rtu-fire');
    await everySurface(r, 'the RTU back', (risk, reason) => risk === 'blue' && !reason.includes('communications lost'));
  }, 180_000);
});
