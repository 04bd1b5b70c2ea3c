/** The simulated early-works district (issue 27) beside the demo depots in `ketwin start`: its MQTT devices, the met office's warning feed, the rainstorm. */
import { createHash } from 'node:crypto';
import { createConnection } from 'node:net';
import type { Logger } from 'pino';
import { systemClock, type Site } from '../model/index.ts';
import type { KetwinOptions } from './options.ts';

/** the scenario that plays on the district rather than on a depot */
export const RAINSTORM_SCENARIO = 'rainstorm';
/** the district's broker: the Mosquitto the demo expects on loopback */
const BROKER = { host: '127.0.0.1', port: 1883 };
/** a scenario minute in the demo: the rainstorm's eight minutes play in four */
const MINUTE_MS = 30_000;

/**
 * Starts the district's simulation when simulating with the district (KETWIN_SIM on or ephemeral, KETWIN_DISTRICT
 * on, the default of `ketwin start`): the 20 works of
 * sim/early-works-district.ts as sites of their own, their sensors published as the site files read them
 * (half Sparkplug B edge nodes, half JSON devices) on the broker, fair weather from the simulated met
 * office's CAP feed, every work reporting every 30 s — or, with `--scenario rainstorm`, the storm. Returns the
 * district's sites (none when not simulating, or, with a warning, when no broker answers: the depots do not
 * need it). Each part is stopped by `stops`.
 */
export async function startSimulatedDistrict(simulate: KetwinOptions['simulate'], dataDir: string, logger: Logger, stops: (() => Promise<void> | void)[]): Promise<Site[]> {
  if (!simulate || !simulate.district) return [];
  if (!(await answers(BROKER.host, BROKER.port))) {
    logger.warn({ broker: `mqtt://${BROKER.host}:${BROKER.port}` }, 'no MQTT broker answers: the early-works district is not simulated (start Mosquitto on 1883 to see it)');
    return [];
  }
  const { createEarlyWorksDistrict, playRainstorm, startMqttDevices, startWarningFeed, RAINSTORM } = await import('../sim/index.ts');
  const feed = await startWarningFeed({ areaCode: '410100', areaName: '郑州市', senderName: '郑州市气象台' });
  stops.push(() => feed.close());
  const today = new Date(systemClock.now()).toISOString().slice(0, 10);
  // the broker keeps each work's session for the next start of this installation; another installation (a test's
  // data directory) has sessions of its own instead of taking these over
  const clientTag = createHash('sha256').update(dataDir).digest('hex').slice(0, 8);
  const sites = createEarlyWorksDistrict({ brokerUrl: `mqtt://${BROKER.host}:${BROKER.port}`, feedUrl: feed.url, today, clientTag });
  const devices = new Map(await Promise.all(sites.map(async (site) => [site.id, await startMqttDevices(site)] as const)));
  stops.push(() => Promise.all([...devices.values()].map((d) => d.stop())).then(() => undefined));
  const storm = simulate.scenario === RAINSTORM_SCENARIO;
  if (storm) logger.info({ sites: sites.length }, 'playing the rainstorm on the early-works district');
  const playback = playRainstorm({ sites, devices, feed, minuteMs: MINUTE_MS, steps: storm ? RAINSTORM : RAINSTORM.slice(0, 1) });
  stops.push(() => playback.stop());
  playback.done.catch((error: unknown) => logger.error({ err: error }, 'the district simulation failed'));
  return sites;
}

function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: 1000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}
