/** `ketwin start` (everything, its simulated devices in a process of their own) and `ketwin central` (fed from JetStream): run until a signal. */
import { closeOnSignal } from './close-on-signal.ts';
import { startKetwin } from './ketwin.ts';
import type { KetwinOptions } from './options.ts';
import { startSimulatorProcess } from './simulator-process.ts';

export async function runStart(options: KetwinOptions): Promise<void> {
  const simulators = options.simulate && !options.central ? await startSimulatorProcess(options.simulate, options.logger) : undefined;
  let ketwin: Awaited<ReturnType<typeof startKetwin>>;
  try {
    ketwin = await startKetwin(simulators ? { ...options, simulate: false, simulatedSites: simulators.sites } : options);
  } catch (error) {
    await simulators?.stop();
    throw error;
  }
  options.logger.info({ url: ketwin.url, sites: ketwin.sites.map((s) => s.id), simulators: simulators?.pid }, 'ketwin is running');
  console.log(`\n  ketwin is running: ${ketwin.url}\n  (Ctrl-C to stop)\n`);
  // the collectors stop before the devices they read
  const close = async () => {
    try {
      await ketwin.close();
    } finally {
      await simulators?.stop();
    }
  };
  closeOnSignal(options, { close }, () => ({ writer: ketwin.writerStats() }));
}
