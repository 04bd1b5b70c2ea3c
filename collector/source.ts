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
  /** live figures for the UI and metrics */
  stats(): SourceStats;
}

/** Per-source figures. */
export interface SourceStats {
  source: string;
  protocol: 'opcua' | 'modbus' | 'mqtt' | 'cap';
  online: boolean;
  /** samples delivered since start */
  samples: number;
  /** samples per second over the last few seconds */
  samplesPerSec: number;
  /** times the connection came back after a loss */
  reconnects: number;
  /** round trip of the last request (OPC-UA service other than Publish, Modbus read), ms; null before the first */
  lastLatencyMs: number | null;
}

/** The id of the sample that tells whether a source is reachable: `<source id>.online`, a boolean. */
export function onlinePointId(sourceId: string): string {
  return `${sourceId}.online`;
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
