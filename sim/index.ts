export { startDepotSim, type DepotSim, type DepotSimOptions } from './depot-sim.ts';
export type { ModbusFailure } from './modbus-server.ts';
export { SimError, type SimErrorCode } from './sim-error.ts';
export { findFreePort } from './free-port.ts';
export { loadScenario, parseScenario, SCENARIOS, type Scenario, type ScenarioStep } from './scenario.ts';
export { checkScenario, type Playback, type PlayOptions } from './play.ts';
export type { DepotModel, FireStage } from './depot-model.ts';
export { createSyntheticSite, type SyntheticSiteOptions } from './synthetic-site.ts';
export { scenarioSamples, type ScenarioSamplesOptions, type TimedSamples } from './scenario-samples.ts';
