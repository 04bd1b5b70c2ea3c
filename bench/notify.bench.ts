/**
 * notify/: incidents delivered per second to 50 webhook subscribers, and the time from an
 * alarm raised (store.writeAlerts: alert + outbox row in one transaction) to the signed CAP
 * webhook arriving at each subscriber. Real parts: PGlite store in a temp dir, the notifier
 * with its journal on disk, 50 node:http receivers on loopback (in a worker thread, so that
 * they do not share the notifier's CPU) that check every signature.
 *
 * Phase 1 (latency): 10 incidents a second for 10 s; p50/p99/max over every (incident, subscriber).
 * Phase 2 (throughput): a burst of 300 incidents written at once; incidents fully delivered
 * (to all 50) per second, measured from the first write to the last delivery.
 * Prints one JSON line on stdout; progress on stderr.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../db/index.ts';
import type { Alert } from '../model/index.ts';
import { createNotifier } from '../notify/index.ts';
import { incidentAlert } from '../notify/testing/fixtures.ts';
import { until } from '../notify/testing/receiver.ts';
import { Worker } from 'node:worker_threads';

const SUBSCRIBERS = 50;
const RATE = 10;
const STEADY_S = Number(process.env.NOTIFY_BENCH_STEADY_S ?? 10);
const BURST = Number(process.env.NOTIFY_BENCH_BURST ?? 300);
const log = (m: string): void => void process.stderr.write(`notify: ${m}\n`);

const dir = await mkdtemp(join(tmpdir(), 'ketwin-notify-bench-'));
const store = await openStore({ dataDir: dir });
const written = new Map<string, number>();
const latencies: number[] = [];
const got = new Map<string, number>();
let badSignatures = 0;
const now = (): number => performance.timeOrigin + performance.now();
// a worker's own entry file is not run through tsx on Node 20: register it inside the worker first
const entry = new URL('./notify-receivers.ts', import.meta.url).href;
const worker = new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`, {
  eval: true,
  workerData: { count: SUBSCRIBERS, secret: 'bench-secret' },
});
const urls = await new Promise<string[]>((resolve, reject) => {
  worker.once('error', reject);
  worker.on('message', (m: { ready?: string[]; id?: string; at?: number; ok?: boolean }) => {
    if (m.ready) return resolve(m.ready);
    if (m.ok === false) badSignatures++;
    const at = m.id === undefined ? undefined : written.get(m.id);
    if (at !== undefined && m.at !== undefined) latencies.push(m.at - at);
    if (m.id !== undefined) got.set(m.id, (got.get(m.id) ?? 0) + 1);
  });
});
const env = { BENCH_SECRET: 'bench-secret' };
const notifier = createNotifier({
  store,
  env,
  dataDir: dir,
  sender: 'ketwin@bench',
  subscribers: urls.map((url, i) => ({ id: `s${i}`, url, format: 'cap' as const, secretEnv: 'BENCH_SECRET' })),
});
await notifier.start();

let n = 0;
const incident = (): Alert => {
  const now = Date.now();
  return incidentAlert({ id: `bench/tank-fire/${++n}`, raisedAt: now, changedAt: now, transition: { at: now, by: 'system:engine', action: 'raise' } });
};
const deliveredAll = (ids: string[]) => ids.every((id) => got.get(id) === SUBSCRIBERS);

try {
  log(`phase 1: ${RATE} incidents/s for ${STEADY_S} s to ${SUBSCRIBERS} subscribers`);
  const steady: string[] = [];
  const start = performance.now();
  for (let i = 0; i < RATE * STEADY_S; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const a = incident();
    steady.push(a.id);
    written.set(a.id, now());
    await store.writeAlerts([a]);
  }
  await until(() => deliveredAll(steady), 30_000, 'phase 1 deliveries');
  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);

  log(`phase 2: burst of ${BURST} incidents`);
  latencies.length = 0;
  const burst = Array.from({ length: BURST }, incident);
  const t0 = performance.now();
  for (const a of burst) written.set(a.id, now());
  for (let i = 0; i < burst.length; i += 50) await store.writeAlerts(burst.slice(i, i + 50));
  await until(() => deliveredAll(burst.map((a) => a.id)), 45_000, 'phase 2 deliveries');
  const seconds = (performance.now() - t0) / 1000;
  const dead = notifier.deliveryStatus().reduce((s, x) => s + x.deadLetters.length, 0);
  console.log(
    JSON.stringify({
      bench: 'notify',
      subscribers: SUBSCRIBERS,
      format: 'cap',
      steadyIncidentsPerSecond: RATE,
      deliveries: sorted.length,
      p50Ms: pct(50),
      p99Ms: pct(99),
      maxMs: Math.round(sorted.at(-1)!),
      targetP99Ms: 1000,
      burstIncidents: BURST,
      incidentsPerSecond: Math.round(BURST / seconds),
      webhooksPerSecond: Math.round((BURST * SUBSCRIBERS) / seconds),
      badSignatures,
      deadLetters: dead,
    }),
  );
} finally {
  await notifier.stop();
  await new Promise<void>((resolve) => {
    worker.on('message', (m: { closed?: boolean }) => m.closed && resolve());
    worker.postMessage({ close: true });
  });
  await worker.terminate();
  await store.close();
  await rm(dir, { recursive: true, force: true });
}
