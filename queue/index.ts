export { openDurableQueue, type DurableQueue, type DurableQueueOptions, type QueueBatch, type QueueConsumer, type QueueStats } from './durable-queue.ts';
export { jsonCodec, type QueueCodec } from './codec.ts';
export { sampleCodec } from './sample-codec.ts';
export { adoptOldestSegment } from './segment-files.ts';
export { QueueError, type QueueErrorCode } from './errors.ts';
