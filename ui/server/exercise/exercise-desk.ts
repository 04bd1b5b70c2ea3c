/**
 * The exercises of the sites this server runs: each a shadow twin (engine/exercise) started from the live
 * twin's state and a scenario, run on exercise time; its alerts published marked exercise (so notify/
 * issues CAP with status Exercise and the webhooks say so); the reports of the people taking part, timed
 * against the standard; at completion a signed report and the drill filed as evidence.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createShadowTwin, type InjectedSamples, type ShadowTwin } from '../../../engine/index.ts';
import { isResponseStatus, type Alert, type Bilingual, type Exercise, type ExerciseEntry, type ExerciseReport, type ExerciseState, type Site } from '../../../model/index.ts';
import type { Standard } from '../../../standards/index.ts';
import { runCommand } from '../commands.ts';
import { ClientError } from '../errors.ts';
import type { LiveTwin } from '../live-twin.ts';
import type { AuditSink, InspectionLog } from '../ports.ts';
import { findCjkFont, type ReportFont } from '../report/fonts.ts';
import type { ReportSignature, ReportSigner } from '../report/signing.ts';
import { drillRecords } from './exercise-evidence.ts';
import { renderExercisePdf } from './exercise-pdf.ts';
import { exerciseRequirements, expectedReports } from './exercise-requirements.ts';
import { exerciseParties, exerciseTimings } from './exercise-timing.ts';

/** The scenarios an exercise can play (sim/'s files; main.ts implements it). */
export interface ScenarioLibrary {
  /** those that play on the site */
  list(site: Site): Promise<{ name: string; title: Bilingual }[]>;
  /** a scenario's readings for the site with timeline 0 at `start`, in order; undefined when there is no such scenario for the site */
  open(site: Site, name: string, start: number): Promise<{ title: Bilingual; injected: Iterator<InjectedSamples> } | undefined>;
}

export interface ExerciseDeskOptions {
  live: LiveTwin;
  /** the loaded standards (the site's is the one its live twin is scored against) */
  standards: readonly Standard[];
  scenarios: ScenarioLibrary;
  /** each version of an exercise alert: main.ts stores it with its outbox row, so that notify/ tells the teams (marked Exercise) */
  publish: (alert: Alert) => void;
  /** where completed drills are filed as evidence; without it nothing is filed and the report says so */
  inspections?: InspectionLog;
  /** the report signer of the monthly and site reports (report/signing.ts) */
  signer: () => Promise<ReportSigner>;
  /** where each completed exercise's PDF and .sig are kept; in memory only without it */
  reportDir?: string;
  fonts?: readonly ReportFont[];
  audit: AuditSink;
  /** real time */
  now: () => number;
  /** how often exercise time is moved on, real ms; default 250 */
  tickMs?: number;
  /** the exercises of earlier runs (loadPastExercises of reportDir): listed, read and their reports served, never run again */
  past?: readonly Exercise[];
  logger?: Logger;
}

export interface ExerciseStart {
  site: string;
  scenario: string;
  /** 1 (real time, default) to 60 (a minute a second, a table-top run) */
  speed: number;
  by: string;
}

export interface ExerciseDesk {
  scenarios(site: string): Promise<{ name: string; title: Bilingual }[]>;
  start(input: ExerciseStart): Promise<Exercise>;
  list(): Exercise[];
  get(id: string): Exercise | undefined;
  /** a participant reports progress or a required action on one of the exercise's alerts; the entry as timed */
  report(id: string, input: { alert: string; report: ExerciseReport; by: string; comment?: string }): ExerciseEntry;
  comment(id: string, by: string, text: string): ExerciseEntry;
  /** calls the exercise off: its alerts are cleared, nothing is filed */
  stop(id: string, by: string, comment?: string): Exercise;
  /** ends it as done: its alerts cleared, the report signed and kept, the drill filed as evidence */
  complete(id: string, by: string, comment?: string): Promise<Exercise>;
  /** a completed exercise's signed report (this run's, or one kept in reportDir) */
  reportFile(id: string): Promise<{ pdf: Buffer; signature: ReportSignature } | undefined>;
  close(): void;
}

interface Running {
  view: Omit<Exercise, 'alerts' | 'timings' | 'parties' | 'now'>;
  shadow: ShadowTwin;
  standard: Standard | undefined;
  alerts: Map<string, Alert>;
  file?: { pdf: Buffer; signature: ReportSignature };
}

const SYSTEM = 'system:exercise';
const RESTARTED = 'exercise ended by a restart';

/**
 * The exercises an earlier run kept in `dir` (each `<id>.json`, written as it changed). One that was running
 * when that run ended is over: it is stopped, as of the last instant it was seen, and kept so. A file
 * that cannot be read is left out, with an error in the log naming it.
 */
export async function loadPastExercises(dir: string, logger?: Logger): Promise<Exercise[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /^x[a-z0-9]+\.json$/.test(n));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: Exercise[] = [];
  for (const name of names) {
    let x: Exercise;
    try {
      x = JSON.parse(await readFile(join(dir, name), 'utf8')) as Exercise;
    } catch (error) {
      // a damaged record is no reason not to start: the exercise's audit entries and report remain
      logger?.error({ err: error, file: join(dir, name) }, 'an exercise kept on disk cannot be read; left out');
      continue;
    }
    if (x.state === 'running') {
      x.state = 'stopped';
      x.endedAt = x.now;
      x.endedBy = SYSTEM;
      x.timeline.push({ at: x.now, by: SYSTEM, what: 'stop', text: RESTARTED });
      x.alerts = x.alerts.map((a) => (a.state === 'cleared' ? a : endedExerciseAlert(a, x.now, SYSTEM, RESTARTED)));
      await writeFile(join(dir, name), JSON.stringify(x));
    }
    out.push(x);
  }
  return out.sort((a, b) => b.startedAt - a.startedAt);
}

/** An exercise alert's last version when its exercise ends: cleared, so that notify/ tells every team it is over (a CAP Cancel, marked Exercise) and stops escalating. */
export function endedExerciseAlert(alert: Alert, at: number, by: string, why: string): Alert {
  return { ...alert, state: 'cleared', changedAt: at, transition: { at, by, action: 'clear', comment: why } };
}
const MAX_EXERCISES = 200;

export function createExerciseDesk(options: ExerciseDeskOptions): ExerciseDesk {
  const { live, audit, now } = options;
  const exercises = new Map<string, Running>();
  const past = new Map((options.past ?? []).map((x) => [x.id, x]));
  let timer: NodeJS.Timeout | undefined;
  let saving: Promise<unknown> = Promise.resolve();

  const standardOf = (site: Site): Standard | undefined =>
    live.standard?.(site.id) ?? options.standards.find((s) => s.key === live.clauses(site.id)[0]?.standard) ?? options.standards.find((s) => site.standards.includes(s.id));
  const siteOf = (id: string): Site => {
    const site = live.sites().find((s) => s.id === id);
    if (!site) throw new ClientError(404, 'not-found', `unknown site ${JSON.stringify(id)}`);
    return site;
  };
  const find = (id: string): Running => {
    const found = exercises.get(id);
    const earlier = past.get(id);
    if (!found && earlier) throw new ClientError(409, 'conflict', `exercise ${id} is ${earlier.state}, not running`);
    if (!found) throw new ClientError(404, 'not-found', `no exercise ${JSON.stringify(id)}`);
    return found;
  };
  const running = (id: string): Running => {
    const found = find(id);
    if (found.view.state !== 'running') throw new ClientError(409, 'conflict', `exercise ${id} is ${found.view.state}, not running`);
    return found;
  };
  /** exercise time now: its start plus real time since, times its speed */
  const exerciseNow = (x: Running) => x.view.startedAt + (now() - x.view.startedAt) * x.view.speed;
  const advance = (x: Running) => {
    if (x.view.state === 'running') x.shadow.advanceTo(exerciseNow(x));
  };
  const tick = () => {
    for (const x of exercises.values()) {
      try {
        advance(x);
      } catch (error) {
        options.logger?.error({ err: error, exercise: x.view.id }, 'exercise could not move on');
      }
    }
  };
  const ensureTicking = () => {
    if (timer) return;
    timer = setInterval(tick, options.tickMs ?? 250);
    timer.unref();
  };

  const view = (x: Running): Exercise => {
    const alerts = [...x.alerts.values()];
    const timings = exerciseTimings(x.view.timeline, expectedReports(alerts), exerciseRequirements(x.standard));
    return { ...x.view, now: x.view.state === 'running' ? x.shadow.now() : (x.view.endedAt ?? x.shadow.now()), alerts, timings, parties: exerciseParties(x.view.timeline) };
  };

  /** keeps the exercise as it stands in reportDir, so that a later run lists it (one write at a time, in order) */
  const save = (x: Running) => {
    if (!options.reportDir) return;
    const dir = options.reportDir;
    const text = JSON.stringify(view(x));
    saving = saving
      .then(async () => {
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, `${x.view.id}.json`), text);
      })
      .catch((error: unknown) => options.logger?.error({ err: error, exercise: x.view.id }, 'exercise not kept on disk'));
  };

  /** the end of an exercise: each of its alerts still standing is cleared, so every team is told the exercise is over (CAP Cancel) */
  const end = (x: Running, state: Exclude<ExerciseState, 'running'>, by: string, comment: string | undefined) => {
    advance(x);
    const at = x.shadow.now();
    for (const alert of x.alerts.values()) {
      if (alert.state === 'cleared') continue;
      const cleared = endedExerciseAlert(alert, at, by, `exercise ${state}`);
      x.alerts.set(alert.id, cleared);
      options.publish(cleared);
    }
    x.view.timeline.push({ at, by, what: state === 'completed' ? 'complete' : 'stop', ...(comment ? { text: comment } : {}) });
    if (comment) x.view.comments.push(comment);
    x.view.state = state;
    x.view.endedAt = at;
    x.view.endedBy = by;
    x.shadow.dispose();
  };

  return {
    async scenarios(siteId) {
      return options.scenarios.list(siteOf(siteId));
    },

    async start(input) {
      const site = siteOf(input.site);
      if (!Number.isFinite(input.speed) || input.speed < 1 || input.speed > 60) throw new ClientError(400, 'bad-request', 'body.speed: must be from 1 (real time) to 60');
      const startedAt = now();
      const opened = await options.scenarios.open(site, input.scenario, startedAt);
      if (!opened) throw new ClientError(400, 'bad-request', `body.scenario: no scenario ${JSON.stringify(input.scenario)} plays on site ${site.id}`);
      const snapshot = live.snapshot(site.id);
      if (!snapshot) throw new ClientError(404, 'not-found', `site ${site.id} has no live twin on this server`);
      const standard = standardOf(site);
      const id = `x${startedAt.toString(36)}${randomBytes(3).toString('hex')}`;
      const shadow = createShadowTwin({
        exerciseId: id,
        site,
        standards: standard ? [standard] : [...options.standards],
        start: startedAt,
        readings: Object.values(snapshot.values),
        openAlerts: snapshot.alerts.filter((a) => a.exercise !== true),
        injected: opened.injected,
        ...(options.logger ? { logger: options.logger.child({ exercise: id }) } : {}),
      });
      const x: Running = {
        view: {
          id,
          site: site.id,
          scenario: input.scenario,
          scenarioTitle: opened.title,
          state: 'running',
          startedAt,
          startedBy: input.by,
          speed: input.speed,
          timeline: [],
          comments: [],
        },
        shadow,
        standard,
        alerts: new Map(),
      };
      x.view.timeline.push({ at: startedAt, by: input.by, what: 'start', text: opened.title });
      shadow.alerts$.subscribe((alert) => {
        if (!x.alerts.has(alert.id)) x.view.timeline.push({ at: alert.raisedAt, by: SYSTEM, what: 'alerted', alert: alert.id, text: alert.message });
        x.alerts.set(alert.id, alert);
        options.publish(alert);
      });
      exercises.set(id, x);
      for (const old of exercises.keys()) {
        if (exercises.size <= MAX_EXERCISES) break;
        if (exercises.get(old)!.view.state !== 'running') exercises.delete(old);
      }
      audit({ actor: input.by, action: 'exercise.start', subject: id, site: site.id, details: { scenario: input.scenario, speed: input.speed, standard: standard?.key ?? null } });
      advance(x);
      ensureTicking();
      save(x);
      return view(x);
    },

    list: () => [...[...exercises.values()].map(view), ...[...past.values()].filter((x) => !exercises.has(x.id))].sort((a, b) => b.startedAt - a.startedAt),
    get(id) {
      const x = exercises.get(id);
      if (!x) return past.get(id);
      advance(x);
      return view(x);
    },

    report(id, input) {
      const x = running(id);
      advance(x);
      if (!x.alerts.has(input.alert)) throw new ClientError(404, 'not-found', `body.alert: exercise ${id} raised no alert ${JSON.stringify(input.alert)}`);
      if (isResponseStatus(input.report))
        x.alerts.set(
          input.alert,
          runCommand(() => x.shadow.respond(input.alert, input.by, input.report)),
        );
      const entry: ExerciseEntry = { at: x.shadow.now(), by: input.by, what: input.report, alert: input.alert, ...(input.comment ? { text: input.comment } : {}) };
      x.view.timeline.push(entry);
      audit({ actor: input.by, action: 'exercise.report', subject: id, site: x.view.site, details: { alert: input.alert, report: input.report, at: entry.at } });
      save(x);
      return entry;
    },

    comment(id, by, text) {
      const x = running(id);
      advance(x);
      const entry: ExerciseEntry = { at: x.shadow.now(), by, what: 'comment', text };
      x.view.timeline.push(entry);
      x.view.comments.push(`${by}: ${text}`);
      audit({ actor: by, action: 'exercise.comment', subject: id, site: x.view.site, details: { at: entry.at } });
      save(x);
      return entry;
    },

    stop(id, by, comment) {
      const x = running(id);
      end(x, 'stopped', by, comment);
      audit({ actor: by, action: 'exercise.stop', subject: id, site: x.view.site, details: { at: x.view.endedAt, comment: comment ?? null } });
      save(x);
      return view(x);
    },

    async complete(id, by, comment) {
      const x = running(id);
      end(x, 'completed', by, comment);
      const site = siteOf(x.view.site);
      const generatedAt = now();
      const timings = view(x).timings;
      const facts = { site: site.id, doneAt: generatedAt, by, timings, scenario: x.view.scenario, speed: x.view.speed };
      const planned = options.inspections ? drillRecords(x.standard, { ...facts, report: { file: '', sha256: '' } }) : [];
      x.view.filed = planned.map((p) => ({ kind: p.record.kind, clause: p.clause, validUntil: p.record.validUntil!, passed: p.record.passed !== false }));
      const signer = await options.signer();
      const font = await findCjkFont(options.fonts);
      const { pdf } = await renderExercisePdf(
        view(x),
        { siteName: site.name, generatedAt, generatedBy: by, standard: x.standard?.key ?? '—', keyId: signer.keyId },
        font,
        options.logger,
      );
      const file = `ketwin-exercise-${site.id}-${id}.pdf`;
      const signature = signer.sign(pdf, { file, signedBy: by, signedAt: generatedAt });
      x.file = { pdf, signature };
      x.view.report = { sha256: signature.sha256, file, keyId: signature.keyId };
      if (options.reportDir) {
        await mkdir(options.reportDir, { recursive: true });
        await writeFile(join(options.reportDir, file), pdf);
        await writeFile(join(options.reportDir, `${file}.sig`), `${JSON.stringify(signature, null, 2)}\n`);
      }
      for (const { record } of drillRecords(x.standard, { ...facts, report: { file, sha256: signature.sha256 } })) await options.inspections?.record(record);
      audit({
        actor: by,
        action: 'exercise.complete',
        subject: id,
        site: site.id,
        details: {
          at: x.view.endedAt,
          sha256: signature.sha256,
          keyId: signature.keyId,
          filed: x.view.filed,
          missed: timings.filter((t) => t.outcome === 'missed').map((t) => t.report),
        },
      });
      save(x);
      await saving;
      return view(x);
    },

    async reportFile(id) {
      const file = exercises.get(id)?.file;
      if (file) return file;
      const earlier = past.get(id)?.report;
      if (!earlier || !options.reportDir) return undefined;
      const [pdf, sig] = await Promise.all([readFile(join(options.reportDir, earlier.file)), readFile(join(options.reportDir, `${earlier.file}.sig`), 'utf8')]);
      return { pdf, signature: JSON.parse(sig) as ReportSignature };
    },

    close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      for (const x of exercises.values()) if (x.view.state === 'running') x.shadow.dispose();
    },
  };
}
