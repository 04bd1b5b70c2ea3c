export type BusErrorCode =
  | 'BUS_CONFIG' // options that cannot work (a subject token a site id cannot be, a missing site list)
  | 'BUS_CLOSED' // a publish or subscribe after close
  | 'BUS_NO_SUBSCRIBER' // the in-process bus holds nothing: with nobody to take a batch it refuses it (the queue in front keeps it)
  | 'BUS_UNREACHABLE' // the broker did not answer in time (not connected, or no PubAck): offer the batch again later
  | 'BUS_REJECTED' // the broker answered with an error (no stream for the subject, a limit)
  | 'BUS_DECODE'; // a message that is not what its subject says (a dead letter with the reason)

/** A bus configuration, lifecycle or delivery error; `code` is stable, the message names the server, site or subject. */
export class BusError extends Error {
  override readonly name = 'BusError';
  constructor(
    readonly code: BusErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
