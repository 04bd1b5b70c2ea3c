// What a browser receives (issue 22 items 7, 8): the rim-seal-fire scenario played for one hour of
// its timeline through the real engine (the sim's depot model stepped with the timeline, no
// sockets: sim/scenario-samples.ts) on virtual time, into the UI server's event hub and each kind
// of client stream — the site page (full), the rescue page on a phone (light), the office's all-sites
// list — as the bytes they would put on the wire (the server's own SSE framing), with the snapshot
// each starts from; the web bundle's bytes, raw, gzip and brotli (when it has been built): what the
// first page loads, and the parts loaded when first needed (Markdown, the trend's plotting); and the site
// page's longest main-thread task in Debian's chromium during the same scenario on the whole system
// (test/long-task.ts, as test/browser-long-task holds it; BENCH_LONG_TASK=0 leaves it out).
// Prints one JSON line.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { format } from 'node:util';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { VirtualTimeScheduler } from 'rxjs';
import { loadSite, type StreamMode } from '../model/index.ts';
import { loadStandard } from '../standards/index.ts';
import { createEngine } from '../engine/index.ts';
// not sim/index.ts: it loads node-opcua, whose warnings go to stdout
import { loadScenario } from '../sim/scenario.ts';
import { scenarioSamples } from '../sim/scenario-samples.ts';
import { DEFAULT_STATIC_DIR, type LiveTwin } from '../ui/server/index.ts';
import { clientEvents, lightSnapshot, lightStreamPoints } from '../ui/server/client-events.ts';
import { createEventHub } from '../ui/server/event-hub.ts';
import { sseFrame } from '../ui/server/event-stream.ts';
import { listSites, siteDetail } from '../ui/server/site-views.ts';
import { launchChromium } from '../test/chromium.ts';
import { startTestSystem } from '../test/system.ts';
import { SCREENS, untilTankFire, watchSitePage, type LongTaskFigures } from '../test/long-task.ts';

// only the JSON line goes to stdout (the simulated depot's OPC-UA server writes warnings)
for (const level of ['log', 'info', 'warn', 'debug'] as const) console[level] = (...args: unknown[]) => void process.stderr.write(`${format(...args)}\n`);
const print = (line: string) => void process.stdout.write(`${line}\n`);

const root = new URL('..', import.meta.url).pathname;
const HOUR_MS = 3_600_000;
const T0 = 1_700_000_000_000;
// the server's defaults (ui/server/app.ts)
const SAMPLE_PERIOD_MS = 1000;
const LIGHT_SAMPLE_PERIOD_MS = 5000;

const [site, standard, scenario] = await Promise.all([
  loadSite(`${root}sites/zhoushan-demo.yaml`),
  loadStandard(`${root}standards/oil-depot-above-ground/1.1.0.yaml`),
  loadScenario('rim-seal-fire'),
]);

const clock = new VirtualTimeScheduler();
clock.frame = T0;
const advance = (to: number) => {
  clock.maxFrames = to;
  clock.flush();
  clock.frame = Math.max(clock.frame, to);
};
const engine = createEngine({ sites: [site], standards: [standard], scheduler: clock });
const live: LiveTwin = { sites: () => [site], snapshot: (id) => engine.snapshot(id), clauses: (id) => engine.clauses(id), events$: engine.events$ };
const hub = createEventHub(engine.events$, {});
const lightPoints = lightStreamPoints(site);

interface Wire {
  bytes: number;
  events: number;
  snapshotBytes: number;
}
const snapshotOf = (mode: StreamMode | 'all-sites') => {
  if (mode === 'all-sites') return listSites(live);
  const detail = siteDetail(live, site);
  return mode === 'light' ? lightSnapshot(detail, lightPoints) : detail;
};
const wires = new Map<StreamMode | 'all-sites', Wire>();
const subscriptions = (['full', 'light', 'all-sites'] as const).map((mode) => {
  const wire: Wire = { bytes: 0, events: 0, snapshotBytes: sseFrame('snapshot', snapshotOf(mode), hub.formatId(hub.lastId)).length };
  wires.set(mode, wire);
  const events$ = hub.since(hub.lastId)!;
  const stream =
    mode === 'all-sites'
      ? clientEvents(events$, undefined, SAMPLE_PERIOD_MS, { scheduler: clock })
      : clientEvents(events$, site.id, mode === 'light' ? LIGHT_SAMPLE_PERIOD_MS : SAMPLE_PERIOD_MS, { scheduler: clock, mode, lightPoints });
  return stream.subscribe(({ id, event }) => {
    wire.bytes += Buffer.byteLength(sseFrame(event.type, event.data, hub.formatId(id)));
    wire.events++;
  });
});

const started = performance.now();
let samples = 0;
for (const batch of scenarioSamples(site, scenario, { start: T0, untilMs: HOUR_MS })) {
  advance(T0 + batch.at);
  for (const sample of batch.samples) engine.ingest(sample);
  samples += batch.samples.length;
}
advance(T0 + HOUR_MS);
const seconds = (performance.now() - started) / 1000;
// a phone that reconnects at the height of the fire without a Last-Event-ID starts from a snapshot again
const snapshotAtFire = { full: JSON.stringify(snapshotOf('full')).length, light: JSON.stringify(snapshotOf('light')).length };
for (const s of subscriptions) s.unsubscribe();
hub.close();
engine.dispose();

const fire = engine.snapshot(site.id);
const per = (mode: StreamMode | 'all-sites') => wires.get(mode)!;
const longTask = process.env.BENCH_LONG_TASK === '0' ? null : await longestTasks();
print(
  JSON.stringify({
    bench: 'event-stream',
    scenario: 'rim-seal-fire',
    timelineHours: 1,
    samplesIngested: samples,
    fullBytesPerHour: per('full').bytes + per('full').snapshotBytes,
    fullEventsPerHour: per('full').events,
    lightBytesPerHour: per('light').bytes + per('light').snapshotBytes,
    lightEventsPerHour: per('light').events,
    allSitesBytesPerHour: per('all-sites').bytes + per('all-sites').snapshotBytes,
    allSitesEventsPerHour: per('all-sites').events,
    snapshotBytesAtFire: snapshotAtFire,
    openAlertsAtEnd: fire?.alerts.length ?? 0,
    bundle: bundleBytes(),
    longestTaskMs: longTask,
    seconds: Math.round(seconds * 10) / 10,
  }),
);

interface Bytes {
  files: number;
  raw: number;
  gzip: number;
  brotli: number;
}

/**
 * The built web app's JavaScript and CSS, raw, gzip and brotli bytes: `initial`, what index.html loads
 * (every page needs it), and `lazy`, the parts loaded when first needed; null when `npm run build:web` has not run.
 */
function bundleBytes(): { initial: Bytes; lazy: Bytes } | null {
  const dir = join(DEFAULT_STATIC_DIR, 'assets');
  let names: string[];
  let index: string;
  try {
    names = readdirSync(dir).filter((f) => /\.(js|css)$/.test(f) && statSync(join(dir, f)).isFile());
    index = readFileSync(join(DEFAULT_STATIC_DIR, 'index.html'), 'utf8');
  } catch {
    return null;
  }
  const sum = (files: string[]): Bytes => {
    const out: Bytes = { files: files.length, raw: 0, gzip: 0, brotli: 0 };
    for (const name of files) {
      const bytes = readFileSync(join(dir, name));
      out.raw += bytes.length;
      out.gzip += gzipSync(bytes, { level: 9 }).length;
      out.brotli += brotliCompressSync(bytes).length;
    }
    return out;
  };
  const initial = names.filter((n) => index.includes(`/assets/${n}`));
  return { initial: sum(initial), lazy: sum(names.filter((n) => !initial.includes(n))) };
}

/** the site page's longest tasks on a desk and a phone while the fire burns, on the whole system as the tests start it */
async function longestTasks(): Promise<Record<string, Omit<LongTaskFigures, 'screen'>> | { error: string }> {
  const system = await startTestSystem({ scenario: 'rim-seal-fire' });
  try {
    const browser = await launchChromium();
    try {
      await untilTankFire(system);
      const out: Record<string, Omit<LongTaskFigures, 'screen'>> = {};
      for (const screen of SCREENS) {
        const { screen: name, ...figures } = await watchSitePage(browser, system, site.id, screen, 20_000);
        out[name] = figures;
      }
      return out;
    } finally {
      await browser.close();
    }
  } catch (error) {
    return { error: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  } finally {
    await system.stop();
  }
}
