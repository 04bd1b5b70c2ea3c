/**
 * The simulated field devices of `ketwin start` in a process of their own: the depots' OPC-UA and Modbus servers,
 * the early-works district's MQTT devices and the met office's CAP feed stand in for PLCs, sensors and a weather
 * service, not for ketwin, so they spend another process's memory and CPU and ketwin's own cost is measured alone.
 * The child (simulators-main.ts) ends when told to, or by itself when its parent is gone, however that ended.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Site } from '../model/index.ts';
import type { KetwinOptions } from './options.ts';

/** the compiled child (.build/simulators.mjs), set by cli/bundle.ts; under tsx the child runs from its TypeScript */
declare const KETWIN_SIMULATORS_BUNDLE: string | undefined;

export type ToSimulators = { type: 'stop' };
export type FromSimulators = { type: 'ready'; sites: Site[] } | { type: 'failed'; message: string };

export interface SimulatorProcess {
  readonly pid: number;
  /** the simulated depots' sites (their sources on the simulators' ports), then the district's works */
  readonly sites: Site[];
  /** stops the simulators and waits for their process to end */
  stop(): Promise<void>;
}

/** Starts the simulators' process and resolves once every simulated device listens; it inherits the environment (KETWIN_SIM, KETWIN_DISTRICT, KETWIN_DATA…). */
export async function startSimulatorProcess(simulate: Exclude<KetwinOptions['simulate'], false>, logger: Logger): Promise<SimulatorProcess> {
  const bundled = typeof KETWIN_SIMULATORS_BUNDLE === 'string';
  const entry = bundled ? KETWIN_SIMULATORS_BUNDLE! : fileURLToPath(new URL('./simulators-main.ts', import.meta.url));
  const child = fork(entry, simulate.scenario ? ['--scenario', simulate.scenario] : [], {
    execArgv: bundled ? process.execArgv : ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const reply = await new Promise<FromSimulators>((resolve) => {
    child.once('message', (message: FromSimulators) => resolve(message));
    child.once('exit', (code, signal) => resolve({ type: 'failed', message: `their process ended (${signal ?? code}) before the devices listened` }));
    child.once('error', (error) => resolve({ type: 'failed', message: `their process could not be started: ${error.message}` }));
  });
  if (reply.type === 'failed') {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`simulated devices: ${reply.message}`);
  }
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping) logger.error({ pid: child.pid, code, signal }, "the simulators' process ended: the simulated devices are gone");
  });
  return {
    pid: child.pid!,
    sites: reply.sites,
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: 'stop' } satisfies ToSimulators);
      await exited;
    },
  };
}
