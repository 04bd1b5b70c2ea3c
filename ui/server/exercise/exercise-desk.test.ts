import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, createVirtualClock, feedSamples, type Engine } from '../../../engine/index.ts';
import { loadSite, type Alert, type Exercise, type Site } from '../../../model/index.ts';
import { loadScenario, scenarioSamples } from '../../../sim/index.ts';
import { addDuration, loadStandard, parseDuration, type Standard } from '../../../standards/index.ts';
import type { LiveTwin } from '../live-twin.ts';
import type { AuditEntry, InspectionRecord } from '../ports.ts';
import { loadReportSigner, verifyReport } from '../report/signing.ts';
import { createExerciseDesk, loadPastExercises, type ExerciseDesk, type ScenarioLibrary } from './exercise-desk.ts';

const T0 = 1_800_000_000_000;
const MIN = 60_000;
const SITE_FILE = new URL('../../../sites/zhoushan-demo.yaml', import.meta.url).pathname;
const STANDARD_FILE = new URL('../../../standards/oil-depot-above-ground/1.1.0.yaml', import.meta.url).pathname;

let site: Site;
let standard: Standard;
let live: Engine;
let dir: string;
beforeAll(async () => {
  [site, standard] = await Promise.all([loadSite(SITE_FILE), loadStandard(STANDARD_FILE)]);
  // the live twin: a quiet minute of the demo depot
  const clock = createVirtualClock(T0 - MIN);
  live = createEngine({ sites: [site], standards: [standard], scheduler: clock.scheduler });
  clock.settle();
  const quiet = await loadScenario('rim-seal-fire');
  feedSamples(
    live,
    clock,
    [...scenarioSamples(site, { ...quiet, steps: [{ at: 120, action: 'mains', available: true }] }, { start: T0 - MIN, untilMs: MIN })].flatMap((b) => b.samples),
  );
  dir = await mkdtemp(join(tmpdir(), 'ketwin-exercise-'));
});
afterAll(async () => {
  live?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** a desk over the live engine, on a clock the test moves; what it published, filed and audited */
function deskOf(options: { inspections?: boolean; past?: Exercise[] } = {}) {
  let t = T0;
  const published: Alert[] = [];
  const filed: InspectionRecord[] = [];
  const audited: AuditEntry[] = [];
  const twin: LiveTwin = { sites: () => [site], snapshot: (id) => live.snapshot(id), clauses: (id) => live.clauses(id), events$: live.events$, standard: () => standard };
  const scenarios: ScenarioLibrary = {
    list: async () => [{ name: 'rim-seal-fire', title: { zh: '火', en: 'fire' } }],
    async open(s, name, start) {
      if (name !== 'rim-seal-fire') return undefined;
      const scenario = await loadScenario(name);
      return { title: scenario.title, injected: scenarioSamples(s, scenario, { start, untilMs: 30 * MIN }) };
    },
  };
  const desk: ExerciseDesk = createExerciseDesk({
    live: twin,
    standards: [standard],
    scenarios,
    publish: (a) => published.push(a),
    ...(options.inspections === false ? {} : { inspections: { list: async () => filed, record: async (r) => void filed.push(r) } }),
    signer: () => loadReportSigner(join(dir, 'keys')),
    reportDir: join(dir, 'reports'),
    audit: (e) => audited.push(e),
    now: () => t,
    tickMs: 3_600_000,
    ...(options.past ? { past: options.past } : {}),
  });
  return { desk, published, filed, audited, wait: (realMs: number) => (t += realMs) };
}

describe('the exercise desk', () => {
  it('runs the scenario on exercise time, publishes only exercise alerts, times reports, and stops with every alert cleared and nothing filed', async () => {
    const { desk, published, filed, audited, wait } = deskOf();
    const liveBefore = live.snapshot(site.id)!;
    await expect(desk.start({ site: site.id, scenario: 'rim-seal-fire', speed: 61, by: 'manager' })).rejects.toThrow(/speed/);
    await expect(desk.start({ site: site.id, scenario: 'gas-leak', speed: 1, by: 'manager' })).rejects.toThrow(/no scenario "gas-leak"/);
    const x = await desk.start({ site: site.id, scenario: 'rim-seal-fire', speed: 60, by: 'manager' });
    expect(x.state).toBe('running');
    wait(2000); // two exercise minutes
    const running = desk.get(x.id)!;
    expect(running.now).toBe(T0 + 2 * MIN);
    const fire = running.alerts.find((a) => a.incident?.hazard === 'tank-fire')!;
    expect(fire.id.startsWith(`${site.id}:exercise:${x.id}:`)).toBe(true);
    expect(published.length).toBeGreaterThan(0);
    expect(published.every((a) => a.exercise === true && a.id.includes(`:exercise:${x.id}:`))).toBe(true);

    expect(() => desk.report(x.id, { alert: `${site.id}:hazard:tank-fire:T101:1`, report: 'on-scene', by: 'rescue' })).toThrow(/raised no alert/);
    wait(1000);
    const received = desk.report(x.id, { alert: fire.id, report: 'acknowledged', by: 'rescue' });
    expect(received.at).toBe(T0 + 3 * MIN);
    expect(published.at(-1)!.transition).toMatchObject({ action: 'respond', by: 'rescue', status: 'acknowledged' }); // a CAP Update for the teams
    wait(500);
    expect(desk.report(x.id, { alert: fire.id, report: 'cooling-started', by: 'rescue' }).at).toBe(T0 + 3.5 * MIN);
    const timing = desk.get(x.id)!.timings.find((t) => t.report === 'cooling-started')!;
    const alertedAt = desk.get(x.id)!.timeline.find((e) => e.what === 'alerted')!.at;
    expect(timing).toMatchObject({ outcome: 'met', minutes: Math.round(((T0 + 3.5 * MIN - alertedAt) / MIN) * 100) / 100 });

    const stopped = desk.stop(x.id, 'manager', 'called off: a real alarm at the gate');
    expect(stopped.state).toBe('stopped');
    expect(stopped.alerts.every((a) => a.state === 'cleared')).toBe(true);
    const last = new Map(published.map((a) => [a.id, a]));
    expect([...last.values()].every((a) => a.state === 'cleared' && a.exercise === true)).toBe(true); // every team told it is over (CAP Cancel)
    expect(() => desk.report(x.id, { alert: fire.id, report: 'foam-applied', by: 'rescue' })).toThrow(/stopped, not running/);
    await expect(desk.complete(x.id, 'manager')).rejects.toThrow(/stopped, not running/);
    expect(await desk.reportFile(x.id)).toBeUndefined();
    expect(filed).toEqual([]);
    expect(audited.map((a) => a.action)).toEqual(['exercise.start', 'exercise.report', 'exercise.report', 'exercise.stop']);
    expect(audited.every((a) => a.subject === x.id && a.site === site.id)).toBe(true);

    // the live twin never saw any of it
    const liveAfter = live.snapshot(site.id)!;
    expect(liveAfter.alerts).toEqual(liveBefore.alerts);
    expect(liveAfter.score).toEqual(liveBefore.score);
    desk.close();
  });

  it('completes with a signed report marked EXERCISE and files the drills for the clauses that ask for them, with their expiry', async () => {
    const { desk, filed, audited, wait } = deskOf();
    const x = await desk.start({ site: site.id, scenario: 'rim-seal-fire', speed: 60, by: 'auditor' });
    wait(1000);
    const fire = desk.get(x.id)!.alerts.find((a) => a.incident?.hazard === 'tank-fire')!;
    for (const [report, after] of [
      ['cooling-started', 3000],
      ['neighbour-cooling-started', 8000],
      ['foam-applied', 15000],
    ] as const) {
      wait(after - (desk.get(x.id)!.now - T0) / 60);
      desk.report(x.id, { alert: fire.id, report, by: 'fire-1' });
    }
    desk.comment(x.id, 'fire-1', 'foam line kinked at first');
    const done = await desk.complete(x.id, 'auditor', 'good cooling');
    expect(done.state).toBe('completed');
    // never reported: missed, and the on-site drill did not meet its goals
    expect(done.timings.filter((t) => t.outcome === 'missed').map((t) => t.report)).toEqual(expect.arrayContaining(['on-scene', 'evacuation-confirmed']));
    const kinds = Object.fromEntries(filed.map((r) => [r.kind, r]));
    expect(Object.keys(kinds).sort()).toEqual(['fire-response-drill', 'onsite-plan-drill']);
    expect(kinds['onsite-plan-drill']!.passed).toBe(false);
    expect(kinds['fire-response-drill']).toMatchObject({ passed: true, values: { coolingMinutes: expect.any(Number), foamMinutes: expect.any(Number) } });
    expect(kinds['fire-response-drill']!.values!['foamMinutes']).toBeLessThanOrEqual(20);
    const doneAt = kinds['onsite-plan-drill']!.doneAt;
    expect(kinds['onsite-plan-drill']!.validUntil).toBe(addDuration(doneAt, parseDuration('P6M')!)); // ORDER40-21-ONSITE-DRILL's period
    expect(kinds['fire-response-drill']!.validUntil).toBe(addDuration(doneAt, parseDuration('P1Y')!));
    expect(kinds['onsite-plan-drill']!.reference).toBe(`${done.report!.file} sha256:${done.report!.sha256}`);

    const file = (await desk.reportFile(x.id))!;
    expect(verifyReport(file.pdf, file.signature)).toEqual({ ok: true });
    expect(await readFile(join(dir, 'reports', done.report!.file))).toEqual(file.pdf);
    const text = await pdfText(file.pdf);
    expect(text).toContain('EXERCISE');
    expect(text).toMatch(/Missed: .*On scene/);
    expect(text).toContain('foam line kinked at first');
    expect(text).toContain('GB 50074-2014 §12.5.4(1)');
    expect(audited.at(-1)).toMatchObject({ action: 'exercise.complete', actor: 'auditor', details: { sha256: done.report!.sha256 } });
    desk.close();
  });

  it('keeps every exercise in its folder: a later run lists them, serves their reports, and ends one that was running', async () => {
    const { desk, wait } = deskOf();
    const x = await desk.start({ site: site.id, scenario: 'rim-seal-fire', speed: 60, by: 'manager' });
    wait(2000);
    desk.comment(x.id, 'manager', 'the power went before we finished');
    const kept = join(dir, 'reports', `${x.id}.json`);
    await expect.poll(async () => ((JSON.parse(await readFile(kept, 'utf8').catch(() => '{}')) as Exercise).timeline ?? []).length, { timeout: 5_000 }).toBeGreaterThan(2);
    desk.close(); // the process ends while it runs

    const earlier = await loadPastExercises(join(dir, 'reports'));
    expect(earlier.map((e) => e.state).sort()).toEqual(['completed', 'stopped', 'stopped']); // the two tests above, and this one
    const again = deskOf({ past: earlier }).desk;
    const ended = again.get(x.id)!;
    expect(ended).toMatchObject({ state: 'stopped', endedBy: 'system:exercise' });
    expect(ended.timeline.at(-1)).toMatchObject({ what: 'stop', text: 'exercise ended by a restart' });
    expect(ended.alerts.every((a) => a.state === 'cleared')).toBe(true);
    expect(() => again.report(x.id, { alert: ended.alerts[0]!.id, report: 'on-scene', by: 'rescue' })).toThrow(/stopped, not running/);
    const completed = again.list().find((e) => e.state === 'completed')!;
    const file = (await again.reportFile(completed.id))!;
    expect(file.signature.sha256).toBe(completed.report!.sha256);
    expect(verifyReport(file.pdf, file.signature)).toEqual({ ok: true });
    expect((await loadPastExercises(join(dir, 'reports'))).find((e) => e.id === x.id)!.state).toBe('stopped'); // kept so
    again.close();
  });
});

/** the PDF's text by poppler's pdftotext (poppler-utils, which the suite needs) */
async function pdfText(pdf: Buffer): Promise<string> {
  const file = join(dir, 'report.pdf');
  await writeFile(file, pdf);
  const { stdout } = await promisify(execFile)('pdftotext', ['-layout', file, '-']);
  return stdout;
}
