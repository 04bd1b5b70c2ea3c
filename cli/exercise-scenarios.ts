/** The scenarios an exercise can play (sim/scenarios), as the exercise desk takes them: each played against the site's depot model. */
import type { Site } from '../model/index.ts';
import type { InjectedSamples } from '../engine/index.ts';
import type { ScenarioLibrary } from '../ui/server/index.ts';

/** exercise time the scenario's depot keeps reading after its last step: an exercise longer than that finds its points silent (link lost) */
const AFTER_LAST_STEP_MS = 60 * 60_000;

export function scenarioLibrary(): ScenarioLibrary {
  const sim = () => import('../sim/index.ts');
  /**
   * A shipped scenario's readings on the site from `start`, or undefined when it does not play there: it
   * names another site, or drives a point or asset the site lacks (checked as its first readings are made).
   */
  const play = async (site: Site, name: string, start: number) => {
    const { SCENARIOS, loadScenario, scenarioSamples, SimError } = await sim();
    if (!(SCENARIOS as readonly string[]).includes(name)) return undefined;
    const scenario = await loadScenario(name);
    if (scenario.site !== undefined && scenario.site !== site.id) return undefined;
    const lastStep = Math.max(0, ...scenario.steps.map((s) => (s.at + (s.action === 'ramp' ? s.over : 0)) * 1000));
    const samples = scenarioSamples(site, scenario, { start, untilMs: lastStep + AFTER_LAST_STEP_MS });
    let first: IteratorResult<InjectedSamples>;
    try {
      first = samples.next();
    } catch (error) {
      if (error instanceof SimError) return undefined;
      throw error;
    }
    let pending: IteratorResult<InjectedSamples> | undefined = first;
    const injected: Iterator<InjectedSamples> = {
      next: () => {
        const out = pending ?? samples.next();
        pending = undefined;
        return out;
      },
    };
    return { title: scenario.title, injected };
  };
  return {
    async list(site) {
      const { SCENARIOS } = await sim();
      const found = await Promise.all(SCENARIOS.map(async (name) => ({ name, played: await play(site, name, 0) })));
      return found.flatMap(({ name, played }) => (played ? [{ name, title: played.title }] : []));
    },
    open: (site, name, start) => play(site, name, start),
  };
}
