// One edge of bench/scale-out (its own process): a sample generator at the edge's publish boundary, no
// collectors and no disk buffer. Every `periodMs` it reads every point of its sites (stamped with the time of
// the round) and publishes each site's round through the JetStream bus in batches, as `ketwin edge`'s queue
// hands them over (an origin and queue positions for de-duplication; a batch is sent again until its PubAck).
// A round that takes longer than the period starts the next one late: the offered rate is then what it
// managed. A line `{"periodMs":…}` on stdin changes the period from the next round, `{"paused":true}` stops
// the rounds until `{"paused":false}` (the bench lets a backlog drain and steps the offered rate down). Prints `{"published":…,"cpuS":…}` on stdout once a second (cpuS: its own CPU seconds,
// user + system, as the process counts them: the bench checks its reading of /proc against it).
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { createJetStreamBus } from '../bus/index.ts';
import type { Sample } from '../model/index.ts';
import { scaleOutSitePoints, siteRound, type ScaleOutSize } from './scale-out-sites.ts';

interface EdgeConfig extends ScaleOutSize {
  sitesOfEdge: number[];
  servers: string[];
  prefix: string;
  periodMs: number;
  batch: number;
}

const config = JSON.parse(process.env.SCALE_OUT_EDGE ?? '{}') as EdgeConfig;
const sites = await scaleOutSitePoints(config, config.sitesOfEdge);
let periodMs = config.periodMs;
let paused = false;
let wake: (() => void) | undefined;
createInterface({ input: process.stdin }).on('line', (line) => {
  const asked = JSON.parse(line) as { periodMs?: unknown; paused?: unknown };
  if (typeof asked.periodMs === 'number' && asked.periodMs > 0) periodMs = asked.periodMs;
  if (typeof asked.paused === 'boolean') paused = asked.paused;
  wake?.(); // the next round at the new pace, not after the old period
});
process.on('SIGTERM', () => wake?.());
/** until the period's end counted from `began`, or a line on stdin; while paused, until resumed */
async function rest(began: number): Promise<void> {
  for (;;) {
    const ms = paused ? 3600_000 : periodMs - (Date.now() - began);
    if (ms <= 0 || stopping) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((r) => {
      wake = r;
      timer = setTimeout(r, ms);
    });
    clearTimeout(timer);
    wake = undefined;
    if (!paused && Date.now() - began >= periodMs) return;
  }
}
const bus = createJetStreamBus({ servers: config.servers, prefix: config.prefix, name: `scale-out edge ${config.sitesOfEdge[0]}` });
const origin = randomUUID();
let position = 0;
let published = 0;
let stopping = false;
process.on('SIGTERM', () => (stopping = true));

async function publish(batch: Sample[]): Promise<void> {
  const at = { origin, start: position, end: position + batch.length };
  position += batch.length;
  for (;;) {
    try {
      await bus.publishSamples(batch, at);
      published += batch.length;
      return;
    } catch {
      if (stopping) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

const line = () => {
  const { user, system } = process.cpuUsage();
  return `${JSON.stringify({ published, cpuS: (user + system) / 1e6 })}\n`;
};
const report = setInterval(() => process.stdout.write(line()), 1000);
for (let round = 0; !stopping; round++) {
  const began = Date.now();
  // sites side by side (a PubAck in flight for each), each site's batches in order
  await Promise.all(
    sites.map(async (site) => {
      const samples = siteRound(site, round, Date.now());
      for (let i = 0; i < samples.length; i += config.batch) await publish(samples.slice(i, i + config.batch));
    }),
  );
  await rest(began);
}
clearInterval(report);
process.stdout.write(line());
await bus.close();
process.exit(0); // stdin stays open
