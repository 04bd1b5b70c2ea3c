export type { Source, SampleSink, SourceStats } from './source.ts';
export { CollectorError, onlinePointId, type CollectorErrorCode } from './source.ts';
export { createOpcuaSource, type OpcuaSourceOptions } from './opcua/opcua-source.ts';
export { createModbusSource, type ModbusSourceOptions } from './modbus/modbus-source.ts';
export { createStaleWatchdog, type StaleWatchdog, type StaleWatchdogOptions } from './stale-watchdog.ts';
export { createLinkHeartbeat, type LinkHeartbeat, type LinkHeartbeatOptions } from './link-heartbeat.ts';
export { createSiteSources, type SiteSourcesOptions } from './site-sources.ts';
export { createSampleBuffer, BUFFER_FULL_POINT, type SampleBuffer, type SampleBufferOptions, type SampleBufferStats, type SampleDownstream } from './sample-buffer.ts';
export { startSiteCollection, type SiteCollection, type SiteCollectionOptions, type SiteCollectionStats } from './site-collection.ts';
