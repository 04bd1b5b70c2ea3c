export { startDepotSim, type DepotSim, type DepotSimOptions } from './depot-sim.ts';
export type { ModbusFailure } from './modbus-server.ts';
export { SimError, type SimErrorCode } from './sim-error.ts';
export { findFreePort } from './free-port.ts';
