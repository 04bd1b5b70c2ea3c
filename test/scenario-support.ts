import type { Alert, ClauseResult, Sample, Site } from '../model/index.ts';
import { loadSite } from '../model/index.ts';
import { loadStandard, type Standard } from '../standards/index.ts';
import { replay, type ReplayOutput } from '../engine/index.ts';
import { loadScenario, scenarioSamples, type Scenario, type ScenarioSamplesOptions } from '../sim/index.ts';

export const T0 = 1_700_000_000_000;
const SITE_FILE = new URL('../sites/zhoushan-demo.yaml', import.meta.url).pathname;
const standardFile = (version: string) => new URL(`../standards/oil-depot-above-ground/${version}.yaml`, import.meta.url).pathname;

export interface ScenarioRun extends ReplayOutput {
  site: Site;
  standard: Standard;
  /** every sample the collectors would have delivered, in order */
  samples: Sample[];
  /** every version of the alerts of one hazard (incident) or kind, in order */
  alertsOf(hazardOrKind: string): Alert[];
  /** [action, ms from the start of play] of each version */
  timeline(alerts: Alert[]): [string | undefined, number][];
  /** the verdicts of a clause on a subject as they changed: [verdict, ms from the start of play] */
  verdicts(clause: string, subject: string): [ClauseResult['verdict'], number][];
}

/**
 * Plays a sim/ scenario's samples (scenarioSamples: the depot model stepped with the timeline, no
 * sockets) through the real engine on virtual time with the demo site and the standard's 1.0.0 (or the version given).
 */
export async function runScenario(
  name: string,
  options: ScenarioSamplesOptions & { edit?: (scenario: Scenario) => Scenario; standardVersion?: string } = {},
): Promise<ScenarioRun> {
  const [site, standard, loaded] = await Promise.all([loadSite(SITE_FILE), loadStandard(standardFile(options.standardVersion ?? '1.0.0')), loadScenario(name)]);
  const scenario = options.edit ? options.edit(loaded) : loaded;
  const samples = [...scenarioSamples(site, scenario, { start: T0, ...options })].flatMap((b) => b.samples);
  const output = replay({ samples, site, standard, from: T0, until: T0 + (options.untilMs ?? samples.at(-1)!.ts - T0) });
  const alertsOf = (what: string) => output.alerts.filter((a) => a.incident?.hazard === what || a.kind === what);
  return {
    ...output,
    site,
    standard,
    samples,
    alertsOf,
    timeline: (alerts) => alerts.map((a) => [a.transition?.action, a.changedAt - T0]),
    verdicts: (clause, subject) => output.results.filter((r) => r.clause === clause && r.subject === subject).map((r) => [r.verdict, r.since - T0]),
  };
}
