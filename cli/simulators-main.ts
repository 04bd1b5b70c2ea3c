/**
 * The simulators' process of `ketwin start` (simulator-process.ts forks it): the simulated depots and the early-works
 * district, configured by the same environment as ketwin; `--scenario <name|file.yaml>` plays a scenario. It tells
 * its parent the sites with their devices' endpoints over IPC and runs until told to stop, or until the parent is
 * gone (the IPC channel closes, even when the parent was killed outright): no simulator outlives the demo.
 */
import { loadSites } from './configuration.ts';
import { optionsFromEnvironment } from './options.ts';
import { startSimulatedDepots } from './simulated-depots.ts';
import { startSimulatedDistrict } from './simulated-district.ts';
import type { FromSimulators, ToSimulators } from './simulator-process.ts';
import { parseStartArguments } from './start-arguments.ts';

async function runSimulators(): Promise<void> {
  if (!process.send) throw new Error('the simulators run as the child process of `ketwin start`, which talks to them over IPC');
  const send = (message: FromSimulators) => new Promise<void>((resolve) => process.send!(message, undefined, {}, () => resolve()));
  const options = optionsFromEnvironment(process.env);
  const { logger, simulate } = options;
  if (!simulate) throw new Error('nothing to simulate with KETWIN_SIM=off');
  const { SCENARIOS } = await import('../sim/index.ts');
  const scenario = parseStartArguments(process.argv.slice(2), SCENARIOS);
  if (scenario) simulate.scenario = scenario;
  // Ctrl-C reaches the whole process group: the parent stops its collectors first, then tells this process to stop
  process.on('SIGINT', () => undefined);
  const stops: (() => Promise<void> | void)[] = [];
  let stopping: Promise<void> | undefined;
  const stop = (code: number) =>
    (stopping ??= (async () => {
      for (const s of stops.splice(0).reverse()) {
        try {
          await s();
        } catch (error) {
          logger.error({ err: error }, 'a simulated device failed to stop');
        }
      }
      process.exit(code);
    })());
  process.on('message', (message: ToSimulators) => {
    if (message.type === 'stop') void stop(0);
  });
  // the parent is gone (its end of the channel closed, however it ended): nothing reads these devices any more
  process.on('disconnect', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  try {
    const depots = await startSimulatedDepots(await loadSites(options.sitesDir), simulate, logger, stops);
    const district = await startSimulatedDistrict(simulate, options.dataDir, logger, stops);
    await send({ type: 'ready', sites: [...depots.map((d) => d.siteWithEndpoints()), ...district] });
  } catch (error) {
    await send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    await stop(1);
  }
}

runSimulators().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
