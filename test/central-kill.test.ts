/**
 * `ketwin central` killed with SIGKILL while an edge publishes, then started again on the same data: every
 * sample the edge published (as a second, auditing consumer of the same stream saw them) is in central's
 * database. JetStream messages are acked only after central's buffer committed them, so a kill loses none;
 * what central had not acked comes again, and the store takes a reading once (site, point, ts). The second
 * central takes the site once the killed one's lease ran out (8 s), so the test is given three minutes
 * on a loaded machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createJetStreamBus, type JetStreamBus } from '../bus/index.ts';
import { deleteStreams, natsUrl, uniquePrefix } from '../bus/testing/nats.ts';
import { waitFor } from '../bus/testing/wait.ts';
import { openStore } from '../db/index.ts';
import { startEdge, type Edge } from '../main.ts';
import { loadSite, type Sample } from '../model/index.ts';

const METRICS_TOKEN = 'central-kill-test-metrics-token';
const SITE = 'zhoushan-demo';

interface Central {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  output: () => string;
}

async function startCentral(dataDir: string, prefix: string): Promise<Central> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts', 'central'], {
    env: {
      ...process.env,
      PORT: '0',
      KETWIN_DATA: dataDir,
      KETWIN_SITES: resolve('sites'),
      KETWIN_BUS_PREFIX: prefix,
      NATS_URL: natsUrl(),
      METRICS_TOKEN,
      KETWIN_DEMO_USERS: 'off',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await waitFor(() => /ketwin is running: http/.test(output) || child.exitCode !== null, 'central to start', 120_000);
  const url = /ketwin is running: (http:\/\/\S+)/.exec(output)?.[1];
  if (!url) throw new Error(`central did not start:\n${output.slice(-3000)}`);
  return { child, url, exited, output: () => output };
}

async function ingested(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  return Number(
    text
      .split('\n')
      .find((l) => l.startsWith('ketwin_samples_ingested_total'))
      ?.split(' ')[1] ?? Number.NaN,
  );
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('ketwin central killed with SIGKILL', () => {
  const prefix = uniquePrefix();
  let root: string | undefined;
  let edge: Edge | undefined;
  let audit: JetStreamBus | undefined;
  const centrals: Central[] = [];
  afterAll(async () => {
    for (const c of centrals) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    await Promise.all(centrals.map((c) => c.exited));
    await edge?.close();
    await audit?.close();
    await deleteStreams(natsUrl(), prefix);
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('loses no sample the edge published: after a restart on the same data, every one is in the database', async () => {
    root = await mkdtemp(join(tmpdir(), 'ketwin-central-kill-'));
    const logger = pino({ level: 'silent' });
    const nats = { servers: [natsUrl()], prefix };
    const published: Sample[] = [];
    audit = createJetStreamBus(nats);
    await audit.subscribeSamples({ name: 'audit', sites: [SITE], handle: (batch) => void published.push(...batch) });

    const first = await startCentral(join(root, 'central'), prefix);
    centrals.push(first);
    edge = await startEdge({
      sites: [await loadSite(resolve(`sites/${SITE}.yaml`))],
      dataDir: join(root, 'edge'),
      simulate: { ports: 'ephemeral' },
      logger,
      bus: nats,
      healthEveryMs: 1000,
    });
    await until('central to ingest samples', async () => (await ingested(first.url)) >= 300, 60_000);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null); // killed, not stopped
    const atKill = edge.stats().bus.samples;
    await waitFor(() => edge!.stats().bus.samples >= atKill + 300, 'the edge to publish while central is dead', 60_000);

    const second = await startCentral(join(root, 'central'), prefix);
    centrals.push(second);
    await edge.close();
    const total = edge.stats().bus.samples;
    await waitFor(() => published.length >= total, 'the audit consumer to see every sample', 30_000);
    await until('the second central to take the rest in', async () => (await ingested(second.url)) > 0, 60_000);
    // nothing more comes: the stream's consumer has no pending message
    await new Promise((r) => setTimeout(r, 3000));
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);

    const store = await openStore({ dataDir: join(root, 'central'), logger });
    try {
      const byPoint = new Map<string, number[]>();
      for (const s of published) byPoint.set(s.point, [...(byPoint.get(s.point) ?? []), s.ts]);
      const missing: string[] = [];
      for (const [point, times] of byPoint) {
        const stored = new Set((await store.series(SITE, point, Math.min(...times), Math.max(...times))).map((p) => p.ts));
        for (const ts of times) if (!stored.has(ts)) missing.push(`${point}@${ts}`);
      }
      expect(missing, `${missing.length} of ${published.length} samples not stored`).toEqual([]);
    } finally {
      await store.close();
    }
  }, 180_000);
});
