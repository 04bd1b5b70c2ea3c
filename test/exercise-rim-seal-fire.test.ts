// Issue 24 end to end: an exercise of the rim-seal-fire scenario on the demo depot while the live twin
// runs (simulated depot over real OPC-UA and Modbus, PGlite, notify/, the HTTP API): a rescue user answers
// through the API, CAP says Exercise, the live twin's risk and incidents stay as they were, the report's
// response times are those the answers were timed at, and the on-site drill clause passes on the report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import type { Alert, Exercise, ExerciseEntry, ExerciseReport } from '../model/index.ts';
import { verifyReport, type SiteDetail } from '../ui/server/index.ts';
import { apiAs } from './sign-in.ts';
import { eventually, startTestSystem, type TestSystem } from './system.ts';

const SITE = 'zhoushan-demo';
const MIN = 60_000;
/** half a minute of exercise time a second: margins of seconds around the required times on a busy machine */
const SPEED = 30;

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.stop();
});

type Client = Awaited<ReturnType<typeof apiAs>>;
const json = { 'content-type': 'application/json' };
const post = (client: Client, path: string, body: unknown) => client.fetch(path, { method: 'POST', headers: json, body: JSON.stringify(body) });
const getJson = async <T>(client: Client, path: string): Promise<T> => {
  const res = await client.fetch(path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
};

type Node = Record<string, unknown>;
const list = (v: unknown): Node[] => (v === undefined ? [] : Array.isArray(v) ? (v as Node[]) : [v as Node]);

describe('an exercise of the rim-seal fire on the live twin', () => {
  it('runs on a shadow twin, marked Exercise everywhere, timed against the standard, and files the drill as evidence', async () => {
    const manager = await apiAs(system, 'manager');
    const rescue = await apiAs(system, 'rescue');
    const auditor = await apiAs(system, 'auditor');
    await eventually('the live twin reads T101 over OPC-UA', async () => {
      const { values } = await getJson<SiteDetail>(manager, `/api/sites/${SITE}`);
      return values['T101.rim_seal_fire']?.quality === 'good' ? true : undefined;
    });
    const before = await getJson<SiteDetail>(manager, `/api/sites/${SITE}`);
    const onsiteDrill = (d: SiteDetail) => d.clauses.find((c) => c.id === 'ORDER40-21-ONSITE-DRILL')!.subjects[0]!;
    expect(onsiteDrill(before).verdict).toBe('fail'); // the demo's last on-site drill was in March: overdue

    // roles: the scenarios and the start are the office's and the manager's; the rescue team may not start one
    const scenarios = await getJson<{ name: string }[]>(manager, `/api/sites/${SITE}/exercise-scenarios`);
    expect(scenarios.map((s) => s.name)).toContain('rim-seal-fire');
    expect((await post(rescue, '/api/exercises', { site: SITE, scenario: 'rim-seal-fire' })).status).toBe(403);
    expect((await post(manager, '/api/exercises', { site: SITE, scenario: 'no-such-thing' })).status).toBe(400);
    const started = await post(manager, '/api/exercises', { site: SITE, scenario: 'rim-seal-fire', speed: SPEED });
    expect(started.status).toBe(201);
    const { id } = (await started.json()) as Exercise;
    const exercise = () => getJson<Exercise>(rescue, `/api/exercises/${id}`);

    // the shadow twin raises the tank fire, marked exercise, under an id no live alert has
    const fire = await eventually('the exercise tank fire', async () => (await exercise()).alerts.find((a) => a.incident?.hazard === 'tank-fire'));
    expect(fire.exercise).toBe(true);
    expect(fire.id).toMatch(new RegExp(`^${SITE}:exercise:${id}:hazard:tank-fire:T101:`));
    const alertedAt = (await exercise()).timeline.find((e) => e.what === 'alerted' && e.alert === fire.id)!.at;
    expect((await exercise()).timeline.find((e) => e.what === 'alerted')!.at).toBe(alertedAt); // the fire is its first alert

    // the rescue team answers on exercise time: each report once the exercise clock has passed its minute
    const answered = new Map<ExerciseReport, ExerciseEntry>();
    const answer = async (report: ExerciseReport, minute: number) => {
      await eventually(`exercise minute ${minute}`, async () => ((await exercise()).now >= alertedAt + minute * MIN ? true : undefined), 60_000);
      const res = await post(rescue, `/api/exercises/${id}/reports`, { alert: fire.id, report, comment: `${report} at about ${minute} min` });
      expect(res.status, report).toBe(201);
      answered.set(report, (await res.json()) as ExerciseEntry);
    };
    await answer('acknowledged', 0.5);
    await answer('en-route', 1);
    await answer('cooling-started', 2); // required within 5 min
    await answer('on-scene', 6); // trucks within 5 min (§12.5.5): late
    await answer('neighbour-cooling-started', 7); // within 10 min
    await answer('evacuation-confirmed', 9); // the crude tank burning full-surface raises the boilover incident: evacuate
    await answer('foam-applied', 12); // within 20 min
    expect((await post(rescue, `/api/exercises/${id}/reports`, { alert: `${SITE}:hazard:tank-fire:T101:1`, report: 'on-scene' })).status).toBe(404);
    expect((await post(rescue, `/api/exercises/${id}/comments`, { text: 'hydrant H3 slow to open' })).status).toBe(201);

    // CAP: the exercise's messages say Exercise, their headlines [EXERCISE]; the feed is the rescue team's
    const caps = await eventually('the exercise alert in the CAP feed', async () => {
      const res = await rescue.fetch(`/cap/feed.xml?site=${SITE}`);
      const doc = create(await res.text());
      const alerts = doc.filter((n) => n.node.nodeName === 'alert', false, true).map((a) => (create(a.toString()).end({ format: 'object' }) as { alert: Node }).alert);
      const mine = alerts.filter((a) => list(list(a['info'])[0]?.['parameter']).some((p) => p['valueName'] === 'ketwin:alertId' && p['value'] === fire.id));
      return mine.length > 0 ? mine : undefined;
    });
    for (const cap of caps) {
      expect(cap['status']).toBe('Exercise');
      for (const info of list(cap['info'])) expect(String(info['headline'])).toMatch(/^(【演练】|\[EXERCISE\] )/);
    }

    // the live twin goes on untouched: no fire, no exercise alert, the same live risk and open alerts
    const during = await getJson<SiteDetail>(manager, `/api/sites/${SITE}`);
    expect(during.alerts.filter((a: Alert) => a.incident?.hazard === 'tank-fire' || a.exercise === true)).toEqual([]);
    expect(during.alerts.map((a) => a.id).sort()).toEqual(before.alerts.map((a) => a.id).sort());
    expect(during.score?.risk).toBe(before.score?.risk);
    expect(during.values['T101.rim_seal_fire']?.value).toBe(false);
    const incidents = await getJson<{ id: string }[]>(rescue, '/api/incidents');
    expect(incidents.filter((i) => i.id.includes(':exercise:'))).toEqual([]);

    // the rescue team may not end it; the manager completes it
    expect((await post(rescue, `/api/exercises/${id}/complete`, {})).status).toBe(403);
    const done = await post(manager, `/api/exercises/${id}/complete`, { comment: 'cooling quick, trucks late through gate 2' });
    expect(done.status).toBe(200);
    const completed = (await done.json()) as Exercise;
    expect(completed.state).toBe('completed');
    expect(completed.alerts.every((a) => a.state === 'cleared' && a.exercise === true)).toBe(true);
    expect((await post(rescue, `/api/exercises/${id}/reports`, { alert: fire.id, report: 'foam-applied' })).status).toBe(409);

    // each response time is the minutes from the first alert to when it was answered, against the standard's time and source
    const timing = (report: ExerciseReport) => completed.timings.find((t) => t.report === report)!;
    for (const [report, entry] of answered) {
      expect(timing(report).at, report).toBe(entry.at);
      expect(timing(report).minutes, report).toBe(Math.round(((entry.at - alertedAt) / MIN) * 100) / 100);
      expect(timing(report).by).toBe('rescue');
    }
    expect(timing('cooling-started')).toMatchObject({ outcome: 'met', requirement: { minutes: 5, clause: 'GB50074-12.5.4-RESPONSE-DRILL', param: 'coolingMinutes' } });
    expect(timing('cooling-started').requirement!.source).toMatch(/GB 50074-2014 §12\.5\.4/);
    expect(timing('neighbour-cooling-started')).toMatchObject({ outcome: 'met', requirement: { minutes: 10 } });
    expect(timing('foam-applied')).toMatchObject({ outcome: 'met', requirement: { minutes: 20 } });
    expect(timing('on-scene')).toMatchObject({ outcome: 'late', requirement: { minutes: 5, clause: 'GB50074-12.5.5-TRUCK-TIME' } });
    expect(timing('acknowledged').outcome).toBe('recorded');
    expect(completed.alerts.some((a) => a.incident?.hazard === 'boilover')).toBe(true);
    expect(timing('evacuation-confirmed')).toMatchObject({ outcome: 'recorded' }); // the standard sets no time for it
    expect(completed.timings.map((t) => t.report)).not.toContain('dike-drain-closed'); // nothing in a dike: not asked
    expect(completed.timings.filter((t) => t.outcome === 'missed')).toEqual([]);
    expect(completed.parties).toEqual([
      { by: 'rescue', minutes: { acknowledged: timing('acknowledged').minutes, 'en-route': timing('en-route').minutes, 'on-scene': timing('on-scene').minutes } },
    ]);
    expect(completed.comments).toEqual(['rescue: hydrant H3 slow to open', 'cooling quick, trucks late through gate 2']);

    // the signed report: the same signing as the monthly report (report verify), read by the office
    const pdf = await auditor.fetch(`/api/exercises/${id}/report.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    const sig = await (await auditor.fetch(`/api/exercises/${id}/report.pdf.sig`)).text();
    expect(verifyReport(bytes, sig)).toEqual({ ok: true });
    expect(pdf.headers.get('x-ketwin-report-sha256')).toBe(completed.report!.sha256);
    const tampered = bytes.slice();
    tampered[tampered.length - 10] = tampered.at(-10)! ^ 1;
    expect(verifyReport(tampered, sig).ok).toBe(false);

    // the drill filed as evidence: the on-site drill clause passes on the report, the joint-defence times too
    expect(completed.filed!.map((f) => f.clause).sort()).toEqual(['GB50074-12.5.4-RESPONSE-DRILL', 'ORDER40-21-ONSITE-DRILL', 'RF-EVACUATION-DRILL']);
    const after = await eventually('the on-site drill clause passing', async () => {
      const d = await getJson<SiteDetail>(manager, `/api/sites/${SITE}`);
      return onsiteDrill(d).verdict === 'pass' ? d : undefined;
    });
    expect(JSON.stringify(onsiteDrill(after).evidence)).toContain(completed.report!.sha256);
    const evidence = await getJson<{ kind: string; reference?: string; validUntil?: number; values?: Record<string, number>; passed?: boolean }[]>(
      manager,
      `/api/sites/${SITE}/evidence`,
    );
    const fireDrill = evidence.find((e) => e.kind === 'fire-response-drill' && e.reference?.includes(completed.report!.sha256))!;
    expect(fireDrill.values).toEqual({
      coolingMinutes: timing('cooling-started').minutes,
      neighbourCoolingMinutes: timing('neighbour-cooling-started').minutes,
      foamMinutes: timing('foam-applied').minutes,
    });
    expect(fireDrill.passed).not.toBe(false); // left out when passed
    const onsite = evidence.find((e) => e.kind === 'onsite-plan-drill' && e.reference?.includes(completed.report!.sha256))!;
    expect(onsite.passed).not.toBe(false);
    expect(onsite.validUntil! - Date.now()).toBeGreaterThan(180 * 86_400_000); // P6M from today

    // and the live twin, after it all, still as it was
    const end = await getJson<SiteDetail>(manager, `/api/sites/${SITE}`);
    expect(end.alerts.filter((a) => a.exercise === true || a.incident?.hazard === 'tank-fire')).toEqual([]);
  }, 180_000);
});
