import type { ReadRequest } from './plan-requests.ts';

/** What a device answered to one read, in a frame that parsed. */
export type ReadOutcome =
  /** the words (holding, input) or bits (coils, discrete inputs) asked for */
  | { kind: 'data'; words: number[]; bits: boolean[] }
  /**
   * A healthy device saying no: a Modbus exception, or a reply framed correctly that does not
   * carry the data asked for. `split`: the addresses may be at fault, so a coalesced read is worth
   * asking again point by point.
   */
  | { kind: 'refused'; reason: string; split: boolean };

/**
 * A read that got no usable answer: `timeout` — none in time; `frame` — a frame that does not
 * parse (length, transaction id, unit id, function code), so the stream is out of step;
 * `connection` — the connection is gone or could not be made.
 */
export type LinkFaultKind = 'timeout' | 'frame' | 'connection';

export class LinkFault extends Error {
  override readonly name = 'LinkFault';
  constructor(
    readonly kind: LinkFaultKind,
    /** fit for a sample's `reason` */
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** One open connection to a Modbus device; reads are sent one at a time. */
export interface ModbusLink {
  readonly isOpen: boolean;
  /** resolves with the answer, or rejects with a LinkFault */
  read(request: ReadRequest): Promise<ReadOutcome>;
  close(): void;
  /**
   * Whether a timeout may leave the stream out of step (a late answer still to come), so that the
   * link must be dropped and reopened after one. True for Modbus TCP; on a serial line the port is
   * kept, and silence is how a dead device shows.
   */
  readonly reopenAfterTimeout: boolean;
}

/** Modbus exception names (Modbus Application Protocol Specification v1.1b3, §7), as reasons say them. */
const EXCEPTIONS: Record<number, string> = {
  1: 'illegal function',
  2: 'illegal data address',
  3: 'illegal data value',
  4: 'server device failure',
  5: 'acknowledge',
  6: 'server device busy',
  8: 'memory parity error',
  10: 'gateway path unavailable',
  11: 'gateway target device failed to respond',
};

const span = (request: ReadRequest) => (request.length > 1 ? `${request.address}–${request.address + request.length - 1}` : `${request.address}`);

/** An exception answer as a refusal: `illegal data address 550 (holding, modbus exception 2)`, `server device busy (holding 0–9, modbus exception 6)`. */
export function exceptionRefusal(code: number, request: ReadRequest): Extract<ReadOutcome, { kind: 'refused' }> {
  const name = EXCEPTIONS[code] ?? 'unknown exception';
  const reason = code === 2 ? `${name} ${span(request)} (${request.table}, modbus exception 2)` : `${name} (${request.table} ${span(request)}, modbus exception ${code})`;
  // illegal function, address or value: something about what was asked; the others are the device's state
  return { kind: 'refused', reason, split: code === 1 || code === 2 || code === 3 };
}

/** A well-framed reply whose data is not what was asked: `no data for holding 600 (0 of 2 bytes)`. */
export function noDataRefusal(request: ReadRequest, got: number, expected: number): Extract<ReadOutcome, { kind: 'refused' }> {
  return { kind: 'refused', reason: `no data for ${request.table} ${span(request)} (${got} of ${expected} bytes)`, split: true };
}

/** Bytes of data a read's answer carries: two per register, one bit per coil or input. */
export function expectedBytes(request: ReadRequest): number {
  return request.table === 'holding' || request.table === 'input' ? request.length * 2 : Math.ceil(request.length / 8);
}
