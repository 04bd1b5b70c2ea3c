import type { Sample } from '../model/index.ts';

/** Where a source delivers its readings. */
export type SampleSink = (sample: Sample) => void;

/**
 * One field device (a PLC, an RTU) read over one protocol.
 * Creating a source validates its configuration and never connects; start() connects
 * in the background (a device that is down never blocks the caller) and keeps
 * reconnecting until stop().
 */
export interface Source {
  readonly id: string;
  start(sink: SampleSink): Promise<void>;
  stop(): Promise<void>;
}

export type CollectorErrorCode = 'COLLECTOR_CONFIG' | 'COLLECTOR_STATE';

/** A collector configuration or lifecycle error; `code` is stable, the message names the device and endpoint. */
export class CollectorError extends Error {
  override readonly name = 'CollectorError';
  constructor(
    readonly code: CollectorErrorCode,
    message: string,
  ) {
    super(message);
  }
}
