/**
 * `ketwin central` fed by `ketwin edge` over JetStream (the nats-server at NATS_URL, names of this test's
 * own): the demo depot simulated at the edge, its samples through a durable consumer into central's
 * engine and writer. Every sample the edge published is taken in by central's engine, once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteStreams, natsUrl, uniquePrefix } from '../bus/testing/nats.ts';
import { waitFor } from '../bus/testing/wait.ts';
import { openStore } from '../db/index.ts';
import { loadSite } from '../model/index.ts';
import { startEdge, startKetwin, type Edge, type Ketwin } from '../main.ts';
import type { Sample } from '../model/index.ts';
import { createMemoryUserDirectory, createUser, generatePassword, signIn, type SiteSummary } from '../ui/server/index.ts';

const METRICS_TOKEN = 'central-test-metrics-token';

async function ingested(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const line = text.split('\n').find((l) => l.startsWith('ketwin_samples_ingested_total'));
  return Number(line?.split(' ')[1] ?? Number.NaN);
}

describe('ketwin central', () => {
  const prefix = uniquePrefix();
  const nats = { servers: [natsUrl()], prefix };
  let root: string | undefined;
  let edge: Edge | undefined;
  let central: Ketwin | undefined;
  afterAll(async () => {
    await edge?.close();
    await central?.close();
    await deleteStreams(natsUrl(), prefix);
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('takes in the samples an edge published through its durable consumer, into the engine and the writer; stopped a while, it goes on where it was', async () => {
    root = await mkdtemp(join(tmpdir(), 'ketwin-central-'));
    const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
    const users = createMemoryUserDirectory();
    const password = generatePassword();
    await createUser(users, { name: 'auditor', role: 'auditor', sites: '*', password });
    const startCentral = () =>
      startKetwin({
        port: 0,
        host: '127.0.0.1',
        dataDir: join(root!, 'central'),
        sitesDir: resolve('sites'),
        standardsDir: resolve('standards'),
        simulate: false,
        logger,
        users,
        metricsToken: METRICS_TOKEN,
        nats,
        central: {},
      });
    central = await startCentral();
    edge = await startEdge({
      sites: [await loadSite(resolve('sites/zhoushan-demo.yaml'))],
      dataDir: join(root, 'edge'),
      simulate: { ports: 'ephemeral' },
      logger,
      bus: nats,
      healthEveryMs: 1000,
    });
    await waitFor(() => central!.samplesIngested() >= 300, 'central to ingest samples', 60_000);
    expect(await ingested(central.url)).toBeGreaterThanOrEqual(300); // what /metrics reports
    const health = (await (await fetch(`${central.url}/healthz`)).json()) as { ready: boolean; checks: { name: string; ok: boolean }[] };
    expect(health.checks).toContainEqual({ name: 'bus', ok: true }); // readiness: the bus it is fed from
    // the edge on /metrics, from its health beats: itself and the devices it reports
    const metrics = async () => (await fetch(`${central!.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    const edgeUp = /ketwin_source_connected\{site="zhoushan-demo",source="edge"\} 1/;
    const plcUp = /ketwin_source_connected\{site="zhoushan-demo",source="plc-tankfarm"\} 1/;
    let text = '';
    for (const until = Date.now() + 20_000; !(edgeUp.test(text) && plcUp.test(text)) && Date.now() < until; await new Promise((r) => setTimeout(r, 500))) {
      text = (await metrics())
        .split('\n')
        .filter((l) => l.startsWith('ketwin_source_connected'))
        .join('\n');
    }
    expect(text).toMatch(edgeUp);
    expect(text).toMatch(plcUp);
    // its backlog, as its beats say: on /metrics and in the site list
    expect(await metrics()).toMatch(/^ketwin_edge_backlog_samples\{site="zhoushan-demo"\} \d+$/m);
    const listed = (await (await (await signIn(central.url, 'auditor', password)).fetch('/api/sites')).json()) as SiteSummary[];
    expect(listed.find((s) => s.id === 'zhoushan-demo')?.edge).toMatchObject({ silent: false, link: 'up', backlog: { samples: expect.any(Number) } });

    // central away while the edge goes on publishing: the stream keeps them for its durable consumer
    await central.close();
    const first = central.samplesIngested();
    central = undefined;
    const atStop = edge.stats().bus.samples;
    await waitFor(() => edge!.stats().bus.samples >= atStop + 300, 'the edge to publish while central is away', 60_000);
    central = await startCentral();
    await edge.close();
    const published = edge.stats().bus.samples;
    expect(published).toBe(edge.stats().collection.buffer.delivered);
    await waitFor(() => first + central!.samplesIngested() >= published, `all ${published} samples at central`, 60_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(first + central.samplesIngested()).toBe(published); // none lost, none twice

    // the edge is gone: central hears nothing of its sources, and its engine says so (link-lost, the comms-loss
    // path), within the sources' staleAfterMs (10 s in the demo site)
    const auditor = await signIn(central.url, 'auditor', password);
    let values: Record<string, Sample> = {};
    const lost = () => Object.values(values).some((v) => v.point.endsWith('.level') && v.quality === 'bad' && v.reason === 'link-lost');
    for (const until = Date.now() + 40_000; !lost() && Date.now() < until; await new Promise((r) => setTimeout(r, 500))) {
      values = ((await (await auditor.fetch('/api/sites/zhoushan-demo')).json()) as { values: Record<string, Sample> }).values;
    }
    expect(lost(), JSON.stringify(Object.values(values).slice(0, 3))).toBe(true);

    // central stores a batch before it acks it and before its engine sees it: what the engine took is in the database
    await central.close();
    central = undefined;
    const store = await openStore({ dataDir: join(root, 'central'), logger });
    try {
      const level = (await store.series('zhoushan-demo', 'T101.level', 0, Date.now() + 60_000)).length;
      expect(level).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  }, 120_000);
});
