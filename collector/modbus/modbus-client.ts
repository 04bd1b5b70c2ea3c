import { createRequire } from 'node:module';

/** modbus-serial is CommonJS: its module.exports is the client class (the typings call it the default export). */
export const ModbusClient: typeof import('modbus-serial').default = createRequire(import.meta.url)('modbus-serial');
export type ModbusClient = InstanceType<typeof ModbusClient>;
