/** `start [--scenario <name|file.yaml>]`: the scenario to play, if any (the simulators' process takes the same). */
export function parseStartArguments(args: string[], scenarios: readonly string[]): string | undefined {
  if (args.length === 0) return undefined;
  if (args[0] === '--scenario' && args.length === 2) return args[1];
  throw new Error(`start takes only --scenario <name|file.yaml> (scenarios: ${scenarios.join(', ')})`);
}
