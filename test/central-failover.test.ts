/**
 * Two `ketwin central` workers on one PostgreSQL database and the nats-server at NATS_URL share two
 * depots (each owns one, by its lease in the JetStream key-value bucket). The samples come from a
 * generator at the edge's publish boundary: the demo depot's model played in real time
 * (sim/scenario-samples.ts) for two copies of the demo site, each point published when it changed (as
 * OPC-UA reports), through the JetStream bus as `ketwin edge` publishes them. One worker is killed with SIGKILL: the other takes its depot within
 * 15 s, rebuilds its twin from the store and goes on from the stream where the dead one stopped.
 * Counted after: every published sample is stored once (samples in == rows out), each depot has an
 * owner again, and the verdicts in force on the depot that changed hands are those a single process
 * reaches on the same samples (engine replay on virtual time).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createJetStreamBus, type JetStreamBus } from '../bus/index.ts';
import { deleteStreams, natsUrl, uniquePrefix } from '../bus/testing/nats.ts';
import { waitFor } from '../bus/testing/wait.ts';
import { openStore } from '../db/index.ts';
import { replay, resultsAsOf } from '../engine/index.ts';
import { loadConfiguration } from '../main.ts';
import type { Sample, Site } from '../model/index.ts';
import { parseScenario, scenarioSamples } from '../sim/index.ts';

const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const METRICS_TOKEN = 'central-failover-test-metrics-token';
const SITES = ['depot-a', 'depot-b'];
/** the generator's scan: every point of both depots each 500 ms */
const TICK_MS = 500;
const TAKEOVER_LIMIT_MS = 15_000;
/** nothing happens on purpose: the depot model's own routine (transfers, weather) runs */
const QUIET = parseScenario('name: quiet\ntitle: { zh: 平稳, en: Quiet }\nsteps: [{ at: 0, action: mains, available: true }]\n');

interface Worker {
  name: string;
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  output: () => string;
}

async function startWorker(name: string, env: Record<string, string>): Promise<Worker> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts', 'central'], {
    env: { ...process.env, ...env, PORT: '0', METRICS_TOKEN, KETWIN_DEMO_USERS: 'off', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await waitFor(() => /ketwin is running: http/.test(output) || child.exitCode !== null, `central ${name} to start`, 120_000);
  const url = /ketwin is running: (http:\/\/\S+)/.exec(output)?.[1];
  if (!url) throw new Error(`central ${name} did not start:\n${output.slice(-3000)}`);
  return { name, child, url, exited, output: () => output };
}

/** the workers' leases as the bucket holds them: site → worker id (absent: no owner) */
async function owners(kvOpen: () => Promise<{ get(k: string): Promise<{ string(): string; operation: string } | null> }>): Promise<Map<string, string>> {
  const kv = await kvOpen();
  const held = new Map<string, string>();
  for (const site of SITES) {
    const entry = await kv.get(`site.${site}`);
    if (entry && entry.operation === 'PUT') held.set(site, entry.string());
  }
  return held;
}

describe('central workers: one killed, its depot taken over', () => {
  const prefix = uniquePrefix();
  const nats = { servers: [natsUrl()], prefix };
  const dbName = `ketwin_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  let root: string | undefined;
  let generatorBus: JetStreamBus | undefined;
  const workers: Worker[] = [];
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await generatorBus?.close();
    await deleteStreams(natsUrl(), prefix);
    const nc = await connect({ servers: natsUrl() });
    await new Kvm(nc)
      .open(`${prefix}_leases`)
      .then((kv) => kv.destroy())
      .catch(() => undefined);
    await nc.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('moves a SIGKILLed worker’s depot to the other within 15 s; every sample stored once; the verdicts a single process reaches', async () => {
    root = await mkdtemp(join(tmpdir(), 'ketwin-failover-'));
    const sitesDir = join(root, 'sites');
    await mkdir(sitesDir);
    const demo = await readFile(resolve('sites/zhoushan-demo.yaml'), 'utf8');
    for (const id of SITES) await writeFile(join(sitesDir, `${id}.yaml`), demo.replace(/^id: zhoushan-demo$/m, `id: ${id}`));
    const { sites, standards } = await loadConfiguration(sitesDir, resolve('standards'));
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    const dbUrl = new URL(ADMIN_URL);
    dbUrl.pathname = `/${dbName}`;
    const env = (name: string) => ({
      KETWIN_DATA: join(root!, name),
      KETWIN_SITES: sitesDir,
      KETWIN_BUS_PREFIX: prefix,
      NATS_URL: natsUrl(),
      DATABASE_URL: dbUrl.toString(),
    });
    const nc = await connect({ servers: natsUrl() });
    const kvOpen = () => new Kvm(nc).open(`${prefix}_leases`);

    // the generator: both depots' points every TICK_MS, each batch published once the broker has it
    generatorBus = createJetStreamBus({ ...nats, name: 'failover-test generator' });
    const published = new Map<string, Sample[]>(SITES.map((s) => [s, []]));
    const start = Date.now();
    const timelines = sites.map((site) => scenarioSamples(site, QUIET, { start, tickMs: TICK_MS, untilMs: 10 * 60_000 }));
    const origin = `gen-${randomBytes(4).toString('hex')}`;
    let position = 0;
    let generating = true;
    const last = new Map<string, Sample>();
    const generator = (async () => {
      const nexts = timelines.map((t) => t.next());
      while (generating) {
        const due = Math.min(...nexts.map((n) => (n.done ? Infinity : n.value.at)));
        if (!Number.isFinite(due)) break;
        const wait = start + due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        for (let i = 0; i < nexts.length; i++) {
          const next = nexts[i]!;
          if (next.done || next.value.at !== due) continue;
          // as OPC-UA reports: a point only when it changed, so a point that holds still (a pump's ready signal)
          // is in the stream once, at the start, and the new owner has it only from the store
          const batch = next.value.samples.filter((s) => {
            const key = `${s.site}\u0000${s.point}`;
            const was = last.get(key);
            last.set(key, s);
            return !was || was.value !== s.value || was.quality !== s.quality;
          });
          if (batch.length === 0) {
            nexts[i] = timelines[i]!.next();
            continue;
          }
          for (;;) {
            try {
              await generatorBus!.publishSamples(batch, { origin, start: position, end: position + batch.length });
              break;
            } catch {
              await new Promise((r) => setTimeout(r, 200)); // offered again with the same positions: stored once
            }
          }
          position += batch.length;
          published.get(batch[0]!.site)!.push(...batch);
          nexts[i] = timelines[i]!.next();
        }
      }
    })();

    const first = await startWorker('A', env('a'));
    workers.push(first);
    const second = await startWorker('B', env('b'));
    workers.push(second);
    // both hold a depot each (a fair share of two)
    let held = new Map<string, string>();
    await (async () => {
      const end = Date.now() + 60_000;
      for (;;) {
        held = await owners(kvOpen).catch(() => new Map<string, string>());
        if (held.size === 2 && new Set(held.values()).size === 2) return;
        if (Date.now() > end) throw new Error(`the two workers did not share the depots: ${JSON.stringify([...held])}\n${first.output().slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    // A's worker id: the lease of the depot its log says it took
    const aSite = SITES.find((s) => new RegExp(`site ${s} taken over`).test(first.output()));
    expect(aSite, 'worker A logs the depot it took').toBeDefined();
    const aWorker = held.get(aSite!)!;
    const bSite = SITES.find((s) => s !== aSite)!;
    await new Promise((r) => setTimeout(r, 5000)); // a while of A's own work

    first.child.kill('SIGKILL');
    const killedAt = Date.now();
    expect(await first.exited).toBe(null);
    // watched every 250 ms: the dead worker's depot gets the other worker; the other depot never loses its owner
    let takenAfterMs: number | undefined;
    let bSiteUnowned = 0;
    while (takenAfterMs === undefined && Date.now() - killedAt < 30_000) {
      const now = await owners(kvOpen);
      if (!now.has(bSite)) bSiteUnowned++;
      const owner = now.get(aSite!);
      if (owner && owner !== aWorker) takenAfterMs = Date.now() - killedAt;
      else await new Promise((r) => setTimeout(r, 250));
    }
    expect(takenAfterMs, `depot ${aSite} taken over within ${TAKEOVER_LIMIT_MS} ms`).toBeLessThanOrEqual(TAKEOVER_LIMIT_MS);
    expect(bSiteUnowned).toBe(0);
    const final = await owners(kvOpen);
    expect(final.get(aSite!)).toBe(final.get(bSite));

    await new Promise((r) => setTimeout(r, 5000)); // the new owner at work
    generating = false;
    await generator;
    const totals = new Map([...published].map(([site, samples]) => [site, new Set(samples.map((s) => `${s.point}\u0000${s.ts}`)).size]));
    const db = new pg.Client({ connectionString: dbUrl.toString() });
    await db.connect();
    try {
      const rows = async () =>
        new Map(
          (await db.query<{ site: string; n: number }>(`SELECT s.site, count(*)::int AS n FROM samples x JOIN series s ON s.id = x.series_id GROUP BY s.site`)).rows.map((r) => [
            r.site,
            r.n,
          ]),
        );
      const end = Date.now() + 60_000;
      let now = await rows();
      while (SITES.some((s) => (now.get(s) ?? 0) < totals.get(s)!) && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 500));
        now = await rows();
      }
      for (const site of SITES) expect(now.get(site), `${site}: samples in == rows out`).toBe(totals.get(site));
      const dups = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT series_id, ts FROM samples GROUP BY 1, 2 HAVING count(*) > 1) d`);
      expect(dups.rows[0]!.n).toBe(0);
    } finally {
      await db.end();
    }

    // the verdicts in force on the depot that changed hands: a single process on the same samples (replay on virtual time)
    await new Promise((r) => setTimeout(r, 2500)); // the writer's last batch of verdict changes
    const store = await openStore({ url: dbUrl.toString() });
    const compared: string[] = [];
    try {
      for (const site of [aSite!, bSite]) {
        const samples = published.get(site)!;
        const definition: Site = sites.find((s) => s.id === site)!;
        const live = await store.latestResults(site);
        // the standard the live verdicts were reached under (the newest version of the site's)
        const standard = standards.find((s) => s.key === live[0]?.standard)!;
        expect(standard, `${site}: verdicts were stored`).toBeDefined();
        const replayed = replay({ samples, site: definition, standard });
        const single = resultsAsOf(replayed.results, samples.at(-1)!.ts);
        const verdicts = (results: { clause: string; subject: string; verdict: string }[]) => results.map((r) => `${r.clause} ${r.subject} ${r.verdict}`).sort();
        expect(verdicts(live), `${site}: the verdicts in force equal a single process's`).toEqual(verdicts(single));
        // the score counts every clause of the twin, those that never changed too: a twin without the readings the
        // stream does not repeat (points that hold still) shows it here, not in the verdict changes
        const score = await store.latestScore(site);
        expect({ counts: score?.counts, score: score?.score }, `${site}: the score a single process reaches`).toEqual({
          counts: replayed.scores.at(-1)?.counts,
          score: replayed.scores.at(-1)?.score,
        });
        const counts: Record<string, number> = {};
        for (const r of live) counts[r.verdict] = (counts[r.verdict] ?? 0) + 1;
        compared.push(`${site}: ${live.length} verdicts ${JSON.stringify(counts)}`);
      }
    } finally {
      await store.close();
      await nc.close();
    }
    const taken = second.output().match(/site \S+ taken over[^\n]*/g);
    console.log(`takeover after ${takenAfterMs} ms; ${JSON.stringify(Object.fromEntries(totals))} samples; B: ${taken?.join(' | ')}; ${compared.join('; ')}`);
  }, 300_000);
});
