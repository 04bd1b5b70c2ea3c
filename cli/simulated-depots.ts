/** Simulated depots (KETWIN_SIM) for `start` and `edge`: real OPC-UA and Modbus servers on loopback, driven by scenarios. */
import type { Logger } from 'pino';
import type { Site } from '../model/index.ts';
import type { DepotSim } from '../sim/index.ts';
import type { KetwinOptions } from './options.ts';
import { RAINSTORM_SCENARIO } from './simulated-district.ts';

export /** Simulated depots for the sites (KETWIN_SIM), each stopped by `stops`; none when not simulating. */
async function startSimulatedDepots(sites: Site[], simulate: KetwinOptions['simulate'], logger: Logger, stops: (() => Promise<void> | void)[]): Promise<DepotSim[]> {
  if (!simulate) return [];
  const sims: DepotSim[] = [];
  const { loadScenario, startDepotSim } = await import('../sim/index.ts');
  // the rainstorm plays on the early-works district (simulated-district.ts), not on a depot
  const scenario = simulate.scenario && simulate.scenario !== RAINSTORM_SCENARIO ? await loadScenario(simulate.scenario) : undefined;
  // a scenario names the depot whose assets and points it drives; the others carry on as usual
  if (scenario?.site && !sites.some((s) => s.id === scenario.site)) {
    throw new Error(`scenario ${simulate.scenario} drives site ${scenario.site}, which is not among the sites (${sites.map((s) => s.id).join(', ')})`);
  }
  for (const site of sites) {
    const ports = simulate.ports === 'configured' ? configuredPorts(site) : {};
    // a simulated minute per 1 s scan so that scenarios unfold in minutes, with the routine
    // transfers slowed back to real-world rates: an ordinary fill must not look like a runaway
    const sim = await startDepotSim(site, { ...ports, tickMs: 1000, secondsPerTick: 60, routineRate: 1 / 60, logger: logger.child({ part: 'sim' }) });
    stops.push(() => sim.stop());
    sims.push(sim);
    if (scenario && (!scenario.site || scenario.site === site.id)) {
      logger.info({ site: site.id, scenario: simulate.scenario }, 'playing scenario');
      sim.play(scenario, { logger: logger.child({ part: 'scenario' }) });
    }
  }
  return sims;
}

function configuredPorts(site: Site): { opcuaPort?: number; modbusPort?: number } {
  const portOf = (protocol: string) => {
    const source = site.sources.find((s) => s.protocol === protocol);
    return source ? Number(new URL(source.endpoint.replace(/^opc\.tcp:/, 'http:').replace(/^tcp:/, 'http:')).port) : undefined;
  };
  return { opcuaPort: portOf('opcua'), modbusPort: portOf('modbus') };
}
