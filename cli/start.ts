/** `ketwin start` (everything in one process) and `ketwin central` (fed from JetStream): run until a signal. */
import { closeOnSignal } from './close-on-signal.ts';
import { startKetwin } from './ketwin.ts';
import type { KetwinOptions } from './options.ts';

/** `start [--scenario <name|file.yaml>]` */
export function parseStartArguments(args: string[], scenarios: readonly string[]): string | undefined {
  if (args.length === 0) return undefined;
  if (args[0] === '--scenario' && args.length === 2) return args[1];
  throw new Error(`start takes only --scenario <name|file.yaml> (scenarios: ${scenarios.join(', ')})`);
}

export async function runStart(options: KetwinOptions): Promise<void> {
  const ketwin = await startKetwin(options);
  options.logger.info({ url: ketwin.url, sites: ketwin.sites.map((s) => s.id) }, 'ketwin is running');
  console.log(`\n  ketwin is running: ${ketwin.url}\n  (Ctrl-C to stop)\n`);
  closeOnSignal(options, ketwin, () => ({ writer: ketwin.writerStats() }));
}
