/** `ketwin start` (everything, its simulated devices in a process of their own) and `ketwin central` (fed from JetStream): run until a signal. */
import { closeOnSignal } from './close-on-signal.ts';
import { startKetwin } from './ketwin.ts';
import type { KetwinOptions } from './options.ts';
import { startSimulatorProcess } from './simulator-process.ts';

export async function runStart(options: KetwinOptions): Promise<void> {
  // the simulated devices start while ketwin loads its standards and opens its store
  const starting = options.simulate && !options.central ? startSimulatorProcess(options.simulate, options.logger) : undefined;
  const simulatedSites = starting?.then((s) => s.sites);
  // a failure is startKetwin's to report (it awaits these sites), whenever it comes
  simulatedSites?.catch(() => undefined);
  let ketwin: Awaited<ReturnType<typeof startKetwin>>;
  try {
    ketwin = await startKetwin(simulatedSites ? { ...options, simulate: false, simulatedSites } : options);
  } catch (error) {
    await starting?.then(
      (s) => s.stop(),
      () => undefined,
    );
    throw error;
  }
  const simulators = await starting;
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
