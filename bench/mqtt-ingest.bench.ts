/**
 * MQTT ingest: samples/s from devices through Mosquitto, the MQTT source and into the engine, for early
 * works scored under early-works-flood. A Mosquitto of the bench's own on a free loopback port; the
 * devices publish from a worker thread (their own event loop) as fast as the broker takes them:
 * - JSON: 20 works, each a plain JSON device publishing at QoS 1 (two topics, two readings a message,
 *   up to 25 messages a topic in flight);
 * - Sparkplug B: 20 edge nodes, each a DDATA of four metrics a message at QoS 0 (Sparkplug's own).
 * Every sample the sources deliver is handed to engine.ingest. At QoS 1 nothing may be lost: the JSON
 * readings that reached the engine are counted against those published.
 * Prints one JSON line on stdout; progress on stderr.
 */
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { connect } from 'mqtt';
import { createMqttSource } from '../collector/index.ts';
import { startSparkplugTestNode } from '../collector/mqtt/sparkplug-test-node.ts';
import { startTestBroker } from '../collector/mqtt/test-broker.ts';
import { createEngine } from '../engine/index.ts';
import { parseSite, type MqttSource, type Site } from '../model/index.ts';
import { loadStandard } from '../standards/index.ts';

const WORKS = 20;
const RUN_MS = Number(process.env.BENCH_MQTT_RUN_MS ?? 5_000);
const GROUP = 'bench';
/** QoS 1 messages of each topic a device has in flight at most before it waits for the acknowledgements */
const BURST = 25;

type Phase = 'json' | 'sparkplug';

function workSite(i: number, phase: Phase, url: string): Site {
  const node = `E${i}`;
  const points =
    phase === 'json'
      ? [
          `{ asset: W, name: water_level, unit: m, source: mq, mqtt: { topic: bench/w${i}/sump, path: level } }`,
          `{ asset: W, name: water_inflow, unit: m3/h, source: mq, mqtt: { topic: bench/w${i}/sump, path: inflow } }`,
          `{ asset: W, name: barrier_closed, unit: bool, source: mq, mqtt: { topic: bench/w${i}/entrance, path: barrier } }`,
          `{ asset: W, name: door_closed, unit: bool, source: mq, mqtt: { topic: bench/w${i}/entrance, path: door } }`,
        ]
      : [
          `{ asset: W, name: water_level, unit: m, source: mq, mqtt: { node: ${node}, device: sump, metric: water/level } }`,
          `{ asset: W, name: water_inflow, unit: m3/h, source: mq, mqtt: { node: ${node}, device: sump, metric: water/inflow } }`,
          `{ asset: W, name: pump_flow, unit: m3/h, source: mq, mqtt: { node: ${node}, device: sump, metric: pump/flow } }`,
          `{ asset: W, name: pump_available, unit: bool, source: mq, mqtt: { node: ${node}, device: sump, metric: pump/available } }`,
        ];
  return parseSite(
    `
id: bench-${phase}-${i}
name: { zh: 基准工程${i}, en: "Bench work ${i}" }
location: { lat: 34.78, lon: 113.69 }
plan: { width: 100, height: 100 }
standards: [early-works-flood]
sources:
  - { id: mq, protocol: mqtt, endpoint: "${url}", sparkplugGroup: ${GROUP}, clientId: bench-${phase}-${i}, staleAfterMs: 60000 }
assets:
  - { id: W, kind: shelter, name: { zh: 工程, en: Work }, position: { x: 1, y: 1 }, attributes: { alarmLevelM: 0.3, dangerLevelM: 0.8, floodAreaM2: 120 } }
points:
${points.map((p) => `  - ${p}`).join('\n')}
`,
    `bench-${phase}-${i}.yaml`,
  );
}

/** the devices, in a worker thread: publish until told to stop, then say how many messages went out */
async function devices(url: string, phase: Phase): Promise<void> {
  let stopping = false;
  parentPort!.once('message', () => (stopping = true));
  let messages = 0;
  if (phase === 'json') {
    const clients = await Promise.all(
      Array.from({ length: WORKS }, (_, i) => {
        const c = connect(url, { clientId: `bench-device-${i}`, clean: true, reconnectPeriod: 0 });
        return new Promise<typeof c>((resolve) => c.once('connect', () => resolve(c)));
      }),
    );
    parentPort!.postMessage({ ready: true });
    let n = 0;
    while (!stopping) {
      // a round: every device sends a burst of BURST readings of each topic, then waits for the broker's PUBACKs (QoS 1)
      const round: Promise<unknown>[] = [];
      for (let b = 0; b < BURST; b++) {
        n++;
        for (const [i, c] of clients.entries()) {
          round.push(c.publishAsync(`bench/w${i}/sump`, JSON.stringify({ level: (n % 100) / 1000, inflow: n % 50 }), { qos: 1 }));
          round.push(c.publishAsync(`bench/w${i}/entrance`, JSON.stringify({ barrier: n % 2 === 0, door: n % 3 === 0 }), { qos: 1 }));
        }
      }
      await Promise.all(round);
      messages += round.length;
    }
    await Promise.all(clients.map((c) => c.endAsync()));
  } else {
    const nodes = await Promise.all(
      Array.from({ length: WORKS }, (_, i) =>
        startSparkplugTestNode({
          brokerUrl: url,
          group: GROUP,
          node: `E${i}`,
          metrics: [],
          devices: {
            sump: [
              { name: 'water/level', alias: 1, type: 'Float', value: 0.05 },
              { name: 'water/inflow', alias: 2, type: 'Double', value: 0 },
              { name: 'pump/flow', alias: 3, type: 'Double', value: 0 },
              { name: 'pump/available', alias: 4, type: 'Boolean', value: true },
            ],
          },
        }),
      ),
    );
    parentPort!.postMessage({ ready: true });
    let n = 0;
    while (!stopping) {
      n++;
      await Promise.all(
        nodes.map((node) =>
          node.data('sump', [
            { name: 'water/level', value: (n % 100) / 1000 },
            { name: 'water/inflow', value: n % 50 },
            { name: 'pump/flow', value: n % 40 },
            { name: 'pump/available', value: n % 2 === 0 },
          ]),
        ),
      );
      messages += nodes.length;
      // let the client's socket drain now and then: QoS 0 has no acknowledgement to pace it
      if (n % 20 === 0) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(nodes.map((node) => node.stop()));
  }
  parentPort!.postMessage({ messages });
}

function startDevices(url: string, phase: Phase): { ready: Promise<void>; stop(): Promise<number> } {
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `(async () => { const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(import.meta.url)}); })()`;
  const worker = new Worker(code, { eval: true, workerData: { url, phase } });
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  return {
    ready,
    async stop() {
      const done = new Promise<{ messages: number }>((resolve) => worker.once('message', resolve));
      worker.postMessage('stop');
      const { messages } = await done;
      await worker.terminate();
      return messages;
    },
  };
}

async function run(phase: Phase, url: string, standard: Awaited<ReturnType<typeof loadStandard>>) {
  const sites = Array.from({ length: WORKS }, (_, i) => workSite(i, phase, url));
  const engine = createEngine({ sites, standards: [standard] });
  let ingested = 0;
  let counting = false;
  let readings = 0;
  const sources = sites.map((site) => createMqttSource({ site: site.id, source: site.sources[0] as MqttSource, points: site.points }));
  for (const source of sources)
    await source.start((sample) => {
      engine.ingest(sample);
      if (!sample.point.endsWith('.online')) readings++;
      if (counting) ingested++;
    });
  await new Promise((r) => setTimeout(r, 500)); // subscribed
  const devicesThread = startDevices(url, phase);
  await devicesThread.ready;
  await new Promise((r) => setTimeout(r, 1000)); // warm up
  counting = true;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, RUN_MS));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  counting = false;
  const messages = await devicesThread.stop();
  await new Promise((r) => setTimeout(r, 1500)); // what is still on its way
  const figures: { samplesPerSec: number; messagesPublished: number; readingsPublished?: number; readingsIngested: number; ingestThreadBusy: number } = {
    samplesPerSec: Math.round(ingested / seconds),
    messagesPublished: messages,
    /** JSON at QoS 1: every published reading reached the engine (4 a work a round: 2 messages × 2 readings) */
    ...(phase === 'json' ? { readingsPublished: messages * 2, readingsIngested: readings } : { readingsIngested: readings }),
    /** the collector and engine thread's CPU over the measured window (1 = one core) */
    ingestThreadBusy: Number(((cpu.user + cpu.system) / 1e6 / seconds).toFixed(2)),
  };
  process.stderr.write(`${phase}: ${JSON.stringify(figures)}\n`);
  await Promise.all(sources.map((s) => s.stop()));
  engine.dispose();
  return figures;
}

async function main() {
  const standard = await loadStandard(new URL('../standards/early-works-flood/1.0.0.yaml', import.meta.url).pathname);
  const broker = await startTestBroker();
  try {
    const json = await run('json', broker.url, standard);
    const sparkplug = await run('sparkplug', broker.url, standard);
    if (json.readingsPublished !== undefined && json.readingsIngested < json.readingsPublished)
      process.stderr.write(`json: ${json.readingsPublished - json.readingsIngested} readings published at QoS 1 did not reach the engine\n`);
    console.log(
      JSON.stringify({
        bench: 'mqtt-ingest',
        works: WORKS,
        runMs: RUN_MS,
        jsonSamplesPerSec: json.samplesPerSec,
        jsonQos1Lost: (json.readingsPublished ?? 0) - json.readingsIngested,
        jsonIngestThreadBusy: json.ingestThreadBusy,
        sparkplugSamplesPerSec: sparkplug.samplesPerSec,
        sparkplugIngestThreadBusy: sparkplug.ingestThreadBusy,
      }),
    );
  } finally {
    await broker.close();
  }
}

if (!isMainThread) {
  const { url, phase } = workerData as { url: string; phase: Phase };
  await devices(url, phase);
} else {
  await main();
}
