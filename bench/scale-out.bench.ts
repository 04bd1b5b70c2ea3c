/**
 * Scale-out, whole path across processes (DESIGN.md "Scale", issue 21): edges → NATS JetStream → engine
 * workers → PostgreSQL. The edges are sample generators at the edge's publish boundary (bench/scale-out-edge.ts:
 * no OPC-UA/Modbus collectors, no disk buffer), publishing every point of their sites once a period through
 * the JetStream bus; the workers are `ketwin central`'s engine workers without the UI (bench/scale-out-worker.ts:
 * site leases, a durable consumer per site, each batch stored before its ack, the engine under the demo
 * standard, the store writer for verdicts). Sites are the demo depot copied to about BENCH_POINTS points each.
 *
 * After a warm-up, a probe window (BENCH_PROBE_MS) at the highest rate, then windows of BENCH_RUN_MS (≥ 60 s
 * for the figure): the samples published and consumed per second, and the backlog (messages the workers'
 * durable consumers have not acked, the server's count) at the start and end of each. The backlog grew when it
 * ended more than one round of every site's messages above where it started. `sustainedSamplesPerS` is the rate
 * the edges published in the first whole window without growth. After a window with growth the edges pause
 * until the backlog drained (up to BENCH_DRAIN_MS; the workers' rate meanwhile is `drainedSamplesPerS`), then go
 * on at 95 % of what the workers took while the edges published (the drain rate leaves out the edges' and the
 * server's share of the machine, and stepping to it stayed above what they keep up with), and the next window
 * measures again, up to BENCH_STEPS windows; none
 * sustained: null. The line names the highest offered rate and every window (`steps`), and for the last window
 * the latency from the edge's reading to stored in PostgreSQL and in the engine (p50/p99 over every batch), the
 * CPU (cores, from /proc/<pid>/stat; each edge's own count of its CPU as a check) and RSS of every process
 * (edges, workers, and nats-server / PostgreSQL when found).
 *
 * Then the takeover (with two workers or more, BENCH_TAKEOVER_MS > 0): the edges go on at the last window's pace,
 * the worker owning the most sites is killed with SIGKILL, and the line says when the others took its first site,
 * when they owned every site, and when they had caught up (the backlog back within one round of where it was at
 * the kill), up to BENCH_TAKEOVER_MS. Last, the edges stop, the backlog drains, and the samples the edges had
 * published (acknowledged by JetStream) are counted against the rows in PostgreSQL: equal when nothing was lost
 * or doubled.
 *
 * Sizes (environment): BENCH_SITES (100), BENCH_POINTS (2000), BENCH_EDGES (4), BENCH_WORKERS (2),
 * BENCH_PERIOD_MS (1000: each point once a second), BENCH_RUN_MS (60000), BENCH_WARMUP_MS (15000),
 * BENCH_PROBE_MS (20000), BENCH_STEPS (4), BENCH_DRAIN_MS (120000), BENCH_COPIES (demo copies per site, 10),
 * BENCH_PARTITION_MINUTES (the samples table's time partitions, 1), BENCH_TAKEOVER_MS (180000; 0: no takeover). NATS at NATS_URL, PostgreSQL admin at DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/test; a database of its own, dropped after).
 *   BENCH_SITES=10 BENCH_RUN_MS=20000 npm run bench -- scale-out
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { deleteStreams, natsUrl, uniquePrefix } from '../bus/testing/nats.ts';
import { openStore } from '../db/index.ts';
import { scaleOutSites, siteId } from './scale-out-sites.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SITES = env('BENCH_SITES', 100);
const POINTS = env('BENCH_POINTS', 2000);
const EDGES = Math.min(SITES, env('BENCH_EDGES', 4));
const WORKERS = env('BENCH_WORKERS', 2);
const PERIOD_MS = env('BENCH_PERIOD_MS', 1000);
const RUN_MS = env('BENCH_RUN_MS', 60_000);
const WARMUP_MS = env('BENCH_WARMUP_MS', 15_000);
const COPIES = env('BENCH_COPIES', 10);
const STEPS = Math.max(1, env('BENCH_STEPS', 4));
const DRAIN_MS = env('BENCH_DRAIN_MS', 120_000);
const PROBE_MS = Math.min(RUN_MS, env('BENCH_PROBE_MS', 20_000));
/** the store's time partitions, as KETWIN_SAMPLES_PARTITION_MINUTES sets them for `ketwin central` */
const PARTITION_MINUTES = env('BENCH_PARTITION_MINUTES', 1);
const TAKEOVER_MS = env('BENCH_TAKEOVER_MS', 180_000);
const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const STANDARD = resolve('standards/oil-depot-above-ground/1.1.0.yaml');
/** sample counts come from each process's once-a-second report: the rates are over the window, ±1 s of reports */
const log = (m: string) => void process.stderr.write(`scale-out: ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Child {
  role: string;
  child: ChildProcess;
  last: Record<string, unknown>;
  latencies: number[];
  ready: Promise<void>;
}

/** an edge runs with the V8 settings `npm start` gives ketwin: a small young generation, code kept small (README "Sizing") */
const EDGE_FLAGS = ['--max-semi-space-size=2', '--optimize-for-size'];

function start(role: string, script: string, variable: string, config: object): Child {
  const flags = role.startsWith('edge') ? EDGE_FLAGS : [];
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', script], {
    env: { ...process.env, [variable]: JSON.stringify(config) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const c: Child = { role, child, last: {}, latencies: [], ready: Promise.resolve() };
  let ready!: () => void;
  c.ready = new Promise<void>((r) => (ready = r));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line === 'ready') return ready();
    try {
      c.last = JSON.parse(line) as Record<string, unknown>;
      if (Array.isArray(c.last.latencies)) c.latencies.push(...(c.last.latencies as number[]));
    } catch {
      process.stderr.write(`${role}: ${line}\n`);
    }
  });
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') log(`${role} exited ${code ?? signal}`);
  });
  return c;
}

/** CPU seconds (user + system) and RSS of a process, from /proc */
function usage(pid: number): { cpuS: number; rssMiB: number; peakMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { cpuS: ticks / 100, rssMiB: Math.round(kb('VmRSS') / 1024), peakMiB: Math.round(kb('VmHWM') / 1024) };
}

function pidsOf(name: string): number[] {
  try {
    return execFileSync('pgrep', ['-x', name], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const q = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : null;
};
/** messages of every site's stream its workers' durable consumer has not acknowledged yet (the server's count) */
async function backlogMessages(jsm: JetStreamManager, prefix: string): Promise<number> {
  let n = 0;
  for (let i = 0; i < SITES; i++) {
    const info = await jsm.consumers.info(`${prefix}_${siteId(i)}`, 'central_samples');
    n += info.num_pending + info.num_ack_pending;
  }
  return n;
}
interface Step {
  offeredSamplesPerS: number;
  periodMs: number;
  publishedSamplesPerS: number;
  consumedSamplesPerS: number;
  backlogMessages: { start: number; end: number };
  backlogGrowing: boolean;
  windowMs: number;
  /** the edges paused after the window: what the workers took while the backlog drained */
  drainedSamplesPerS?: number;
}
interface Window {
  seconds: number;
  published: number;
  consumed: number;
  backlog: { start: number; end: number };
  latencies: number[];
  usages: { role: string; pid: number; cpuCores: number; rssMiB: number; peakRssMiB: number }[];
}
const sum = (children: Child[], key: string) => children.reduce((n, c) => n + Number(c.last[key] ?? 0), 0);

async function main() {
  const prefix = uniquePrefix();
  const servers = [natsUrl()];
  const dbName = `ketwin_b_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/${dbName}`;
  const databaseUrl = dbUrl.toString();
  await (await openStore({ url: databaseUrl })).close(); // migrated once, before the workers open it
  const size = { sites: SITES, points: POINTS, copies: COPIES };
  // the points a site really has: at least one copy of the demo, whatever BENCH_POINTS says
  const points = (await scaleOutSites(size, [0]))[0]!.points.length;
  const offered = Math.round((SITES * points * 1000) / PERIOD_MS);
  const workers: Child[] = [];
  const edges: Child[] = [];
  try {
    for (let w = 0; w < WORKERS; w++)
      workers.push(
        start(`worker-${w}`, 'bench/scale-out-worker.ts', 'SCALE_OUT_WORKER', {
          ...size,
          servers,
          prefix,
          databaseUrl,
          samplesPartitionMs: PARTITION_MINUTES * 60_000,
          standard: STANDARD,
          name: `w${w}`,
        }),
      );
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.child.stdin!.write('go\n');
    const t0 = Date.now();
    while (sum(workers, 'owned') < SITES) {
      if (Date.now() - t0 > 300_000) throw new Error(`the workers own ${sum(workers, 'owned')} of ${SITES} sites after 5 min`);
      await sleep(500);
    }
    log(`${WORKERS} workers own ${SITES} sites (${workers.map((w) => w.last.owned).join(' + ')}) after ${Date.now() - t0} ms`);

    for (let e = 0; e < EDGES; e++) {
      const sitesOfEdge = Array.from({ length: SITES }, (_, i) => i).filter((i) => i % EDGES === e);
      edges.push(start(`edge-${e}`, 'bench/scale-out-edge.ts', 'SCALE_OUT_EDGE', { ...size, sitesOfEdge, servers, prefix, periodMs: PERIOD_MS, batch: 1000 }));
    }
    log(`${EDGES} edges publishing ${SITES} × ${points} points every ${PERIOD_MS} ms (offered ${offered} samples/s); warm-up ${WARMUP_MS} ms`);
    await sleep(WARMUP_MS);

    // nats-server and the PostgreSQL backends found at the start of each window (a backend may come and go)
    const processes = () =>
      [...edges, ...workers]
        .map((c) => ({ role: c.role, pid: c.child.pid!, child: c as Child | undefined }))
        .concat(
          [...pidsOf('nats-server').map((pid) => ({ role: 'nats-server', pid })), ...pidsOf('postgres').map((pid) => ({ role: 'postgres', pid }))].map((o) => ({
            ...o,
            child: undefined,
          })),
        );
    const nc = await connect({ servers });
    const jsm = await jetstreamManager(nc);
    // more than one round of every site's messages waiting at the end than at the start: the workers fall behind
    const roundMessages = SITES * Math.ceil(points / 1000);
    const steps: Step[] = [];
    let periodMs = PERIOD_MS;
    let last!: Window;
    for (let step = 0; step < STEPS; step++) {
      const windowMs = step === 0 ? PROBE_MS : RUN_MS;
      last = await measure(periodMs, windowMs);
      const rate = (n: number) => Math.round(n / last.seconds);
      const s: Step = {
        offeredSamplesPerS: Math.round((SITES * points * 1000) / periodMs),
        periodMs,
        windowMs: Math.round(last.seconds * 1000),
        publishedSamplesPerS: rate(last.published),
        consumedSamplesPerS: rate(last.consumed),
        backlogMessages: { start: last.backlog.start, end: last.backlog.end },
        backlogGrowing: last.backlog.end - last.backlog.start > roundMessages,
      };
      steps.push(s);
      log(`window ${step + 1}: ${JSON.stringify(s)}`);
      if ((!s.backlogGrowing && windowMs >= RUN_MS) || step === STEPS - 1) break;
      if (!s.backlogGrowing) continue; // the probe kept up: a whole window at the same rate
      // the edges paused until the backlog drained (what the workers take with nothing coming in, reported), then
      // slower: 95 % of what the workers took while the edges published
      tellEdges({ paused: true });
      const drain = { at: Date.now(), consumed: sum(workers, 'samples') };
      const left = await drainedTo(roundMessages);
      s.drainedSamplesPerS = Math.round(((sum(workers, 'samples') - drain.consumed) * 1000) / (Date.now() - drain.at));
      periodMs = Math.ceil((SITES * points * 1000) / (0.95 * s.consumedSamplesPerS));
      tellEdges({ paused: false, periodMs });
      log(`drained at ${s.drainedSamplesPerS} samples/s for ${Date.now() - drain.at} ms (${left} messages left); edges now every ${periodMs} ms`);
      await sleep(5000); // a few rounds at the new pace before the window
    }
    function tellEdges(line: { paused: boolean; periodMs?: number }) {
      for (const e of edges) e.child.stdin!.write(`${JSON.stringify(line)}\n`);
    }
    /** the edges paused: waits up to BENCH_DRAIN_MS until at most `messages` wait; what still waits */
    async function drainedTo(messages: number): Promise<number> {
      const at = Date.now();
      let waiting = await backlogMessages(jsm, prefix);
      while (waiting > messages && Date.now() - at < DRAIN_MS) {
        await sleep(2000);
        waiting = await backlogMessages(jsm, prefix);
      }
      return waiting;
    }

    const takeover = WORKERS >= 2 && TAKEOVER_MS > 0 ? await takeOver() : null;
    const count = await publishedAgainstStored();
    await nc.close();

    /** the worker owning the most sites killed with SIGKILL while the edges go on: how long until the others own and keep up with its sites */
    async function takeOver() {
      const victim = workers.reduce((a, b) => (Number(b.last.owned) > Number(a.last.owned) ? b : a));
      const survivors = workers.filter((w) => w !== victim);
      const sitesOfKilled = Number(victim.last.owned);
      const backlogAtKill = await backlogMessages(jsm, prefix);
      const takenBefore = sum(survivors, 'taken');
      const consumedBefore = sum(survivors, 'samples');
      const killedAt = Date.now();
      victim.child.kill('SIGKILL');
      log(`takeover: ${victim.role} (${sitesOfKilled} sites) killed; backlog ${backlogAtKill} messages`);
      let firstSiteTakenAfterMs: number | null = null;
      let allOwnedAfterMs: number | null = null;
      let caughtUpAfterMs: number | null = null;
      let backlogAtAllOwned: number | null = null;
      let lastLog = killedAt;
      const progress = (waiting = '') => {
        if (Date.now() - lastLog < 5000) return;
        lastLog = Date.now();
        log(`takeover +${Math.round((lastLog - killedAt) / 1000)} s: survivors own ${sum(survivors, 'owned')}, taken ${sum(survivors, 'taken') - takenBefore}${waiting}`);
      };
      // the sites first, watched closely (the workers report once a second: these times are ±1 s); reading the
      // backlog asks the server about every site's consumer, which takes seconds while the survivors take sites
      while (allOwnedAfterMs === null && Date.now() - killedAt < TAKEOVER_MS) {
        await sleep(250);
        const t = Date.now() - killedAt;
        if (firstSiteTakenAfterMs === null && sum(survivors, 'taken') > takenBefore) firstSiteTakenAfterMs = t;
        if (sum(survivors, 'owned') >= SITES) allOwnedAfterMs = t;
        progress();
      }
      while (allOwnedAfterMs !== null && Date.now() - killedAt < TAKEOVER_MS) {
        const waiting = await backlogMessages(jsm, prefix);
        backlogAtAllOwned ??= waiting;
        if (waiting <= backlogAtKill + roundMessages) {
          caughtUpAfterMs = Date.now() - killedAt;
          break;
        }
        progress(`; messages waiting ${waiting}`);
        await sleep(1000);
      }
      const seconds = (Date.now() - killedAt) / 1000;
      return {
        killed: victim.role,
        sitesOfKilled,
        firstSiteTakenAfterMs,
        allOwnedAfterMs,
        caughtUpAfterMs,
        backlogMessages: { atKill: backlogAtKill, atAllOwned: backlogAtAllOwned },
        survivorsSamplesPerS: Math.round((sum(survivors, 'samples') - consumedBefore) / seconds),
      };
    }

    /** the edges stopped and the backlog drained: what they published (acked by JetStream) against the rows stored */
    async function publishedAgainstStored() {
      tellEdges({ paused: true });
      // a round under way ends first; the edges report once a second
      let published = -1;
      while (published !== sum(edges, 'published')) {
        published = sum(edges, 'published');
        await sleep(2500);
      }
      const waiting = await drainedTo(0);
      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      try {
        const stored = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM samples')).rows[0]!.n);
        log(`published ${published}, stored ${stored}, messages left ${waiting}`);
        return { published, stored, messagesLeft: waiting };
      } finally {
        await db.end();
      }
    }

    /** one window at the edges' current period: counts, backlog, latencies and CPU over it */
    async function measure(period: number, windowMs: number): Promise<Window> {
      const watched = processes().flatMap((p) => {
        try {
          return [{ ...p, proc: usage(p.pid), self: Number(p.child?.last.cpuS ?? NaN) }];
        } catch {
          return []; // a postgres backend that ended meanwhile
        }
      });
      for (const w of workers) w.latencies = [];
      const begin = { at: Date.now(), published: sum(edges, 'published'), consumed: sum(workers, 'samples'), backlog: await backlogMessages(jsm, prefix) };
      log(`window at every ${period} ms (offered ${Math.round((SITES * points * 1000) / period)} samples/s), ${windowMs} ms`);
      for (let t = 0; t < windowMs; t += 5000) {
        await sleep(Math.min(5000, windowMs - t));
        const each = workers.map((w) => `${w.last.owned} owned, ${w.last.taken} taken, ${w.last.lost} lost, loop ${w.last.maxLoopDelayMs} ms`).join('; ');
        log(`published ${sum(edges, 'published')}, consumed ${sum(workers, 'samples')}, messages waiting ${await backlogMessages(jsm, prefix)} (workers: ${each})`);
      }
      const end = { at: Date.now(), published: sum(edges, 'published'), consumed: sum(workers, 'samples'), backlog: await backlogMessages(jsm, prefix) };
      const seconds = (end.at - begin.at) / 1000;
      const usages = watched.flatMap((p) => {
        try {
          const a = p;
          const b = usage(p.pid);
          const cpuCores = +((b.cpuS - a.proc.cpuS) / seconds).toFixed(2);
          // the edge's own count of its CPU over the same window (±1 s of reports): a wrong reading of /proc shows here
          const self = (Number(p.child?.last.cpuS ?? NaN) - a.self) / seconds;
          if (Number.isFinite(self) && Math.abs(self - cpuCores) > 0.05 + 0.2 * self) log(`${p.role}: /proc says ${cpuCores} cores, the process itself ${self.toFixed(2)}`);
          return [{ role: p.role, pid: p.pid, cpuCores, rssMiB: b.rssMiB, peakRssMiB: b.peakMiB }];
        } catch {
          return []; // a postgres backend that ended meanwhile
        }
      });
      return {
        seconds,
        published: end.published - begin.published,
        consumed: end.consumed - begin.consumed,
        backlog: { start: begin.backlog, end: end.backlog },
        latencies: workers.flatMap((w) => w.latencies),
        usages,
      };
    }

    const sustained = steps.find((s) => !s.backlogGrowing && s.windowMs >= RUN_MS - 1000);
    const postgres = last.usages.filter((u) => u.role === 'postgres');
    const result = {
      bench: 'scale-out',
      edges: 'sample generators at the edge publish boundary (no collectors, no disk buffer)',
      sites: SITES,
      pointsPerSite: points,
      edgeProcesses: EDGES,
      workerProcesses: WORKERS,
      samplesPartitionMinutes: PARTITION_MINUTES,
      runMs: Math.round(last.seconds * 1000),
      highestOfferedSamplesPerS: offered,
      // the edges' rate in the first window whose backlog did not grow
      sustainedSamplesPerS: sustained ? sustained.publishedSamplesPerS : null,
      steps,
      samplesPerMessage: Math.min(points, 1000),
      e2eMs: {
        what: 'edge reading → stored in PostgreSQL and in the engine, per batch, last window',
        batches: last.latencies.length,
        p50: q(last.latencies, 0.5),
        p99: q(last.latencies, 0.99),
      },
      processes: last.usages.filter((u) => u.role !== 'postgres'),
      // a worker killed under load (null: fewer than two workers, or BENCH_TAKEOVER_MS=0)
      takeover,
      // every sample the edges published, counted in PostgreSQL after the edges stopped and the backlog drained
      samplesPublishedStored: count,
      // every postgres process of the server (other clients' work included; shared memory makes their RSS not add up)
      postgres: { processes: postgres.length, cpuCores: +postgres.reduce((n, u) => n + u.cpuCores, 0).toFixed(2) },
      loadavg1: +loadavg()[0]!.toFixed(1),
    };
    console.log(JSON.stringify(result));
  } finally {
    for (const e of edges) e.child.kill('SIGTERM');
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all([...edges, ...workers].map((c) => (c.child.exitCode === null && c.child.signalCode === null ? new Promise((r) => c.child.once('exit', r)) : undefined)));
    await deleteStreams(servers[0]!, prefix).catch(() => undefined);
    const nc = await connect({ servers });
    await new Kvm(nc)
      .open(`${prefix}_leases`)
      .then((kv) => kv.destroy())
      .catch(() => undefined);
    await nc.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
