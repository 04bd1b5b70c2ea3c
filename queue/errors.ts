export type QueueErrorCode =
  | 'QUEUE_CONFIG' // options that cannot work together
  | 'QUEUE_CLOSED' // an append after close
  | 'QUEUE_CONSUMER'; // a consumer the queue was not opened with

export class QueueError extends Error {
  override readonly name = 'QueueError';
  constructor(
    readonly code: QueueErrorCode,
    message: string,
  ) {
    super(message);
  }
}
