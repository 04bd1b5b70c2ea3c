export {
  BUS_CHANNELS,
  emptySubscriptionStats,
  type BatchOrigin,
  type BusChannel,
  type BusMessage,
  type BusSubscription,
  type ChannelSubscriber,
  type SampleSubscriber,
  type SubscriptionStats,
  type TelemetryBus,
} from './bus.ts';
export { BusError, type BusErrorCode } from './bus-errors.ts';
export { createInProcessBus } from './in-process-bus.ts';
export { createJetStreamBus, type JetStreamBus, type JetStreamBusOptions, type JetStreamBusStats } from './jetstream/jetstream-bus.ts';
export { DEFAULT_STREAM_LIMITS, type StreamLimits } from './jetstream/streams.ts';
export { DEAD_LETTER_HEADERS } from './jetstream/durable-subscription.ts';
export { encodeSiteBatch, decodeSiteBatch, type SiteBatch } from './sample-batch-codec.ts';
export { startHealthBeacon, type HealthBeacon, type HealthBeaconOptions } from './health-beacon.ts';
export type { SiteLeases, SiteLeaseHandlers, SiteLeaseStats } from './site-leases.ts';
export { startJetStreamSiteLeases, type JetStreamSiteLeaseOptions } from './jetstream/site-leases.ts';
