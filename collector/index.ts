export type { Source, SampleSink } from './source.ts';
export { CollectorError, type CollectorErrorCode } from './source.ts';
export { createOpcuaSource, type OpcuaSourceOptions } from './opcua/opcua-source.ts';
export { createModbusSource, type ModbusSourceOptions } from './modbus/modbus-source.ts';
export { createStaleWatchdog, type StaleWatchdog, type StaleWatchdogOptions } from './stale-watchdog.ts';
export { createSiteSources } from './site-sources.ts';
