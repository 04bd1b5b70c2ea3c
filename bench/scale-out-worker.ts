// One engine worker of bench/scale-out (its own process), as `ketwin central` composes it without the UI and
// the notifier: the site leases, a durable consumer per owned site, each batch stored in PostgreSQL before its
// ack and then into the engine, verdict changes, scores and alerts through the store writer. Prints "ready"
// once its parts are up, starts taking sites at "go" on stdin (so that workers started together share the
// sites at once), then once a second `{"samples":…,"owned":…,"taken":…,"lost":…,"maxLoopDelayMs":…,"latencies":[…]}`:
// sites owned now, taken and lost since the start, the event loop's longest stall in the second, and the
// latency of each batch taken since the last line, from the edge's reading (the samples' time) to stored and
// in the engine, ms.
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { pino } from 'pino';
import { asyncScheduler } from 'rxjs';
import { createStoreWriter, openStore } from '../db/index.ts';
import { createEngine } from '../engine/index.ts';
import { loadStandard } from '../standards/index.ts';
import { startCentralWorker } from '../cli/central-worker.ts';
import { scaleOutSites, type ScaleOutSize } from './scale-out-sites.ts';

interface WorkerConfig extends ScaleOutSize {
  servers: string[];
  prefix: string;
  databaseUrl: string;
  samplesPartitionMs: number;
  standard: string;
  name: string;
}

const config = JSON.parse(process.env.SCALE_OUT_WORKER ?? '{}') as WorkerConfig;
const logger = pino({ level: process.env.LOG_LEVEL ?? 'error' }, pino.destination(2));
const sites = await scaleOutSites(config);
const standard = await loadStandard(config.standard);
const engine = createEngine({ sites: [], standards: [standard], scheduler: asyncScheduler, logger });
const store = await openStore({ url: config.databaseUrl, samplesPartitionMs: config.samplesPartitionMs, logger });
const writer = createStoreWriter(store, { spillDir: join(tmpdir(), `ketwin-scale-out-${config.name}-${process.pid}`), logger });
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));

let latencies: number[] = [];
const worker = startCentralWorker({
  sites: () => sites,
  engine,
  store,
  nats: { servers: config.servers, prefix: config.prefix },
  record: (r) => writer.result(r),
  taken: (batch) => void latencies.push(Date.now() - batch[0]!.ts),
  logger,
});
const subscriptions = [
  engine.results$.subscribe((r) => {
    if (!worker.holds(r)) writer.result(r);
  }),
  engine.scores$.subscribe((s) => writer.score(s)),
  engine.alerts$.subscribe((a) => writer.alert(a)),
];
// the event loop's longest stall since the last line: a loop held up past the leases' renewals loses sites
const loopDelay = monitorEventLoopDelay({ resolution: 20 });
loopDelay.enable();
const report = setInterval(() => {
  const { samples, leases } = worker.stats();
  const line = { samples, owned: worker.owned().length, taken: leases.acquired, lost: leases.lost, maxLoopDelayMs: Math.round(loopDelay.max / 1e6), latencies };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  loopDelay.reset();
  latencies = [];
}, 1000);
process.once('SIGTERM', () => {
  void (async () => {
    clearInterval(report);
    await worker.stop();
    for (const s of subscriptions) s.unsubscribe();
    engine.dispose();
    await writer.close();
    await store.close();
    process.exit(0);
  })();
});
