// The auditor's trust (issue 23, item 5): every demo site is recorded for 30 minutes of virtual time as the live
// path records it — the simulated depot's readings through the collector's stale watchdog and link heartbeat
// into the engine, readings, verdict changes, scores and alerts through the store writer into a real store
// (PGlite) — and then re-scored through GET /api/sites/:id/rescore. Under the version it was recorded with the
// re-score gives the record, verdict for verdict (a clause that had no result has none); under another version
// every difference carries what the changelog says of its clause.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinkHeartbeat, createStaleWatchdog } from '../collector/index.ts';
import { createStoreWriter, openStore, type Store } from '../db/index.ts';
import { createEngine, createVirtualClock, type VirtualClock } from '../engine/index.ts';
import { loadSite, type Sample, type Site } from '../model/index.ts';
import { scenarioSamples, type Scenario } from '../sim/index.ts';
import { loadStandards, type Standard } from '../standards/index.ts';
import { createRescorer, type Rescore } from '../ui/server/index.ts';
import { startSecuredServer, type SecuredServer } from '../ui/server/testing/secured-app.ts';

const root = new URL('..', import.meta.url).pathname;
const MINUTE = 60_000;
const RECORDED_MS = 30 * MINUTE;
/** 02:00 UTC: the half hour crosses no day (the online rate is judged per day) */
const T0 = Date.UTC(2026, 5, 1, 2, 0, 0);

let dir: string;
let store: Store;
let server: SecuredServer;
let sites: Site[];
let standards: Standard[];
/** the version each site was recorded under */
const recordedUnder = new Map<string, string>();

/** a repeating timer on the virtual clock, as setInterval */
function everyOn(clock: VirtualClock) {
  return (callback: () => void, ms: number) =>
    clock.scheduler.schedule(function (this: { schedule(state?: unknown, delay?: number): unknown }) {
      callback();
      this.schedule(undefined, ms);
    }, ms);
}

/** a working half hour: the first tank is filled from minute 10 to minute 20 (a transfer the gauges must follow; the depot lives in real time, so its level moves as its flow meter says) */
function workingHalfHour(site: Site): Scenario {
  const tank = site.assets.find((a) => a.kind === 'tank')!;
  return {
    name: 'working-half-hour',
    title: { zh: '作业半小时', en: 'A working half hour' },
    steps: [
      { at: 600, action: 'flow', tank: tank.id, m3h: 400 },
      { at: 1200, action: 'flow', tank: tank.id, m3h: 0 },
    ],
  };
}

/** 30 minutes of one site as main.ts records them, on virtual time */
async function record(site: Site): Promise<void> {
  const writer = createStoreWriter(store, { spillDir: join(dir, `spill-${site.id}`) });
  const clock = createVirtualClock(T0);
  const engine = createEngine({ sites: [site], standards, scheduler: clock.scheduler });
  recordedUnder.set(site.id, engine.clauses(site.id)[0]!.standard);
  const subscriptions = [engine.results$.subscribe((r) => writer.result(r)), engine.scores$.subscribe((s) => writer.score(s)), engine.alerts$.subscribe((a) => writer.alert(a))];
  const deliver = (sample: Sample) => {
    writer.sample(sample);
    engine.ingest(sample);
  };
  const timers = { now: () => clock.scheduler.now(), setInterval: everyOn(clock), clearInterval: (t: unknown) => (t as { unsubscribe(): void }).unsubscribe() };
  const heartbeat = createLinkHeartbeat({ site: site.id, sources: site.sources, sink: deliver, ...timers });
  const watchdog = createStaleWatchdog({ site: site.id, points: site.points, sink: heartbeat.sink, ...timers });
  clock.settle();
  for (const source of site.sources) watchdog.sink({ site: site.id, point: `${source.id}.online`, value: true, quality: 'good', ts: T0 });
  for (const { at, samples } of scenarioSamples(site, workingHalfHour(site), { start: T0, untilMs: RECORDED_MS, secondsPerTick: 1 })) {
    clock.advanceTo(T0 + at);
    for (const sample of samples) watchdog.sink(sample);
  }
  clock.advanceTo(T0 + RECORDED_MS + 1);
  heartbeat.stop();
  watchdog.stop();
  subscriptions.forEach((s) => s.unsubscribe());
  engine.dispose();
  await writer.close();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ketwin-rescore-record-'));
  const files = (await readdir(join(root, 'sites'))).filter((f) => f.endsWith('.yaml')).sort();
  sites = await Promise.all(files.map((f) => loadSite(join(root, 'sites', f))));
  standards = await loadStandards(join(root, 'standards'));
  store = await openStore({ dataDir: join(dir, 'data') });
  for (const site of sites) await record(site);
  server = await startSecuredServer(sites, { telemetry: store, verdicts: store, rescore: createRescorer(standards) });
}, 300_000);
afterAll(async () => {
  await server?.close();
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function rescore(site: string, from: number, to: number, standard: string): Promise<Rescore> {
  const res = await (await server.as('auditor')).fetch(`/api/sites/${site}/rescore?from=${from}&to=${to}&standard=${encodeURIComponent(standard)}`);
  expect(res.status, `${site} ${standard}`).toBe(200);
  return (await res.json()) as Rescore;
}

const describeChange = (c: Rescore['clauses'][number]) => `${c.clause} on ${c.subject}: ${c.recorded?.verdict ?? 'no result'} → ${c.rescored?.verdict ?? 'no result'}`;

describe('re-scoring a recorded half hour of every demo site', () => {
  it('under the version it was recorded with gives the record, verdict for verdict, at every five minutes', async () => {
    expect(sites.length).toBeGreaterThanOrEqual(5);
    for (const site of sites) {
      const own = recordedUnder.get(site.id)!;
      for (let to = T0 + 5 * MINUTE; to <= T0 + RECORDED_MS; to += 5 * MINUTE) {
        const body = await rescore(site.id, T0, to, own);
        expect(body.recorded.standards, site.id).toEqual([own]);
        expect(body.clauses.filter((c) => c.changed).map(describeChange), `${site.id} at +${(to - T0) / MINUTE} min`).toEqual([]);
        // every clause the record has, and no more: one that never had a result has none on replay either
        expect(body.clauses.every((c) => c.recorded !== null && c.rescored !== null)).toBe(true);
        expect(body.clauses.length, site.id).toBeGreaterThan(50);
        expect({ score: body.rescored.score?.score, risk: body.rescored.score?.risk }, `${site.id} score at +${(to - T0) / MINUTE} min`).toEqual({
          score: body.recorded.score?.score,
          risk: body.recorded.score?.risk,
        });
      }
    }
  }, 300_000);

  it('from any instant of the record, not only its start: a period that begins mid-way re-scores as recorded too', async () => {
    for (const site of sites) {
      const own = recordedUnder.get(site.id)!;
      for (const [from, to] of [
        [T0 + 10 * MINUTE, T0 + 20 * MINUTE],
        [T0 + 15 * MINUTE, T0 + RECORDED_MS],
      ] as const) {
        const body = await rescore(site.id, from, to, own);
        const at = `${site.id} from +${(from - T0) / MINUTE} to +${(to - T0) / MINUTE} min`;
        expect(body.clauses.filter((c) => c.changed).map(describeChange), at).toEqual([]);
        expect({ score: body.rescored.score?.score, risk: body.rescored.score?.risk }, at).toEqual({ score: body.recorded.score?.score, risk: body.recorded.score?.risk });
      }
    }
  }, 300_000);

  it('under another version shows only differences the changelog accounts for, each with its reason', async () => {
    for (const site of sites) {
      const own = recordedUnder.get(site.id)!;
      const other = standards.find((s) => s.key !== own && s.id === own.split('@')[0] && s.version !== '0.1.0')!;
      const body = await rescore(site.id, T0, T0 + RECORDED_MS, other.key);
      const changed = body.clauses.filter((c) => c.changed);
      expect(changed.length, site.id).toBeGreaterThan(0);
      for (const c of changed) {
        expect(c.reason, describeChange(c)).toMatchObject({ from: own, to: other.key });
        expect(c.reason?.change, `${site.id}: ${describeChange(c)} is not in the changelog ${own} → ${other.key}`).not.toBe('unchanged');
      }
      // a clause one version has and the other not is added or removed; one both have changed in the file
      for (const c of changed.filter((c) => c.recorded === null)) expect(['added', 'changed'], describeChange(c)).toContain(c.reason?.change);
      for (const c of changed.filter((c) => c.rescored === null)) expect(['removed', 'changed'], describeChange(c)).toContain(c.reason?.change);
    }
  }, 300_000);
});
